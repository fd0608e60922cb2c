"""Write the generated folder: only files whose content changed, never outside that folder."""

from __future__ import annotations

import html
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import markdown  # type: ignore[import-untyped]

from .problems import Problem

#: Name of the folder inside ``handbook/`` that the generator owns (git-ignored).
GENERATED = "generated"
#: The MkDocs docs_dir, inside the generated folder.
DOCS = "docs"


@dataclass
class WriteReport:
    """What a write changed."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def hand_written(handbook_dir: Path) -> dict[str, bytes]:
    """Hand-written files of ``handbook/`` (everything but the generated folder), by relative path."""
    out: dict[str, bytes] = {}
    if not handbook_dir.is_dir():
        return out
    for path in sorted(handbook_dir.rglob("*")):
        rel = path.relative_to(handbook_dir)
        if rel.parts[0] == GENERATED or any(p.startswith(".") for p in rel.parts) or not path.is_file():
            continue
        out[rel.as_posix()] = path.read_bytes()
    return out


def merge_docs(
    pages: dict[str, str],
    manual: dict[str, bytes],
    manual_root: str,
    abbreviations: dict[str, str] | None = None,
) -> tuple[dict[str, bytes], list[Problem]]:
    """Generated pages plus mirrored hand-written files; a name clash is a problem, not an overwrite.

    Hand-written Markdown gets the glossary's abbreviations appended to its mirrored copy
    (never to the original), so the ``abbr`` extension explains TSR, KPI … on hover there too;
    generated pages mark abbreviations themselves.
    """
    files: dict[str, bytes] = {}
    problems = []
    pairs = sorted((abbreviations or {}).items())
    definitions = "".join(f"\n*[{abbr}]: {' '.join(title.split())}" for abbr, title in pairs if _ABBR.match(abbr))
    for rel, data in manual.items():
        if rel in pages:
            problems.append(Problem(f"{manual_root}/{rel}", 1, 1, "", "page_collision", {"page": rel}))
            continue
        if rel.endswith(".md") and definitions:
            data = data.rstrip(b"\n") + b"\n" + definitions.encode("utf-8") + b"\n"
        files[f"{DOCS}/{rel}"] = data
    for rel, text in pages.items():
        files[f"{DOCS}/{rel}"] = with_title(text).encode("utf-8")
    return files, problems


_TAG = re.compile(r"<[^>]+>")
#: Abbreviations the Markdown ``*[ABBR]: title`` syntax can carry safely.
_ABBR = re.compile(r"^[A-Za-z0-9+&/.-]{1,16}$")
_HEADING = markdown.Markdown(extensions=["attr_list"])


def with_title(text: str) -> str:
    """The page with a front-matter ``title``: the escaped plain text of its ``# heading``.

    Why: Material prints ``page.title | striptags`` into ``<title>``, and striptags unescapes,
    so a heading holding ``&lt;/title&gt;&lt;svg onload=…&gt;`` from YAML would close the
    element and run. A front-matter title is printed as given, so it gets escaped text.
    """
    front, body = "", text
    if text.startswith("---\n") and "\n---\n" in text[4:]:
        end = text.index("\n---\n", 4)
        front, body = text[4 : end + 1], text[end + 5 :].lstrip("\n")
    first = body.split("\n", 1)[0]
    if not first.startswith("# ") or "\ntitle:" in "\n" + front:
        return text
    rendered = _HEADING.reset().convert(first)
    plain = html.unescape(_TAG.sub("", rendered)).strip()
    title = json.dumps(html.escape(plain, quote=False), ensure_ascii=False)
    return f"---\ntitle: {title}\n{front}---\n\n{body}"


def _inside(root: Path, rel: str) -> Path:
    target = (root / rel).resolve()
    if not target.is_relative_to(root.resolve()):
        # Paths come from slugs, so this cannot happen with valid data; refuse anyway.
        raise ValueError(f"refusing to write outside {root}: {rel}")
    return target


def write_tree(root: Path, files: dict[str, bytes]) -> WriteReport:
    """Make ``root`` hold exactly ``files``: rewrite changed ones atomically, delete stale ones."""
    report = WriteReport()
    if root.is_symlink():
        raise ValueError(f"refusing to write through a link: {root}")
    root.mkdir(parents=True, exist_ok=True)
    for rel in sorted(files):
        data = files[rel]
        target = _inside(root, rel)
        if target.is_file() and target.read_bytes() == data:
            report.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        report.written.append(rel)
    wanted = {_inside(root, rel) for rel in files}
    for path in sorted(root.rglob("*"), reverse=True):
        if path.is_file() and path not in wanted:
            path.unlink()
            report.removed.append(path.relative_to(root).as_posix())
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    return report
