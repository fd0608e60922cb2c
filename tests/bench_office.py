"""Excel in ``make bench``: ``handbook export xlsx`` and ``import xlsx`` at 1,000 synthetic roles, side by side
with openpyxl writing and reading the same cells bare (no styles, no drop-downs, no comparison).

Times are CPU seconds of this process (``time.process_time``), the median of ``repeat`` runs. The
import is measured on an untouched workbook plus one changed cell, validated in a copy as
``--apply`` would (the write itself left out)."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook, load_workbook

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.office import changes
from generator.office.xlsx_export import export
from generator.office.xlsx_import import read_workbook
from tests.bench_rows import Row
from tests.synthetic import write_roles

GOAL_S = 5.0


def _cpu(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)


def _bare_write(source: Path, out: Path) -> None:
    """The floor of export: every cell of the workbook written again by openpyxl, nothing else."""
    wb_in = load_workbook(source, read_only=True)
    rows = {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb_in.worksheets}
    start = time.process_time()
    wb = Workbook()
    for title, values in rows.items():
        ws = wb.create_sheet(title)
        for row in values:
            ws.append(row)
    wb.save(out)
    _bare_write.seconds = time.process_time() - start  # type: ignore[attr-defined]


def measure(n_roles: int = 1000, repeat: int = 3) -> list[Row]:
    """Export and import at ``n_roles``: ours and the bare openpyxl floor."""
    locale = load_locale("zh")
    with tempfile.TemporaryDirectory(prefix="bench-office-") as tmp:
        roles = Path(tmp) / "roles"
        write_roles(roles, n_roles)
        parses = changes.SharedParses()  # as the command does: the import re-parses only what changed
        result = validate(roles, locale=locale, display_base=Path(tmp), cache=parses)
        hb = result.handbook
        book = Path(tmp) / "hb.xlsx"
        ours_export = _cpu(lambda: export(hb, locale, book), repeat)
        floors = []
        for _ in range(repeat):
            _bare_write(book, Path(tmp) / "bare.xlsx")
            floors.append(_bare_write.seconds)  # type: ignore[attr-defined]
        floor_export = statistics.median(floors)
        wb = load_workbook(book)
        ws = wb["岗位"]
        ws.cell(row=2, column=[c.value for c in ws[1]].index("名称") + 1).value = "改过的名称"
        edited = Path(tmp) / "edited.xlsx"
        wb.save(edited)

        def ours_import() -> None:
            reading = read_workbook(edited, hb, locale)
            outcome = changes.import_reading(reading, hb, roles, result.problems, locale, parses)
            assert not outcome.problems and len(outcome.texts) == 1, outcome.problems[:3]

        ours_in = _cpu(ours_import, repeat)

        def whole_export() -> None:  # the command: validation of roles/ first
            export(validate(roles, locale=locale, display_base=Path(tmp)).handbook, locale, book)

        def whole_import() -> None:
            shared = changes.SharedParses()
            first = validate(roles, locale=locale, display_base=Path(tmp), cache=shared)
            reading = read_workbook(edited, first.handbook, locale)
            changes.import_reading(reading, first.handbook, roles, first.problems, locale, shared)

        cmd_export = _cpu(whole_export, repeat)
        cmd_import = _cpu(whole_import, repeat)
        floor_in = _cpu(lambda: [list(ws.iter_rows(values_only=True))
                                 for ws in load_workbook(edited, read_only=True)], repeat)
    return [
        Row(f"export xlsx, {n_roles} roles", f"{ours_export:.2f} s", f"{floor_export:.2f} s (openpyxl, bare cells)",
            ours_export / floor_export, f"≤ {GOAL_S:.0f} s", ours_export <= GOAL_S),
        Row(f"import xlsx, {n_roles} roles, one cell changed (validated)", f"{ours_in:.2f} s",
            f"{floor_in:.2f} s (openpyxl read-only, read cells)", ours_in / floor_in, f"≤ {GOAL_S:.0f} s", ours_in <= GOAL_S),
        Row(f"handbook export xlsx, {n_roles} roles, validation of roles/ included", f"{cmd_export:.2f} s", "", None,
            f"≤ {GOAL_S:.0f} s", cmd_export <= GOAL_S),
        Row(f"handbook import xlsx, {n_roles} roles, validation of roles/ included", f"{cmd_import:.2f} s", "", None,
            f"≤ {GOAL_S:.0f} s", cmd_import <= GOAL_S),
    ]


if __name__ == "__main__":
    from tests.bench_rows import table

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    print(table(measure(size)))
