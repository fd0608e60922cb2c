"""Write the generated folder: only files whose content changed, never outside that folder."""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import markdown

from ..load.problems import Problem
from ..project import DOCS, GENERATED


@dataclass
class WriteReport:
    """What a write changed."""

    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0


def hand_written(handbook_dir: Path) -> tuple[dict[str, bytes], list[Problem]]:
    """Hand-written files of ``handbook/`` (everything but the generated folder), by relative path.

    A link to a file outside ``handbook/`` is refused with a problem: publishing whatever it
    points at (a key, another team's file) is never what the editor meant.
    """
    out: dict[str, bytes] = {}
    problems: list[Problem] = []
    if not handbook_dir.is_dir():
        return out, problems
    inside = handbook_dir.resolve()
    for folder, subfolders, names in os.walk(handbook_dir):
        here = Path(folder)
        # Never descend into the generated folder (thousands of pages) or hidden ones; os.walk
        # does not follow links to folders.
        subfolders[:] = sorted(d for d in subfolders if not d.startswith(".") and here / d != handbook_dir / GENERATED)
        for name in sorted(names):
            path = here / name
            rel = path.relative_to(handbook_dir).as_posix()
            if name.startswith("."):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(inside):
                problems.append(Problem(f"{handbook_dir.name}/{rel}", 1, 1, "", "handbook_outside_link"))
                continue
            if path.is_file():
                out[rel] = path.read_bytes()
    return dict(sorted(out.items())), problems


def merge_docs(
    pages: dict[str, str],
    manual: dict[str, bytes],
    manual_root: str,
    abbreviations: dict[str, str] | None = None,
    *,
    titled: dict[str, tuple[str, bytes]] | None = None,
) -> tuple[dict[str, bytes], list[Problem]]:
    """Generated pages plus mirrored hand-written files; a name clash is a problem, not an overwrite.

    Hand-written Markdown gets the glossary's abbreviations appended to its mirrored copy
    (never to the original), so the ``abbr`` extension explains TSR, KPI … on hover there too;
    generated pages mark abbreviations themselves. ``titled`` keeps each page's text with its
    titled bytes from the last run (see :func:`with_title`), and is updated.
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
    kept: dict[str, tuple[str, bytes]] = {}
    for rel, text in pages.items():
        memo = titled.get(rel) if titled is not None else None
        data = memo[1] if memo is not None and memo[0] == text else with_title(text).encode("utf-8")
        files[f"{DOCS}/{rel}"] = data
        kept[rel] = (text, data)
    if titled is not None:
        titled.clear()
        titled.update(kept)
    return files, problems


_TAG = re.compile(r"<[^>]+>")
#: Abbreviations the Markdown ``*[ABBR]: title`` syntax can carry safely.
_ABBR = re.compile(r"^[A-Za-z0-9+&/.-]{1,16}$")
_HEADING = markdown.Markdown(extensions=["attr_list"])


#: Characters that can make a heading's Markdown differ from its text (escapes, entities,
#: inline markup, attributes, closing hashes, tabs); a heading without them reads as written.
_MARKUP_CHARS = frozenset("\\&<>*_`[]!{}#\t")


def _heading_text(line: str) -> str:
    """The plain text a ``# heading`` line shows."""
    body = line[2:]
    if _MARKUP_CHARS.isdisjoint(body):
        # Most titles are plain words: skip the Markdown parser (2,000 pages, a fifth of a second).
        return body.strip()
    return html.unescape(_TAG.sub("", _HEADING.reset().convert(line))).strip()


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
    plain = _heading_text(first)
    title = json.dumps(html.escape(plain, quote=False), ensure_ascii=False)
    return f"---\ntitle: {title}\n{front}---\n\n{body}"


def _checked(rel: str) -> str:
    """``rel`` when it is a plain relative path; raises otherwise."""
    parts = rel.split("/")
    if not rel or rel.startswith("/") or any(part in ("", ".", "..") for part in parts):
        # Paths come from slugs, so this cannot happen with valid data; refuse anyway.
        raise ValueError(f"refusing to write outside the generated folder: {rel!r}")
    return rel


def _scan(root: Path) -> tuple[dict[str, tuple[int, int] | None], list[str]]:
    """Files under ``root`` (relative path → modification time in ns and size, None for a
    symbolic link) and folders, never following links.

    One ``scandir`` walk instead of a ``resolve`` per file: resolving walks every path
    component with a system call each, and that was a third of writing 2,000 pages.
    """
    files: dict[str, tuple[int, int] | None] = {}
    folders: list[str] = []
    stack = [""]
    while stack:
        folder = stack.pop()
        with os.scandir(root / folder if folder else root) as entries:
            for entry in entries:
                rel = f"{folder}/{entry.name}" if folder else entry.name
                if entry.is_dir(follow_symlinks=False):
                    folders.append(rel)
                    stack.append(rel)
                elif entry.is_symlink():
                    files[rel] = None
                else:
                    st = entry.stat(follow_symlinks=False)
                    files[rel] = st.st_mtime_ns, st.st_size
    return files, folders


#: What :func:`write_tree` knows is on disk: relative path → (bytes, modification time in ns, size).
OnDisk = dict[str, tuple[bytes, int, int]]


def _stamp(path: Path) -> tuple[int, int]:
    st = path.stat()
    return st.st_mtime_ns, st.st_size


def _same(target: Path, rel: str, data: bytes, stamp: tuple[int, int], on_disk: OnDisk | None) -> bool:
    """Whether ``target`` (found with ``stamp``) holds ``data``; read back only when ``on_disk`` cannot tell."""
    known = on_disk.get(rel) if on_disk is not None else None
    if known is not None and known[1:] == stamp:
        return known[0] == data
    if target.read_bytes() != data:
        return False
    if on_disk is not None:
        on_disk[rel] = (data, *stamp)
    return True


def write_tree(root: Path, files: dict[str, bytes], on_disk: OnDisk | None = None) -> WriteReport:
    """Make ``root`` hold exactly ``files``: rewrite changed ones atomically, delete stale ones.

    The generator never makes links, so a link found inside ``root`` is removed first: writing
    through it could land outside. With none left, a checked relative path stays inside.

    ``on_disk``, kept by the caller between runs (the live preview), spares reading a file
    back to compare it: when the file's time and size are what this function last left, its
    bytes are the ones kept. At 1,000 roles that turns 3,000 reads (0.5 s) into the ``stat`` the
    folder's scan makes of each file anyway.
    """
    report = WriteReport()
    if root.is_symlink():
        raise ValueError(f"refusing to write through a link: {root}")
    wanted = {_checked(rel) for rel in files}
    root.mkdir(parents=True, exist_ok=True)
    existing, folders = _scan(root)
    for rel, found in existing.items():
        if found is None:
            (root / rel).unlink()
    made = set(folders)
    for rel in sorted(files):
        data = files[rel]
        target = root / rel
        stamp = existing.get(rel)
        if stamp is not None and _same(target, rel, data, stamp, on_disk):
            report.unchanged += 1
            continue
        folder, _, name = rel.rpartition("/")
        if folder and folder not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(folder)
        if rel in made:  # a folder where a page now goes: the generated folder is ours to tidy
            shutil.rmtree(target)
        tmp = target.parent / f".tmp-{name}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
        if on_disk is not None:
            on_disk[rel] = (data, *_stamp(target))
        report.written.append(rel)
    for rel, found in sorted(existing.items()):
        if rel not in wanted:
            if found is not None:
                (root / rel).unlink(missing_ok=True)
            report.removed.append(rel)
    if on_disk is not None:
        for rel in on_disk.keys() - wanted:
            del on_disk[rel]
    for folder in sorted(folders, key=lambda f: f.count("/"), reverse=True):
        with contextlib.suppress(OSError):  # not empty: it still holds pages
            (root / folder).rmdir()
    return report
