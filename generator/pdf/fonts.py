"""The PDF font, made once per build: Noto Sans CJK SC cut down to the characters the PDFs use, cached.

Why: the system font is a 19 MB collection of 65,000 glyphs. Handing it to WeasyPrint
makes every PDF subset (with fontTools: about 9 s) and embed a font sized by its highest
glyph id. A small face holding only the build's characters makes both cheap: the slow
work happens once, here, and only again when a new character appears.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from concurrent.futures import ProcessPoolExecutor
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
RECIPE = "1"


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


def _cut(source: str, index: int, chars: str, out: str) -> None:
    """Subset one face to ``chars`` and save it; runs in a worker process."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source, fontNumber=index, lazy=False)
    options = subset.Options()
    # WeasyPrint drops GSUB/GPOS from embedded fonts anyway, and the SC face's cmap
    # already maps to Simplified forms; keeping no layout features halves the time.
    options.layout_features = []
    options.hinting = False
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[ord(c) for c in chars])
    subsetter.subset(font)
    tmp = f"{out}.tmp{os.getpid()}"
    font.save(tmp)
    os.replace(tmp, out)


def _covered(path: Path, index: int, chars: str) -> frozenset[str]:
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(path), fontNumber=index, lazy=True).getBestCmap()
    return frozenset(c for c in chars if ord(c) in cmap)


def prepare(text: str, cache: Path) -> FontSet:
    """Subset faces covering every character of ``text`` (reused from ``cache`` when they exist)."""
    # Control and format characters (categories C*) have no glyph in any font.
    wanted = sorted({c for c in text + BASE_CHARS if not unicodedata.category(c).startswith("C")})
    chars = "".join(wanted)
    sources = {weight: _source(weight) for weight in FACES}
    stamp = "|".join(f"{p.name}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in sources.values())
    key = hashlib.sha256(f"{RECIPE}|{stamp}|{chars}".encode()).hexdigest()[:16]
    folder = cache / "fonts"
    folder.mkdir(parents=True, exist_ok=True)
    files = {weight: folder / f"handbook-sans-{weight}-{key}.otf" for weight in FACES}
    todo = {w: p for w, p in files.items() if not p.is_file()}
    indexes = {weight: _member(path) for weight, path in sources.items()}
    if todo:
        # One face per core: the two cuts are independent and each takes a second or two.
        with ProcessPoolExecutor(max_workers=min(len(todo), os.cpu_count() or 1)) as pool:
            jobs = [pool.submit(_cut, str(sources[w]), indexes[w], chars, str(p)) for w, p in todo.items()]
            for job in jobs:
                job.result()
        _prune(folder, set(files.values()))
    covered = _covered(files["regular"], 0, chars)
    missing = frozenset(c for c in chars if c not in covered and c != " ")
    return FontSet(files=files, digest=key, missing=missing)


def _prune(folder: Path, keep: set[Path]) -> None:
    # Faces of older character sets are never used again.
    for path in folder.glob("handbook-sans-*.otf"):
        if path not in keep:
            path.unlink(missing_ok=True)
