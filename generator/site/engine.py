"""The site engine: MkDocs (with Material) builds the generated docs into a staging folder."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path
from typing import Any

from ..project import Project


class SiteBuildError(Exception):
    """MkDocs refused the generated site (a broken link or anchor in strict mode, a bad config)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


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


def build_site(project: Project, *, site_dir: Path | None = None) -> Path:
    """Run MkDocs (strict) into a staging folder next to ``site/`` and return it; nothing is replaced yet."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    target = site_dir or project.site
    target.parent.mkdir(parents=True, exist_ok=True)
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
