"""PDF speed, side by side in one run: our pipeline (subset font made once, cached) against plain WeasyPrint.

``measure()`` is called by ``tests/bench.py`` (``make bench``); run alone with
``.venv/bin/python -m tests.bench_pdf``.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.pdf import fonts
from generator.pdf.engine import Engine
from generator.pdf.render import PdfRenderer
from generator.pdf.run import write_pdfs

REPO = Path(__file__).resolve().parent.parent
SYSTEM_FAMILY = "Noto Sans CJK SC"
#: Roles put through WeasyPrint's fontTools fallback: about 9 s each, so only a few.
FONTTOOLS_SAMPLE = 2


def _plain(source: str, css: str, path: Path) -> float:
    """One PDF the naive way: system font, fresh WeasyPrint state, its own subsetting."""
    from weasyprint import CSS, HTML

    start = time.perf_counter()
    HTML(string=source).write_pdf(path, stylesheets=[CSS(string=css)])
    return time.perf_counter() - start


def measure(n_roles: int | None = None) -> dict[str, Any]:
    """Time the sample's role PDFs (the first ``n_roles``, default all) both ways; seconds and bytes."""
    import logging

    import weasyprint.pdf.fonts as wp_fonts

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    locale = load_locale("zh")
    hb = validate(REPO / "roles", locale=locale, display_base=REPO).handbook
    roles = list(hb.roles)[:n_roles]
    renderer = PdfRenderer(hb, locale)
    sources = {rid: renderer.role_html(rid) for rid in hb.roles}
    plain_css = renderer.css.replace(fonts.CSS_FAMILY, SYSTEM_FAMILY)
    plain_sources = {rid: sources[rid].replace(fonts.CSS_FAMILY, SYSTEM_FAMILY) for rid in roles}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        # Ours, cold: empty cache, so the one-off font cut is included in the total.
        start = time.perf_counter()
        report = write_pdfs(hb, locale, work / "ours", work / "cache", roles, combined=n_roles is None)
        cold_total = time.perf_counter() - start
        written = len(report.rendered)
        start = time.perf_counter()
        warm = write_pdfs(hb, locale, work / "ours2", work / "cache", roles, combined=n_roles is None)
        rebuild_total = time.perf_counter() - start
        # Ours per PDF (font already cut): layout + write of each role.
        start = time.perf_counter()
        fontset = fonts.prepare("".join(sources.values()), work / "cache")
        font_cached = time.perf_counter() - start
        engine = Engine(fontset, renderer.css)
        ours_each = []
        for rid in roles:
            t0 = time.perf_counter()
            Engine.write(engine.render(sources[rid]), work / f"each-{rid}.pdf")
            ours_each.append(time.perf_counter() - t0)
        # Plain WeasyPrint with the system font, as installed (HarfBuzz subsetting when present).
        plain_each = [_plain(plain_sources[rid], plain_css, work / f"plain-{rid}.pdf") for rid in roles]
        # Plain WeasyPrint on its fontTools path (used when libharfbuzz-subset >= 4.1 is
        # missing): the "about 9 s per PDF" of the issue. A few roles only.
        saved = wp_fonts.harfbuzz_subset
        wp_fonts.harfbuzz_subset = None
        try:
            slow = roles[:FONTTOOLS_SAMPLE]
            fonttools_each = [_plain(plain_sources[rid], plain_css, work / f"ft-{rid}.pdf") for rid in slow]
        finally:
            wp_fonts.harfbuzz_subset = saved
        ours_sizes = [(work / "ours" / f"{rid}.pdf").stat().st_size for rid in roles]
        plain_sizes = [(work / f"plain-{rid}.pdf").stat().st_size for rid in roles]
    amortized = cold_total / written
    return {
        "roles": len(roles),
        "pdfs_written_cold": written,
        "ours_cold_total_s": round(cold_total, 2),
        "ours_amortized_s_per_pdf": round(amortized, 3),
        "ours_rebuild_unchanged_s": round(rebuild_total, 2),
        "ours_rebuild_rendered": len(warm.rendered),
        "ours_font_cached_lookup_s": round(font_cached, 3),
        "ours_median_s_per_pdf": round(statistics.median(ours_each), 3),
        "plain_median_s_per_pdf": round(statistics.median(plain_each), 3),
        "plain_fonttools_median_s_per_pdf": round(statistics.median(fonttools_each), 2),
        "speedup_vs_plain_median": round(statistics.median(plain_each) / amortized, 1),
        "speedup_vs_plain_fonttools": round(statistics.median(fonttools_each) / amortized, 1),
        "ours_median_bytes": int(statistics.median(ours_sizes)),
        "plain_median_bytes": int(statistics.median(plain_sizes)),
    }


if __name__ == "__main__":
    print(json.dumps(measure(), indent=2, ensure_ascii=False))
