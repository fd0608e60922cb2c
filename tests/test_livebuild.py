"""The live preview's page-by-page MkDocs build writes exactly what MkDocs' own build of the same config writes."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from mkdocs.commands import build as mkbuild

from generator.i18n import load_locale
from generator.project import Project
from generator.site.livebuild import LiveBuild
from generator.site.serve import RELOAD_GRACE, RELOAD_QUIET, Preview, PreviewSite, preview_config

from .bench_preview import edit_duty
from .conftest import FIXTURES, copy_project

URL = "http://127.0.0.1:8000/"


def _site(root: Path) -> dict[str, bytes]:
    """Every file of a built site; compressed files by their content (gzip stamps the time)."""
    out = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        out[path.relative_to(root).as_posix()] = gzip.decompress(data) if path.suffix == ".gz" else data
    return out


def _fresh(project: Project, site: Path) -> dict[str, bytes]:
    """MkDocs' own build (``mkdocs serve`` builds the same way) of the preview's config: the reference."""
    mkbuild.build(preview_config(project, site, URL), serve_url=URL)
    return _site(site)


def _drain(build: LiveBuild) -> None:
    """What the preview's background thread does: write what is due, slice by slice."""
    while build.work():
        pass
    assert not build.due and build.settled.is_set()


def _differences(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


@pytest.fixture
def live(tmp_path: Path) -> tuple[Project, Preview, LiveBuild]:
    project = copy_project(FIXTURES / "mini", tmp_path / "p")
    preview = Preview(project, load_locale("zh"), lambda outcome, shown: None)
    assert preview.regenerate().ok
    preview.take_changes()
    build = LiveBuild(lambda: preview_config(project, tmp_path / "live", URL))
    build.full()
    assert build.settled.is_set()
    return project, preview, build


def _save(project: Project, preview: Preview, build: LiveBuild, old: str, new: str, file: str = "agent.yaml") -> None:
    path = project.roles / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    preview.regenerate()
    build.update(preview.take_changes())
    _drain(build)


def test_an_edit_re_renders_only_the_changed_pages_and_matches_a_full_build(
    live: tuple[Project, Preview, LiveBuild], tmp_path: Path
) -> None:
    project, preview, build = live
    pages = sum(1 for _ in project.docs.rglob("*.md"))
    _save(project, preview, build, "      - 每日通话", "      - 每日通话与回访")
    assert 0 < build.rendered < pages / 2, build.rendered
    served = (build.site_dir / "roles" / "agent" / "index.html").read_text(encoding="utf-8")
    assert "每日通话与回访" in served
    assert _differences(_site(build.site_dir), _fresh(project, tmp_path / "fresh")) == []


def test_the_problems_page_comes_and_goes_without_a_full_build(
    live: tuple[Project, Preview, LiveBuild], tmp_path: Path
) -> None:
    project, preview, build = live
    pages = sum(1 for _ in project.docs.rglob("*.md"))
    _save(project, preview, build, "title:", "title：")
    assert build.rendered == 1
    assert (build.site_dir / "preview-problems" / "index.html").is_file()
    assert _differences(_site(build.site_dir), _fresh(project, tmp_path / "broken")) == []

    _save(project, preview, build, "title：", "title:")
    assert build.rendered < pages / 2
    assert not (build.site_dir / "preview-problems").exists()
    assert _differences(_site(build.site_dir), _fresh(project, tmp_path / "fixed")) == []


def test_a_new_title_rebuilds_every_page(live: tuple[Project, Preview, LiveBuild], tmp_path: Path) -> None:
    project, preview, build = live
    pages = sum(1 for _ in project.docs.rglob("*.md"))
    _save(project, preview, build, "title: 坐席", "title: 电话坐席")
    assert build.rendered == pages  # the nav changed: a title shows on every page
    assert _differences(_site(build.site_dir), _fresh(project, tmp_path / "fresh")) == []


def test_start_writes_nothing_until_a_page_is_asked_for(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "mini", tmp_path / "p")
    preview = Preview(project, load_locale("zh"), lambda outcome, shown: None)
    assert preview.regenerate().ok
    build = LiveBuild(lambda: preview_config(project, tmp_path / "live", URL))
    build.start()
    pages = sum(1 for _ in project.docs.rglob("*.md"))
    assert build.rendered == 0 and len(build.due) == pages and not build.settled.is_set()
    build.page("roles/agent/")
    assert build.rendered == 1 and "roles/agent/" not in build.due
    assert "坐席" in (build.site_dir / "roles" / "agent" / "index.html").read_text(encoding="utf-8")
    assert not (build.site_dir / "search" / "search_index.json").exists()  # not before every page is
    _drain(build)
    assert build.rendered == pages
    assert _differences(_site(build.site_dir), _fresh(project, tmp_path / "fresh")) == []


def test_the_open_page_first_then_the_rest(live: tuple[Project, Preview, LiveBuild], tmp_path: Path) -> None:
    project, preview, build = live
    for name in ("agent.yaml", "team-lead.yaml"):  # two saves before one build: two pages changed
        edit_duty(project.roles / name, "乙")
    preview.regenerate()
    changes = preview.take_changes()
    assert len(changes.written) > 1, changes.written
    build.update(changes, first={"roles/agent/"})
    assert build.rendered == 1 and build.due and not build.settled.is_set()
    assert "修订乙" in (build.site_dir / "roles" / "agent" / "index.html").read_text(encoding="utf-8")
    other = next(iter(build.due))
    build.page(other)
    assert other not in build.due
    _drain(build)
    assert _differences(_site(build.site_dir), _fresh(project, tmp_path / "fresh")) == []


def _raise_agent_target(project: Project) -> None:
    """Save the agent's KPI target as 35 instead of 30: a KPI that several pages show."""
    path = project.roles / "agent.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("target: 30", "target: 35", 1), encoding="utf-8")


def test_pages_left_for_later_are_current_when_a_browser_asks_for_them(
    live: tuple[Project, Preview, LiveBuild], tmp_path: Path
) -> None:
    """A save renders the open page at once and leaves the other changed pages for the
    background; a link followed before the background got to them still gets current pages."""
    project, preview, build = live
    at = PreviewSite(preview, build)
    at.asked("/roles/agent/")
    _raise_agent_target(project)
    at.saved()
    assert preview.behind, "the KPI shows on other pages too: the test would prove nothing"
    later = sorted(preview.deferred_urls())
    assert "roles/agent/" not in later
    before = _site(build.site_dir)
    for url in later:  # followed links, before any background step
        at.asked(f"/{url}")
        assert url not in build.due
    assert not preview.behind
    fresh, now = _fresh(project, tmp_path / "fresh"), _site(build.site_dir)
    pages = [f"{url}index.html".removeprefix("./") for url in later]  # MkDocs calls the home page ./
    assert any(before[page] != fresh[page] for page in pages), "nothing left for later changed: a test of nothing"
    assert [page for page in pages if now[page] != fresh[page]] == []
    while at.step():
        pass
    assert _differences(_site(build.site_dir), fresh) == []


def test_catching_up_lets_a_waiting_save_go_first(live: tuple[Project, Preview, LiveBuild]) -> None:
    """The background's catch-up stops rendering once a save waits (``pause``); what it did not
    render stays left for later, and the next catch-up renders it."""
    project, preview, _ = live
    _raise_agent_target(project)
    preview.regenerate(looking_at=["roles/agent/"])
    left = set(preview.cache.deferred)
    assert left, "the KPI shows on other pages too: the test would prove nothing"
    asked: list[str] = []

    def waiting() -> bool:
        asked.append("?")
        return len(asked) > 1  # a save comes after the first page

    preview.catch_up(pause=waiting)
    assert preview.cache.stats.rendered == 1 and len(preview.cache.deferred) == len(left) - 1
    preview.catch_up(pause=lambda: False)
    assert not preview.behind and preview.cache.stats.rendered == len(left) - 1


def test_an_invalid_save_stops_the_catching_up_until_a_valid_one(
    live: tuple[Project, Preview, LiveBuild], tmp_path: Path
) -> None:
    project, preview, build = live
    at = PreviewSite(preview, build)
    at.asked("/roles/agent/")
    path = project.roles / "agent.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("target: 30", "target: 35", 1), encoding="utf-8")
    at.saved()
    assert preview.behind
    path.write_text(good.replace("title: 坐席", "title: [坐席", 1), encoding="utf-8")  # a YAML error
    at.saved()
    assert preview.cache.deferred and not preview.behind, "an invalid save: nothing to catch up with"
    left = set(preview.cache.deferred)
    at.step()  # the background does not retry the broken save
    assert preview.cache.deferred == left
    path.write_text(good.replace("target: 30", "target: 36", 1), encoding="utf-8")
    at.saved()
    while at.step():
        pass
    assert not preview.cache.deferred
    assert _differences(_site(build.site_dir), _fresh(project, tmp_path / "fresh")) == []


def test_the_home_page_asked_for_at_start_is_written_then(tmp_path: Path) -> None:
    """A browser asks for ``/``; MkDocs names that page ``./``: the request must find it due."""
    project = copy_project(FIXTURES / "mini", tmp_path / "p")
    preview = Preview(project, load_locale("zh"), lambda outcome, shown: None)
    assert preview.regenerate().ok
    build = LiveBuild(lambda: preview_config(project, tmp_path / "live", URL))
    build.start()
    home = build.site_dir / "index.html"
    assert not home.exists() and build.due
    PreviewSite(preview, build).asked("/")
    assert home.is_file() and build.rendered == 1


def test_a_waiting_save_stops_the_background_between_pages(live: tuple[Project, Preview, LiveBuild]) -> None:
    """``work`` writes no further page once ``pause`` says a save or a request waits, and says work remains."""
    project, preview, build = live
    _raise_agent_target(project)
    preview.regenerate()
    build.update(preview.take_changes())
    due = dict(build.due)
    assert len(due) > 1, "the KPI shows on several pages: the test would prove nothing"
    assert build.work(budget=60, pause=lambda: True) and build.due == due and build.rendered == 0
    asked = iter([False, True])
    assert build.work(budget=60, pause=lambda: next(asked, True))
    assert build.rendered == 1 and len(build.due) == len(due) - 1


def test_after_a_save_the_background_leaves_the_reload_alone(live: tuple[Project, Preview, LiveBuild]) -> None:
    """Quiet for :data:`RELOAD_QUIET` after a save; once an open page is asked for again, only
    :data:`RELOAD_GRACE` more, for its styles and scripts."""
    project, preview, build = live
    at = PreviewSite(preview, build)
    assert at.quiet_for() == 0, "no save yet: nothing to leave alone"
    at.asked("/roles/agent/")
    _raise_agent_target(project)
    at.saved()
    assert RELOAD_GRACE < at.quiet_for() <= RELOAD_QUIET
    at.asked("/assets/handbook.css")
    assert at.quiet_for() > RELOAD_GRACE, "an asset is not the reload of an open page"
    at.asked("/roles/agent/")
    assert 0 < at.quiet_for() <= RELOAD_GRACE


def test_a_new_file_not_yet_filled_in_does_not_freeze_the_other_pages(tmp_path: Path) -> None:
    """#31: while `handbook new`'s template waits for its placeholders, every other save still shows."""
    from generator.editor.editguide import PREVIEW_PAGE
    from generator.editor.scaffold import new_file

    zh = load_locale("zh")
    project = copy_project(FIXTURES / "mini", tmp_path / "p")
    preview = Preview(project, zh, lambda outcome, shown: None)
    assert preview.regenerate().ok
    made = new_file(project.root, "role", "helper", "phone-team", zh)
    agent = project.roles / "agent.yaml"
    title = next(line for line in agent.read_text(encoding="utf-8").splitlines() if line.startswith("title:"))
    agent.write_text(agent.read_text(encoding="utf-8").replace(title, "title: 资深坐席", 1), encoding="utf-8")
    outcome = preview.regenerate()
    unfinished = made.relative_to(project.root).as_posix()
    assert outcome.ok and outcome.held_back == [unfinished]
    assert "资深坐席" in (project.docs / "roles" / "agent.md").read_text(encoding="utf-8")
    assert not (project.docs / "roles" / "helper.md").exists()
    listed = (project.docs / PREVIEW_PAGE).read_text(encoding="utf-8")
    assert unfinished in listed and all(p.file == unfinished for p in outcome.problems if p.severity.value == "error")
    # A mistake in a finished file still keeps the last good pages, as before.
    agent.write_text(agent.read_text(encoding="utf-8").replace("title: 资深坐席", "title: [", 1), encoding="utf-8")
    assert not preview.regenerate().ok
    assert "资深坐席" in (project.docs / "roles" / "agent.md").read_text(encoding="utf-8")
    # Filled in, the new role gets its page and the problems page goes.
    agent.write_text(agent.read_text(encoding="utf-8").replace("title: [", "title: 资深坐席", 1), encoding="utf-8")
    made.write_text("kind: role\ntitle: 助理\nunit: phone-team\nduties:\n  - area: 协助\n    items: [整理资料]\n",
                    encoding="utf-8")
    outcome = preview.regenerate()
    assert outcome.ok and outcome.held_back == []
    assert (project.docs / "roles" / "helper.md").is_file() and not (project.docs / PREVIEW_PAGE).exists()
