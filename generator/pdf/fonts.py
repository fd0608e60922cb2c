"""The PDF font, made once per build: Noto Sans CJK SC cut down to the characters the PDFs use, cached.

Why: the system font is a 19 MB collection of 65,000 glyphs. Handing it to WeasyPrint
makes every PDF subset it again and embed a font sized by its highest glyph id. A small
face holding only the build's characters makes both cheap. The cut itself is HarfBuzz's
subsetter (uharfbuzz): 20 ms a face, where fontTools took 3 s of one core (10 s on a busy
machine), which every fresh build and each test with a fresh cache paid twice.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..errors import FontError

#: Where Debian's fonts-noto-cjk puts the collections; ``HANDBOOK_CJK_FONT_DIR`` overrides it.
SYSTEM_FONT_DIR = Path("/usr/share/fonts/opentype/noto")
#: The collection member holding Simplified Chinese glyph forms.
FAMILY = "Noto Sans CJK SC"
#: Files per weight.
FACES = {"regular": "NotoSansCJK-Regular.ttc", "bold": "NotoSansCJK-Bold.ttc"}
#: The name the PDF stylesheet uses; deliberately not the system family's name, so
#: Pango can never silently pick the full system font instead of the subset.
CSS_FAMILY = "Handbook Sans"
#: Always kept: printable ASCII (page numbers, dates, Latin words), the list bullets CSS
#: draws (never part of the HTML text) and common typographic marks.
BASE_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + "\u00a0•◦▪·–—…“”‘’、。，：；！？（）《》【】≥≤×→›％／"
#: Bumped when the subsetting recipe changes, so old cached faces are not reused.
RECIPE = "2"


@dataclass(frozen=True)
class FontSet:
    """The subset faces of one build and what they cannot show."""

    files: dict[str, Path]
    """Weight (``regular``, ``bold``) → subset font file."""
    digest: str
    """Hash of the faces: part of every PDF's cache key."""
    missing: frozenset[str]
    """Characters the PDFs use that Noto Sans CJK SC has no glyph for."""

    def css(self) -> str:
        """``@font-face`` rules for the PDF stylesheet."""
        rules = []
        for weight, path in sorted(self.files.items()):
            css_weight = 700 if weight == "bold" else 400
            rules.append(
                f'@font-face {{ font-family: "{CSS_FAMILY}"; font-weight: {css_weight}; '
                f'src: url("{path.resolve().as_uri()}"); }}'
            )
        return "\n".join(rules)


def font_dir() -> Path:
    """Folder of the Noto CJK collections."""
    return Path(os.environ.get("HANDBOOK_CJK_FONT_DIR", SYSTEM_FONT_DIR))


def _source(weight: str) -> Path:
    path = font_dir() / FACES[weight]
    if not path.is_file():
        raise FontError("font_missing", str(path))
    return path


def _member(path: Path) -> int:
    """Index of the SC face inside the collection (the order differs between releases)."""
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    for index, font in enumerate(collection.fonts):
        if font["name"].getDebugName(1) == FAMILY:
            return index
    raise FontError("font_no_face", str(path), family=FAMILY)


#: Tables the PDFs never use: WeasyPrint drops GSUB/GPOS from embedded fonts anyway, and the
#: SC face's cmap already maps to Simplified forms.
_DROP_TABLES = ("GSUB", "GPOS", "BASE", "JSTF", "DSIG")


def _cut(source: Path, index: int, chars: str, out: Path) -> None:
    """Subset one face of the collection to ``chars`` and save it (atomically: a reader never sees half a file)."""
    import uharfbuzz as hb

    face = hb.Face(hb.Blob.from_file_path(str(source)), index)
    wanted = hb.SubsetInput()
    wanted.unicode_set.update(ord(c) for c in chars)
    wanted.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.NOTDEF_OUTLINE
    drop = wanted.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
    for tag in _DROP_TABLES:
        drop.add(int.from_bytes(tag.encode("ascii"), "big"))
    cut = hb.subset(face, wanted)
    if cut is None:
        raise FontError("font_no_face", str(source), family=FAMILY)
    tmp = out.with_name(f"{out.name}.tmp{os.getpid()}")
    tmp.write_bytes(cut.blob.data)
    os.replace(tmp, out)


def _covered(path: Path, index: int, chars: str) -> frozenset[str]:
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(path), fontNumber=index, lazy=True).getBestCmap()
    return frozenset(c for c in chars if ord(c) in cmap)


def prepare(text: str, cache: Path) -> FontSet:
    """Subset faces covering every character of ``text`` (reused from ``cache`` when they exist)."""
    # Control and format characters (categories C*) have no glyph in any font.
    wanted = sorted(c for c in {*text, *BASE_CHARS} if not unicodedata.category(c).startswith("C"))
    chars = "".join(wanted)
    sources = {weight: _source(weight) for weight in FACES}
    stamp = "|".join(f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in sources.values())
    key = hashlib.sha256(f"{RECIPE}|{stamp}|{chars}".encode()).hexdigest()[:16]
    folder = cache / "fonts"
    folder.mkdir(parents=True, exist_ok=True)
    files = {weight: folder / f"handbook-sans-{weight}-{key}.otf" for weight in FACES}
    todo = {w: p for w, p in files.items() if not p.is_file()}
    indexes = {weight: _member(path) for weight, path in sources.items()}
    for weight, path in todo.items():
        _cut(sources[weight], indexes[weight], chars, path)
    if todo:
        _prune(folder, set(files.values()))
    covered = _covered(files["regular"], 0, chars)
    missing = frozenset(c for c in chars if c not in covered and c != " ")
    return FontSet(files=files, digest=key, missing=missing)


def _prune(folder: Path, keep: set[Path]) -> None:
    # Faces of older character sets are never used again.
    for path in folder.glob("handbook-sans-*.otf"):
        if path not in keep:
            path.unlink(missing_ok=True)
