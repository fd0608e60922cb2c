"""``make bench``'s table: its rows, and the rows of the side benchmarks (search, history, PDFs, preview, corpus)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    """One line of the table."""

    what: str
    ours: str
    floor: str
    ratio: float | None
    goal: str
    met: bool | None


def mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


def table(rows: list[Row]) -> str:
    out = ["| Measurement | Ours | Floor / reference | Ratio | Goal | Met |", "| --- | --- | --- | --- | --- | --- |"]
    for r in rows:
        ratio = "" if r.ratio is None else f"{r.ratio:.2f}×"
        met = "" if r.met is None else ("yes" if r.met else "**no**")
        out.append(f"| {r.what} | {r.ours} | {r.floor} | {ratio} | {r.goal} | {met} |")
    return "\n".join(out)


def search_rows(n: int) -> list[Row]:
    """Per engine at ``n`` roles: the index as served, and last key press to first result in Chromium."""
    from tests import bench_search

    rows = []
    for r in bench_search.measure(n):
        rows.append(Row(
            f"search {r['engine']}, {n} roles: index",
            f"{mb(r['raw'])} raw; gzip {mb(r['gzip'])}; brotli {mb(r['brotli'])}", "", None,
            "≤ 5 MB compressed", r["gzip"] <= 5e6,
        ))
        rows.append(Row(
            f"search {r['engine']}, {n} roles: key press to first result (median of {bench_search.QUERIES})",
            f"warm {r['warm_ms']:.0f} ms; cold {r['cold_ms']:.0f} ms", "", None, "≤ 300 ms warm",
            r["warm_ms"] <= 300,
        ))
    return rows


def history_rows(notes: list[str], repeat: int) -> list[Row]:
    from tests import bench_history

    rows = [Row(*row) for row in bench_history.table_rows(bench_history.measure(1000, max(repeat, 3)))]
    print(table(rows), flush=True)
    notes.append(bench_history.NOTE.removeprefix("- "))
    return rows


def preview_rows(notes: list[str]) -> list[Row]:
    from tests import bench_preview

    return [Row(what, ours, "", None, goal, met) for what, ours, goal, met in bench_preview.rows(notes, _table_row)]


def edit_rows(notes: list[str]) -> list[Row]:
    """``handbook edit`` at 1,000 roles: a role's form opened, a change to its messages (tests/bench_edit.py)."""
    from tests import bench_edit

    return [Row(*row) for row in bench_edit.rows(notes)]


def _table_row(what: str, ours: str, goal: str, met: bool | None) -> str:
    return table([Row(what, ours, "", None, goal, met)])


def corpus_row() -> Row:
    """Precision of the validator's messages over the broken-input corpus (rules in tests/corpus.py)."""
    from tests import corpus

    results = list(corpus.verdicts())
    precise = sum(v.precise for v in results)
    return Row(f"validator precision: broken-input corpus ({len(results)} cases)", f"{precise}/{len(results)} precise",
               "", None, "100 %", precise == len(results))


def pdf_rows(notes: list[str]) -> list[Row]:
    try:
        from tests import bench_pdf
    except ImportError:
        print("pdf: not available")
        return [Row("pdf", "not available", "", None, "", None)]
    result = bench_pdf.measure(n_roles=None)
    notes.append("pdf: " + ", ".join(f"{k} = {v}" for k, v in result.items()))
    ours = float(result["ours_amortized_s_per_pdf"])
    plain = float(result["plain_median_s_per_pdf"])
    rows = [Row(f"PDF per role, amortized ({result['roles']} sample roles)", f"{ours:.3f} s",
                f"{plain:.3f} s (plain WeasyPrint, system font)", ours / plain, "", None)]
    if "plain_fonttools_median_s_per_pdf" in result:
        slow = float(result["plain_fonttools_median_s_per_pdf"])
        rows.append(Row("PDF per role vs WeasyPrint's fontTools path", f"{ours:.3f} s", f"{slow:.2f} s",
                        ours / slow, "", None))
    return rows
