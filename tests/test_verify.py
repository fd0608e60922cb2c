"""A version anyone can prove (#37 item 3): each role PDF's footer and metadata carry its version,
effective date and a content hash of what the role publishes; ``handbook verify`` tells the current
version from an earlier release (built from that release's checkout) and says what changed since."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from generator.cli import main
from generator.history import with_history
from generator.history.verify import versions
from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.model.fingerprint import LENGTH, content_hash
from generator.project import Project
from generator.site.build import make_pdfs

from .conftest import FIXTURES, REPO, copy_project, pdf_texts
from .history_fixture import git, make_history

ROLE = "sales-rep"  # changed in 2024.2 and after the last release (tests/history_fixture.py)


def _pdf(project: Project, lang: str, out: Path, role: str = ROLE) -> Path:
    outcome = make_pdfs(project, load_locale(lang), out, [role])
    assert outcome.report is not None, outcome
    return out / f"{role}.pdf"


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return make_history(tmp_path_factory.mktemp("verify") / "project")


@pytest.fixture(scope="module")
def old_pdf(history: Project, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``ROLE``'s PDF as printed from release 2024.1's checkout."""
    clone = tmp_path_factory.mktemp("old") / "project"
    git(history.root.parent, "clone", "-q", str(history.root), str(clone))
    git(clone, "checkout", "-q", "2024.1")
    return _pdf(Project(clone), "zh", clone / "out")


def test_the_footer_and_metadata_carry_the_hash_and_two_languages_carry_the_same(
    history: Project, tmp_path: Path
) -> None:
    zh, en = _pdf(history, "zh", tmp_path / "zh"), _pdf(history, "en", tmp_path / "en")
    assert zh.read_bytes() != en.read_bytes()
    hb = validate(history.roles).handbook
    expected = content_hash(hb.roles[ROLE])
    assert re.fullmatch(rf"[0-9a-f]{{{LENGTH}}}", expected)
    for path, label in ((zh, "内容指纹"), (en, "Content hash")):
        meta = PdfReader(path).metadata
        keywords = str(meta["/Keywords"] if meta is not None else "")
        assert f"handbook-hash:{expected}" in keywords and f"handbook-role:{ROLE}" in keywords
        pages = pdf_texts(path)
        # On every page's footer, next to the version and effective date.
        assert all(re.search(rf"{label}\s*[:：]\s*{expected}", page) for page in pages), label


def test_revision_record_lists_each_release_hash(history: Project, tmp_path: Path) -> None:
    hb = validate(history.roles).handbook
    with_history(hb, history.root, history.roles, load_locale("zh"))
    revisions = hb.revisions[("role", ROLE)]
    assert len(revisions) >= 2
    text = "".join(pdf_texts(_pdf(history, "zh", tmp_path)))
    for rev in revisions:
        assert content_hash(rev.entity) in text
    assert len({content_hash(r.entity) for r in revisions}) == len(revisions)


def test_verify_says_current(history: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pdf = _pdf(history, "en", tmp_path)
    assert main(["--project", str(history.root), "--lang", "en", "verify", str(pdf)]) == 0
    out = capsys.readouterr().out
    assert "matches the current content" in out and ROLE in out


def test_verify_names_the_earlier_release_and_what_changed_since(
    history: Project, old_pdf: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--project", str(history.root), "verify", str(old_pdf)]) == 1
    out = capsys.readouterr().out
    assert "发布 2024.1" in out and "不是当前版本" in out
    assert "2024.2" in out and "每月向客户经理提交分销商拜访记录" in out  # the duty 2024.2 added
    assert "尚未发布的修改" in out  # the fixture's last commit is after the last tag


def test_verify_reads_the_footer_when_metadata_is_gone_and_takes_a_typed_hash(
    history: Project, old_pdf: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stripped = tmp_path / "printed.pdf"
    writer = PdfWriter()
    for page in PdfReader(old_pdf).pages:
        writer.add_page(page)
    writer.add_metadata({"/Producer": "a printer"})
    with stripped.open("wb") as handle:
        writer.write(handle)
    assert "handbook-hash" not in str(PdfReader(stripped).metadata)
    assert main(["--project", str(history.root), "verify", str(stripped)]) == 1
    out = capsys.readouterr().out
    assert "取自页面文字" in out and "发布 2024.1" in out
    hb = validate(history.roles).handbook
    with_history(hb, history.root, history.roles, load_locale("zh"))
    current = next(v for v in versions(hb, ROLE) if v.current and v.variant is None).hash
    assert main(["--project", str(history.root), "verify", str(stripped), "--hash", current.upper()]) == 0


def test_verify_finds_no_version_of_another_handbook(
    history: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = copy_project(REPO, tmp_path / "other", roles=FIXTURES / "english" / "roles")
    role = next(iter(validate(other.roles).handbook.roles))
    pdf = _pdf(other, "en", tmp_path / "out", role)
    assert main(["--project", str(history.root), "--lang", "en", "verify", str(pdf)]) == 1
    assert "matches no role" in capsys.readouterr().out
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    assert main(["--project", str(history.root), "verify", str(junk)]) == 2


def test_every_role_and_variant_of_every_fixture_has_its_own_hash() -> None:
    for roles in (REPO / "roles", *(FIXTURES / f / "roles" for f in ("english", "hant", "group"))):
        hb = validate(roles).handbook
        found = [v.hash for v in versions(hb) if v.current]
        assert len(found) == len(set(found)) >= len(hb.roles), roles


def test_a_field_added_later_leaves_every_hash_as_it_was() -> None:
    from pydantic import create_model

    from generator.model.entities import Role

    hb = validate(REPO / "roles").handbook
    grown = create_model("GrownRole", __base__=Role, travel_required=(bool | None, None))
    for role in hb.roles.values():
        assert content_hash(grown.model_validate(role.model_dump())) == content_hash(role), role.id
