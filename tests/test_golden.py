"""Golden tests: the generated Markdown of a few fixture pages, reviewed in diffs.

Refresh after an intended change with ``pytest tests/test_golden.py --update-golden``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.render.pages import Renderer

from .conftest import FIXTURES

GOLDEN = Path(__file__).parent / "golden"
PAGES = [
    "roles/agent.md",
    "roles/team-lead.md",
    "processes/standup.md",
    "org/phone-team/index.md",
    "policies/rules.md",
    "glossary/index.md",
    "kpis/index.md",
]


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    result = validate(FIXTURES / "mini" / "roles", display_base=FIXTURES / "mini")
    assert result.problems == []
    return Renderer(result.handbook, load_locale("zh")).pages()


@pytest.mark.parametrize("page", PAGES)
def test_page_matches_golden(rendered: dict[str, str], page: str, update_golden: bool) -> None:
    golden = GOLDEN / page
    if update_golden:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(rendered[page], encoding="utf-8")
    assert golden.is_file(), f"no golden file for {page}; run pytest --update-golden"
    assert rendered[page] == golden.read_text(encoding="utf-8"), f"{page} differs from {golden}"
