"""``handbook edit`` without a browser: the checks are ``handbook validate``'s, saves keep the YAML as
written, drafts never reach ``roles/``, two tabs conflict, and nothing outside ``roles/`` is touched.

The whole app (``site/editapp.py``) is called as WSGI, as the server calls it, on a copy of the sample."""

from __future__ import annotations

import io
import json
import re
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

from generator.editor import roundtrip
from generator.editor.formdata import coerce, display, edits, plain
from generator.editor.forms import kind_form
from generator.editor.workspace import Unreadable, Workspace
from generator.i18n import load_locale
from generator.link.pipeline import validate
from generator.model import registry
from generator.project import Project
from generator.site.editapp import EditApp

from .conftest import FIXTURES, REPO, copy_project, pdf_texts

HOST = "127.0.0.1:9"
LEAD = "roles/call-center/call-center-lead.yaml"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    project = copy_project(REPO, tmp_path_factory.mktemp("edit") / "p")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run(["git", "init", "-q"], cwd=project.root, check=True)
    subprocess.run([*git, "add", "-A"], cwd=project.root, check=True)
    subprocess.run([*git, "commit", "-qm", "start"], cwd=project.root, check=True)
    return project


@pytest.fixture(scope="module")
def app(project: Project) -> EditApp:
    return EditApp(Workspace(project, load_locale("zh")), {HOST})


Call = Callable[..., tuple[int, dict[str, str], Any]]


@pytest.fixture(scope="module")
def call(app: EditApp) -> Call:
    def run(method: str, path: str, body: Any = None, *, token: str | None = "ok", host: str = HOST,
            headers: dict[str, str] | None = None, form: bool = False) -> tuple[int, dict[str, str], Any]:
        data = (body if isinstance(body, bytes) else json.dumps(body).encode()) if body is not None else b""
        env: dict[str, Any] = {"REQUEST_METHOD": method, "PATH_INFO": path, "HTTP_HOST": host,
                               "CONTENT_LENGTH": str(len(data)), "wsgi.input": io.BytesIO(data)}
        if token is not None:
            env["HTTP_X_HANDBOOK_TOKEN"] = app.token if token == "ok" else token
        for k, v in (headers or {}).items():
            env["HTTP_" + k.upper().replace("-", "_")] = v
        setup_testing_defaults(env)
        got: dict[str, Any] = {}

        def start(status: str, hdrs: list[tuple[str, str]]) -> None:
            got["status"], got["headers"] = int(status.split()[0]), dict(hdrs)

        out = b"".join(app(env, start))
        ctype = got["headers"].get("Content-Type", "")
        return got["status"], got["headers"], json.loads(out) if "json" in ctype else out.decode("utf-8", "replace")
    return run


def _sent(ws: Workspace, rel: str) -> dict[str, Any]:
    opened = ws.open(rel)
    shown: dict[str, Any] = display(kind_form(opened.kind, "zh"), opened.raw)
    return shown  # what the page shows, as the browser sends it


def _files() -> list[Path]:
    return [*sorted((REPO / "roles").rglob("*.yaml")), *sorted(FIXTURES.glob("*/roles/**/*.yaml"))]


def test_every_sample_and_fixture_file_opened_and_saved_unchanged_gives_no_edit() -> None:
    count = 0
    for path in _files():
        text = path.read_text(encoding="utf-8")
        raw = plain(roundtrip.load(text))
        if not isinstance(raw, dict) or not registry.is_kind(raw.get("kind")):
            continue
        form = kind_form(str(raw["kind"]), "zh")
        back = {**{k: v for k, v in raw.items() if form.child(str(k)) is None}, **(coerce(form, display(form, raw), raw) or {})}
        assert edits(raw, back, form) == [], path
        assert roundtrip.edit(text, []) == text
        count += 1
    assert count > 150


def test_saving_unchanged_writes_nothing(app: EditApp, call: Call, project: Project) -> None:
    before = {p: p.read_bytes() for p in project.roles.rglob("*.yaml")}
    for path in sorted(before)[:40]:
        rel = path.relative_to(project.root).as_posix()
        opened = app.ws.open(rel)
        status, _, body = call("POST", "/api/save", {"rel": rel, "hash": opened.hash, "data": _sent(app.ws, rel)})
        assert status == 200 and body["ok"], body
    assert {p: p.read_bytes() for p in project.roles.rglob("*.yaml")} == before


def test_a_typo_in_a_reference_is_the_validators_message_at_its_field(app: EditApp, call: Call, project: Project,
                                                                       tmp_path: Path) -> None:
    sent = _sent(app.ws, LEAD)
    sent["reports_to"] = "call-center-manger"
    status, _, body = call("POST", "/api/check", {"rel": LEAD, "data": sent})
    assert status == 200
    mine = [p for p in body["problems"] if p["field"] == "reports_to"]
    assert mine and mine[0]["file"] == LEAD and "call-center-manager" in mine[0]["fix"]
    # The same message `handbook validate` prints for that file written to disk.
    copy = copy_project(project.root, tmp_path / "c")
    lead = copy.root / LEAD
    lead.write_text(lead.read_text(encoding="utf-8").replace("reports_to: call-center-manager",
                                                             "reports_to: call-center-manger"), encoding="utf-8")
    locale = load_locale("zh")
    on_disk = validate(copy.roles, locale=locale, display_base=copy.root).problems
    expected = {(p.field, *p.texts(locale)) for p in on_disk if p.file == LEAD}
    assert {(p["field"], p["message"], p["fix"]) for p in body["problems"]} == expected


def test_a_cross_entity_problem_shows_in_the_other_file(app: EditApp, call: Call) -> None:
    rel = "roles/call-center/call-center-manager.yaml"
    sent = _sent(app.ws, rel)
    sent["id"] = "floor-manager-x"  # renamed: the alias keeps references working, nothing breaks elsewhere
    _, _, body = call("POST", "/api/check", {"rel": rel, "data": sent})
    assert not [p for p in body["problems"] if p["severity"] == "error"], body
    sent["id"] = "call-center-lead"  # the id of another role: a duplicate, found only across files
    _, _, body = call("POST", "/api/check", {"rel": rel, "data": sent})
    assert any(p["code"] == "duplicate_id" for p in body["problems"] + body["other"]), body


def test_errors_save_only_as_a_draft_outside_roles(app: EditApp, call: Call, project: Project) -> None:
    before = (project.root / LEAD).read_bytes()
    sent = _sent(app.ws, LEAD)
    sent["unit"] = "no-such-unit"
    opened = app.ws.open(LEAD)
    status, _, body = call("POST", "/api/save", {"rel": LEAD, "hash": opened.hash, "data": sent})
    assert status == 422 and not body["ok"] and body["problems"]
    status, _, body = call("POST", "/api/save", {"rel": LEAD, "hash": opened.hash, "data": sent, "draft": True})
    assert status == 200 and body["ok"]
    assert (project.root / LEAD).read_bytes() == before
    status, _, page = call("GET", "/edit/" + LEAD)
    assert "no-such-unit" in page and 'id="draft-banner"' in page
    call("POST", "/api/discard", {"rel": LEAD})
    assert 'id="draft-banner"' not in call("GET", "/edit/" + LEAD)[2]


def test_one_changed_field_is_that_fields_lines_only(app: EditApp, call: Call, project: Project) -> None:
    rel = "roles/call-center/qa-specialist.yaml"
    sent = _sent(app.ws, rel)
    old_title = sent["title"]
    sent["title"] = old_title + "（资深）"
    status, _, body = call("POST", "/api/save", {"rel": rel, "hash": app.ws.open(rel).hash, "data": sent})
    assert status == 200 and body["ok"], body
    diff = subprocess.run(["git", "diff", "-U0", "--", rel], cwd=project.root, capture_output=True, text=True).stdout
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == [f"-title: {old_title}", f"+title: {old_title}（资深）"], diff
    subprocess.run(["git", "checkout", "--", rel], cwd=project.root, check=True)


def test_two_tabs_on_one_file_conflict_and_the_edit_is_kept(app: EditApp, call: Call, project: Project) -> None:
    rel = "roles/call-center/telesales-rep.yaml"
    first, second = _sent(app.ws, rel), _sent(app.ws, rel)
    hash_ = app.ws.open(rel).hash
    first["summary"] = "第一个标签页的修改"
    second["summary"] = "第二个标签页的修改"
    assert call("POST", "/api/save", {"rel": rel, "hash": hash_, "data": first})[0] == 200
    status, _, body = call("POST", "/api/save", {"rel": rel, "hash": hash_, "data": second})
    assert status == 409 and not body["ok"]
    text = (project.root / rel).read_text(encoding="utf-8")
    assert "第一个标签页的修改" in text and "第二个标签页的修改" not in text
    assert app.ws.draft(rel)["data"]["summary"] == "第二个标签页的修改"  # type: ignore[index]
    app.ws.discard(rel)
    subprocess.run(["git", "checkout", "--", rel], cwd=project.root, check=True)


def test_renaming_adds_the_alias_and_renames_the_file(app: EditApp, call: Call, project: Project) -> None:
    rel = "roles/call-center/call-center-assistant.yaml"
    sent = _sent(app.ws, rel)
    sent["id"] = "call-center-aide"
    status, _, body = call("POST", "/api/save", {"rel": rel, "hash": app.ws.open(rel).hash, "data": sent})
    assert status == 200 and body["ok"] and body["renamed"], body
    new = project.root / "roles/call-center/call-center-aide.yaml"
    assert body["rel"] == "roles/call-center/call-center-aide.yaml" and new.is_file()
    assert not (project.root / rel).exists()
    data = plain(roundtrip.load(new.read_text(encoding="utf-8")))
    assert data["id"] == "call-center-aide" and "call-center-assistant" in data["aliases"]
    result = validate(project.roles, locale=load_locale("zh"), display_base=project.root)
    assert not [p for p in result.problems if p.severity.value == "error"]
    new.unlink()
    subprocess.run(["git", "checkout", "--", rel], cwd=project.root, check=True)


def test_a_new_entity_starts_from_the_scaffold(app: EditApp, call: Call, project: Project) -> None:
    body = f"token={app.token}&kind=role&id=night-shift-lead&unit=call-center".encode()
    status, headers, _ = call("POST", "/new", body, token=None, headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 303 and headers["Location"].endswith("night-shift-lead.yaml")
    created = next(project.roles.rglob("night-shift-lead.yaml"))
    assert created.read_text(encoding="utf-8").startswith(("#", "kind:", "# yaml-language-server"))
    assert call("GET", headers["Location"])[0] == 200
    created.unlink()


@pytest.mark.parametrize("rel", ["../mkdocs.yml", "roles/../mkdocs.yml", "/etc/passwd", "roles/.git/config",
                                 "handbook/x.yaml", "roles/call-center/call-center-lead.yaml/../../../x.yaml"])
def test_paths_cannot_escape_roles(call: Call, rel: str) -> None:
    status, _, _ = call("POST", "/api/save", {"rel": rel, "hash": "", "data": {"title": "x"}})
    assert status == 404
    assert call("GET", "/edit/" + rel)[0] == 404


def test_posts_need_the_token_the_origin_and_the_host(call: Call) -> None:
    data = {"rel": LEAD, "data": {}}
    assert call("POST", "/api/check", data, token=None)[0] == 403
    assert call("POST", "/api/check", data, token="guess")[0] == 403
    assert call("POST", "/api/check", data, headers={"Origin": "http://evil.example"})[0] == 403
    assert call("POST", "/api/check", data, headers={"Sec-Fetch-Site": "cross-site"})[0] == 403
    assert call("POST", "/api/check", data, host="evil.example:80")[0] == 421
    assert call("POST", "/api/check", data, headers={"Origin": f"http://{HOST}"})[0] == 200
    status, headers, _ = call("GET", "/")
    assert status == 200 and "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_the_changes_page_in_hr_words_and_save_to_git(app: EditApp, call: Call, project: Project) -> None:
    rel = "roles/call-center/qa-specialist.yaml"
    sent = _sent(app.ws, rel)
    sent["title"] = "质检主管"
    assert call("POST", "/api/save", {"rel": rel, "hash": app.ws.open(rel).hash, "data": sent})[0] == 200
    page = call("GET", "/changes")[2]
    assert "质检主管" in page and "qa-specialist" in page and f'href="/edit/{rel}"' in page
    form = f"token={app.token}&name=王芳&message=质检岗位改名".encode()
    status, _, page = call("POST", "/commit", form, token=None)
    assert status == 200
    log = subprocess.run(["git", "log", "-1", "--format=%an|%s"], cwd=project.root, capture_output=True, text=True)
    assert log.stdout.strip() == "王芳|质检岗位改名"
    assert not subprocess.run(["git", "status", "--porcelain", "--", "roles"], cwd=project.root,
                              capture_output=True, text=True).stdout
    assert not subprocess.run(["git", "remote"], cwd=project.root, capture_output=True, text=True).stdout


def test_the_roles_pdf_is_linked_and_made_on_demand(app: EditApp, call: Call) -> None:
    page = call("GET", "/edit/" + LEAD)[2]
    assert 'href="/pdf/call-center-lead.pdf"' in page
    app.ws.refresh()
    title = app.ws.last.handbook.roles["call-center-lead"].title  # type: ignore[union-attr]
    status, headers, _ = call("GET", "/pdf/call-center-lead.pdf")
    assert status == 200 and headers["Content-Type"] == "application/pdf"
    out = app.ws.project.root / ".handbook-cache" / "edit-pdf" / "call-center-lead.pdf"
    assert title in "".join(pdf_texts(out))
    assert call("GET", "/pdf/..%2Fx.pdf")[0] == 404


def test_the_changes_page_says_when_nothing_changed(call: Call, project: Project) -> None:
    if subprocess.run(["git", "status", "--porcelain", "--", "roles"], cwd=project.root, capture_output=True,
                      text=True).stdout:
        pytest.skip("an earlier test left a change")
    assert load_locale("zh").label("edit_changes_none") in call("GET", "/changes")[2]


def test_a_file_that_does_not_read_is_listed_with_the_validators_message(call: Call, project: Project) -> None:
    broken = project.roles / "call-center" / "broken-role.yaml"
    broken.write_text("kind: role\ntitle: 坏文件\n  unit: call-center\n", encoding="utf-8")
    try:
        index = call("GET", "/")[2]
        assert "roles/call-center/broken-role.yaml" in index
        status, _, page = call("GET", "/edit/roles/call-center/broken-role.yaml")
        assert status == 409 and load_locale("zh").label("edit_unreadable") in page
        expected = [p for p in validate(project.roles, locale=load_locale("zh"), display_base=project.root).problems
                    if p.file == "roles/call-center/broken-role.yaml"]
        assert expected and all(p.texts(load_locale("zh"))[0] in page for p in expected)
    finally:
        broken.unlink()


def test_english_fixture_messages_in_english(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "english", tmp_path / "en")
    ws = Workspace(project, load_locale("en"))
    rel = next(s.rel for (kind, _), s in ws.last.handbook.sources.items() if kind == "role")  # type: ignore[union-attr]
    opened = ws.open(rel)
    sent = display(kind_form("role", "en"), opened.raw)
    sent["unit"] = "no-such-unit"
    checked = ws.check(rel, sent)
    message = [p.texts(ws.locale)[0] for p in checked.problems if p.field == "unit"]
    assert message and "no-such-unit" in message[0] and not re.search(r"[\u4e00-\u9fff]", message[0])


def test_the_command_refuses_an_address_without_a_port(capsys: pytest.CaptureFixture[str], project: Project) -> None:
    from generator.cli import main

    assert main(["--project", str(project.root), "edit", "--dev-addr", "localhost"]) == 2
    assert "HOST:PORT" in capsys.readouterr().err


def _mutations(raw: dict[str, Any]) -> list[dict[str, Any]]:
    """Changes an editor makes to a file's data: a list entry added, removed, moved; a value changed or cleared."""
    import copy

    out = []
    for key, value in raw.items():
        if isinstance(value, list) and len(value) >= 2 and key != "aliases":
            for change in ("drop_first", "swap", "append", "insert_middle"):
                new = copy.deepcopy(raw)
                items = new[key]
                if change == "drop_first":
                    items.pop(0)
                elif change == "swap":
                    items[0], items[1] = items[1], items[0]
                elif change == "append":
                    items.append(copy.deepcopy(items[-1]))
                else:
                    items.insert(len(items) // 2, copy.deepcopy(items[0]))
                out.append(new)
        elif isinstance(value, str) and key not in ("kind", "id"):
            new = copy.deepcopy(raw)
            new[key] = value + "（改）"
            out.append(new)
            cleared = copy.deepcopy(raw)
            del cleared[key]
            out.append(cleared)
    return out


def test_any_change_written_reads_back_as_the_forms_data() -> None:
    checked = 0
    for path in _files()[::9]:  # every ninth file: a minute for all, the same code for each
        text = path.read_text(encoding="utf-8")
        raw = plain(roundtrip.load(text))
        if not isinstance(raw, dict) or not registry.is_kind(raw.get("kind")):
            continue
        for new in _mutations(raw)[:8]:
            written = roundtrip.edit(text, edits(raw, new))
            assert plain(roundtrip.load(written)) == new, path
            kept = [line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
            assert sum(line in written.splitlines() for line in kept) >= len(kept) // 2, path
            checked += 1
    assert checked > 60


@pytest.mark.parametrize("company", sorted(p.name for p in FIXTURES.iterdir() if (p / "roles").is_dir()))
def test_every_fixture_file_saved_unchanged_is_unchanged(company: str, tmp_path: Path) -> None:
    project = copy_project(FIXTURES / company, tmp_path / company)
    ws = Workspace(project, load_locale("en" if company == "english" else "zh"))
    before = {p: p.read_bytes() for p in project.roles.rglob("*.yaml")}
    for path in sorted(before):
        rel = path.relative_to(project.root).as_posix()
        try:
            opened = ws.open(rel)
        except Unreadable:
            continue  # a fixture of broken files: listed, not opened
        shown = display(kind_form(opened.kind, ws.locale.lang), opened.raw)
        outcome, _ = ws.save(rel, shown, opened.hash)
        assert outcome == "unchanged", rel
    assert {p: p.read_bytes() for p in project.roles.rglob("*.yaml")} == before
    # One field changed: that field's line only.
    hb = ws.last.handbook  # type: ignore[union-attr]
    ident, role = next(iter(sorted(hb.roles.items())))
    rel = hb.source_of("role", ident).rel
    opened = ws.open(rel)
    shown = display(kind_form("role", ws.locale.lang), opened.raw)
    shown["title"] = role.title + " X"
    old = (project.root / rel).read_text(encoding="utf-8").splitlines()
    assert ws.save(rel, shown, opened.hash)[0] == "saved"
    new = (project.root / rel).read_text(encoding="utf-8").splitlines()
    assert len(old) == len(new) and [(a, b) for a, b in zip(old, new, strict=True) if a != b] == [
        (a, a.replace(role.title, role.title + " X")) for a in old if a.startswith("title:")]
