"""Shared fixtures: real builds of a project copied into a temporary folder (never the repo)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from generator.i18n import load_locale
from generator.project import Project, company_locale
from generator.site.build import build
from generator.site.engine import Engine

# Property tests run on a fixed seed by default (reproducible, and what golden reviews rely
# on); `make test` also runs them once with `--hypothesis-profile=random`, which explores new
# inputs each run and prints the failing example's seed when it finds one.
_SLOW_OK = [HealthCheck.too_slow]
settings.register_profile("fixed", derandomize=True, deadline=None, suppress_health_check=_SLOW_OK)
settings.register_profile("random", derandomize=False, print_blob=True, deadline=None, suppress_health_check=_SLOW_OK)
settings.load_profile("fixed")

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
OUTPUT = REPO / "test-output"
"""Screenshots and rendered pages land here for a person to look at."""


def pdf_texts(pdf: Path | bytes) -> list[str]:
    """The text of each page of ``pdf``, read by poppler's ``pdftotext``: the same ToUnicode
    maps pypdf reads, about 10× faster on the CJK fonts these PDFs embed (the sample's 56
    PDFs: 2.9 s against 28 s)."""
    command = ["pdftotext", "-q", "-enc", "UTF-8"]
    source, data = (str(pdf), None) if isinstance(pdf, Path) else ("-", pdf)
    done = subprocess.run([*command, source, "-"], input=data, capture_output=True, check=True)
    # Every page ends with a form feed.
    return done.stdout.decode("utf-8").split("\f")[:-1]


def copy_project(src: Path, dest: Path, roles: Path | None = None) -> Project:
    """A buildable copy of ``src`` (mkdocs.yml, handbook/ without generated files, roles/)."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    shutil.copytree(
        src / "handbook" if (src / "handbook").is_dir() else REPO / "handbook",
        dest / "handbook",
        ignore=shutil.ignore_patterns("generated"),
    )
    shutil.copytree(roles or src / "roles", dest / "roles")
    return Project(dest)


def build_project(project: Project, lang: str = "zh", engine: Engine = "mkdocs") -> Path:
    """Validate, generate and build ``project`` with ``engine`` into its ``site/``; fail the test on any problem.

    MkDocs by default: its strict build checks every link and anchor, which these tests rely on.
    """
    outcome = build(project, load_locale(lang), pdfs=False, engine=engine)
    assert outcome.ok, (outcome.generated.problems, outcome.site_errors)
    return project.site


@pytest.fixture(scope="session")
def sample_projects(tmp_path_factory: pytest.TempPathFactory) -> Callable[[Engine], Project]:
    """The repo's sample handbook built by an engine: each engine's copy built once per test session."""
    built: dict[Engine, Project] = {}

    def get(engine: Engine) -> Project:
        if engine not in built:
            project = copy_project(REPO, tmp_path_factory.mktemp(f"sample-{engine}"))
            build_project(project, engine=engine)
            built[engine] = project
        return built[engine]

    return get


@pytest.fixture(scope="session")
def built(
    sample_projects: Callable[[Engine], Project], tmp_path_factory: pytest.TempPathFactory
) -> Callable[[str, Engine], Project]:
    """A handbook, the sample or a fixture by its folder's name, built by an engine (without PDFs),
    once per session: the modules that read built fixture sites share them."""
    made: dict[tuple[str, Engine], Project] = {}

    def get(name: str, engine: Engine) -> Project:
        if name == "sample":
            return sample_projects(engine)
        if (name, engine) not in made:
            project = copy_project(FIXTURES / name, tmp_path_factory.mktemp(f"{name}-{engine}"))
            for part in (".theme", "assets"):  # a fixture's own handbook/ may hold only its pages
                if not (project.handbook / part).exists():
                    shutil.copytree(REPO / "handbook" / part, project.handbook / part)
            lang = company_locale(project.roles) or "zh"
            outcome = build(project, load_locale(lang), pdfs=False, engine=engine)
            assert outcome.ok, (outcome.generated.problems, outcome.site_errors)
            made[name, engine] = project
        return made[name, engine]

    return get


@pytest.fixture(scope="session")
def sample_project(sample_projects: Callable[[Engine], Project]) -> Project:
    """The repo's sample handbook, copied and built with MkDocs once per test session."""
    return sample_projects("mkdocs")


@pytest.fixture(scope="session")
def sample_site(sample_project: Project) -> Path:
    """The built site of the sample handbook."""
    return sample_project.site


@pytest.fixture
def make_project(tmp_path: Path) -> Callable[..., Project]:
    """Factory: a project in tmp_path with the given ``{relative path: YAML text}`` roles files."""

    def make(files: dict[str, str], src: Path = REPO) -> Project:
        project = tmp_path / "project"
        roles = tmp_path / "roles-src"
        for rel, text in files.items():
            path = roles / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        roles.mkdir(exist_ok=True)
        return copy_project(src, project, roles=roles)

    return make


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/ from the current output"
    )


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when golden files should be rewritten instead of compared."""
    return bool(request.config.getoption("--update-golden"))
