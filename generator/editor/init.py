"""``handbook init``: a new company's project from nothing, ready for ``handbook new`` and ``handbook build``.

A project is the site's shared set-up (``mkdocs.yml``, the theme overrides and assets under
``handbook/``), the editors' schema files, a ``.gitignore`` for what the build writes, and
``roles/`` with one file: the company's top unit, whose ``company:`` settings make the site its
own (name, language). The set-up is copied from the generator's own checkout, which is the
one every test builds, so a new project starts from what is known to build on both engines.
Nothing is overwritten: a folder that already holds a project is refused as a whole.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

import yaml

from ..errors import EXIT_OK, ScaffoldError, ScaffoldExists
from ..i18n import Locale, load_locale
from ..model.entities.base import ID_RE
from ..project import Project
from .schema import SCHEMA_DIR, schema_file, write_schemas

#: The generator's checkout: its mkdocs.yml and handbook/ are the set-up every project shares.
CHECKOUT = Path(__file__).resolve().parents[2]
#: What the shared set-up is made of (the generated folder is the build's, never copied).
SHARED = ("mkdocs.yml", "handbook/.theme", "handbook/assets")
#: What a build writes into a project, kept out of git.
IGNORED = ("/site/", "/handbook/generated/", "/.site-staging*/", "/.site-preview-*/", "/.handbook-cache/",
           "/.cache/", "/.zensical-*.yml")


def run_init(args: argparse.Namespace, project: Project, locale: Locale) -> int:
    """Write the project into ``args.folder`` (default: the current folder); refuse if one is there."""
    root = (args.folder or Path.cwd()).resolve()
    lang = args.locale or locale.lang
    ident = args.id
    if not ID_RE.match(ident):
        raise ScaffoldError("new_bad_id", id=ident)
    taken = [name for name in ("mkdocs.yml", "roles") if (root / name).exists()]
    if taken:
        raise ScaffoldExists("init_exists", path=(root / taken[0]).as_posix())
    missing = [name for name in SHARED if not (CHECKOUT / name).exists()]
    if missing:
        raise ScaffoldError("init_no_checkout", path=(CHECKOUT / missing[0]).as_posix())
    words = load_locale(lang)
    _copy_shared(root)
    write_schemas(root / SCHEMA_DIR)
    _gitignore(root / ".gitignore")
    top = root / "roles" / f"{ident}.yaml"
    top.parent.mkdir(parents=True)
    top.write_text(company_file(args.company, lang, words), encoding="utf-8")
    print(words.label("init_done").format(folder=root.as_posix(), name=args.company, id=ident,
                                          path=top.relative_to(root).as_posix()))
    return EXIT_OK


def company_file(name: str, lang: str, words: Locale) -> str:
    """The top unit: its name and the company settings, with a line on what else can go there."""
    data = {"kind": "unit", "name": name, "company": {"name": name, "locale": lang}}
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=False)
    return "\n".join((f"# yaml-language-server: $schema=../{SCHEMA_DIR}/{schema_file('unit')}",
                      "# " + words.label("init_header"), body))


def _copy_shared(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)
    for name in SHARED:
        source, target = CHECKOUT / name, root / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)


def _gitignore(path: Path) -> None:
    """Add the build's folders to the project's .gitignore, keeping whatever it already says."""
    have = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    lines = have + [line for line in IGNORED if line not in have]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
