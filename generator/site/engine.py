"""The site engines: MkDocs (with Material) or Zensical build the generated docs into a staging folder.

Both read the same ``mkdocs.yml`` and the same generated docs; only the program differs.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from ..errors import SiteBuildError, UsageError
from ..project import Project

Engine = Literal["mkdocs", "zensical"]
ENGINES: tuple[Engine, ...] = get_args(Engine)
#: The engine `handbook build` uses unless told otherwise: the one whose search measured best
#: (README, "Site settings that matter").
DEFAULT_ENGINE: Engine = "zensical"
#: Zensical's own build cache, kept in the project folder between builds (git-ignored).
ZENSICAL_CACHE = ".cache"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def anchor_search_paths(config: Any, root: Path) -> None:
    """Make the search plugin's jieba dictionary path absolute.

    mkdocs.yml names it relative to the project (as a plain `mkdocs build` run there sees
    it), and the plugin opens it relative to the working directory; anchoring it here lets
    us build from anywhere without changing the process's working directory.
    """
    for plugin in config["plugins"].values():
        options = getattr(plugin, "config", None)
        path = getattr(options, "jieba_dict_user", None)
        if options is not None and isinstance(path, str) and not Path(path).is_absolute():
            options.jieba_dict_user = str(root / path)


#: The theme's search scripts, unused: both engines' own search is off (mkdocs.yml).
UNUSED_LUNR = Path("assets/javascripts/lunr")


def require_config(project: Project) -> None:
    """Refuse, in the reader's words, to build or serve a folder with no ``mkdocs.yml`` or no theme folder:
    both engines read the site's settings from them, and without them they fail deep inside."""
    if not project.mkdocs_yml.is_file():
        raise UsageError("no_site_config", path=str(project.root))
    # mkdocs.yml copied without handbook/: both engines stop on the missing theme folder, in their words
    theme = project.handbook / ".theme"
    if not theme.is_dir():
        raise UsageError("no_site_theme", path=str(theme))


def build_site(project: Project, *, site_dir: Path | None = None, engine: Engine = DEFAULT_ENGINE) -> Path:
    """Build the site with ``engine`` into a staging folder next to ``site/`` and return it; nothing is replaced yet."""
    target = site_dir or project.site
    target.parent.mkdir(parents=True, exist_ok=True)
    run = _build_zensical if engine == "zensical" else _build_mkdocs
    staging = run(project, target)
    if staging.parent.resolve() != target.parent.resolve():
        # Zensical writes only inside the project; the swap needs the staging folder beside the target.
        moved = Path(tempfile.mkdtemp(dir=target.parent, prefix=".site-staging-"))
        moved.rmdir()
        shutil.move(staging, moved)
        staging = moved
    # Material's own search files (lunr and its word lists for 20 languages, Chinese and Japanese
    # among them): copied with the theme though its search is off and no page loads them.
    shutil.rmtree(staging / UNUSED_LUNR, ignore_errors=True)
    return staging


def _build_mkdocs(project: Project, target: Path) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".site-staging-"))
    collector = _Collect()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(collector)
    try:
        config = load_config(str(project.mkdocs_yml), site_dir=str(staging), strict=True)
        anchor_search_paths(config, project.root)
        build(config)
    except (MkDocsException, SystemExit, OSError) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise SiteBuildError(collector.messages or [str(exc)]) from exc
    except BaseException:
        # A crash (a bug, Ctrl-C) must not leave a half-built staging folder behind either.
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        logger.removeHandler(collector)
    return staging


@contextlib.contextmanager
def zensical_config(project: Project, **settings: Any) -> Iterator[Path]:
    """``mkdocs.yml`` with ``settings`` laid over it (``extra`` merged), in a temporary sibling file.

    Zensical has no options for the output folder or extra settings, and insists that the
    output lies inside the project: the overrides go into a copy it reads instead.
    """
    root = project.mkdocs_yml.parent
    config = yaml.safe_load(project.mkdocs_yml.read_text(encoding="utf-8"))
    extra = settings.pop("extra", None)
    config.update(settings)
    if extra:
        config["extra"] = {**(config.get("extra") or {}), **extra}
    fd, name = tempfile.mkstemp(dir=root, prefix=".zensical-", suffix=".yml")
    path = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            yaml.safe_dump(config, handle, allow_unicode=True, sort_keys=False)
        yield path
    finally:
        path.unlink(missing_ok=True)


def zensical_command(*args: str) -> list[str]:
    """The command line that runs Zensical from this Python (so from this virtualenv)."""
    return [sys.executable, "-m", "zensical", *args]


def _build_zensical(project: Project, target: Path) -> Path:
    root = project.mkdocs_yml.parent
    staging = Path(tempfile.mkdtemp(dir=root, prefix=".site-staging-"))
    try:
        with zensical_config(project, site_dir=staging.name) as config:
            # Its own process: Zensical's Rust runtime owns threads and prints; a crash there is a message here.
            done = subprocess.run(
                zensical_command("build", "--strict", "-f", str(config)),
                cwd=root,
                capture_output=True,
                text=True,
                check=False,
            )
        if done.returncode != 0 or not (staging / "index.html").is_file():
            raise SiteBuildError(_zensical_messages(done.stdout + done.stderr) or ["zensical build failed"])
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _zensical_messages(output: str) -> list[str]:
    """What Zensical said, for a person: colours off, its own Python traceback left out.

    It draws each problem as a small box naming the file, line and column
    (``╭─[ guide.md:3:9 ]``), colouring every character; the box is kept whole.
    """
    lines = _ANSI.sub("", output).splitlines()
    kept = [
        line for line in lines
        if line.strip() and not line.startswith(("Traceback", "  File ", "    ")) and line != "Build started"
    ]
    return kept
