"""Tidy-tree layout of an org chart: text measured and wrapped, boxes sized to it, placed without overlap.

Pure geometry, no SVG and no handbook: a tree of :class:`Box` in, the same boxes with
positions plus the connector paths out. Rows are shared per depth, so boxes of different
depths never meet; within a row, subtrees are packed against each other's contours
(Reingold–Tilford style). Runs of leaf children hang below their parent in columns,
so a manager with 30 direct reports does not make a chart 30 boxes wide.
"""

from __future__ import annotations

import functools
import itertools
import math
import unicodedata
from dataclasses import dataclass, field

#: Font sizes (px) of the two kinds of line in a box.
TITLE_SIZE = 14.0
DETAIL_SIZE = 12.0
LINE_HEIGHT = 1.4
#: Widest a title line may grow before it wraps: ten CJK characters.
MAX_TEXT_WIDTH = 10 * TITLE_SIZE
PAD_X = 12.0
PAD_Y = 8.0
MIN_BOX_WIDTH = 64.0
#: Height of the staffing bar drawn at the bottom of a box that has open positions.
BAR_HEIGHT = 4.0
H_GAP = 16.0
V_GAP = 36.0
STACK_INDENT = 14.0
STACK_GAP = 8.0
#: A parent with at least this many leaf children stacks them in columns, when a row of
#: all its children would be wider than MAX_ROW_WIDTH (about a content column).
STACK_MIN = 4
MAX_ROW_WIDTH = 720.0
STACK_ROWS = 8
MARGIN = 4.0

#: Latin letters that are much wider or narrower than the average (Noto Sans CJK SC).
_WIDE = set("mwMW@%")
_NARROW = set("ilIjft.,:;'|!()[]{} ")


@functools.cache
def char_width(ch: str, size: float) -> float:
    """Estimated advance of one character: full width for CJK (and ambiguous) characters,
    about 0.6 em for Latin. Kept a little above the real Noto Sans CJK SC widths, so a box
    sized by it never clips its text."""
    if ch in _WIDE:
        return 0.96 * size
    if ch in _NARROW:
        return 0.36 * size
    if ch.isascii():
        return (0.74 if ch.isupper() else 0.6) * size
    if unicodedata.east_asian_width(ch) in ("W", "F", "A"):
        return size
    return 0.75 * size


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Estimated width of ``text`` at ``size`` px; bold Latin runs about 6 % wider."""
    return _text_width(text, size, bold)


@functools.lru_cache(maxsize=16384)  # a 1,000-role build measures the same titles 50,000 times
def _text_width(text: str, size: float, bold: bool) -> float:
    width = sum(char_width(ch, size) for ch in text)
    return width * 1.06 if bold else width


#: Characters a line must not start with (Chinese line-breaking rules, simplified).
_NO_START = set("，。、；：？！）》」』】〉”’,.;:?!)]}·-–—%")


def _tokens(text: str) -> list[str]:
    """Break opportunities: each CJK character alone, Latin words whole with their trailing space."""
    out: list[str] = []
    word = ""
    for ch in text:
        if ch.isascii() and not ch.isspace():
            word += ch
            continue
        if word:
            out.append(word)
            word = ""
        if ch.isspace() and out:
            out[-1] += ch
        elif not ch.isspace():
            out.append(ch)
    if word:
        out.append(word)
    return out


def wrap(text: str, size: float, max_width: float, *, bold: bool = False) -> list[str]:
    """Line breaking at CJK characters and Latin word boundaries, lines balanced in length."""
    return list(_wrap(text, size, max_width, bold))


@functools.lru_cache(maxsize=8192)  # the same titles come back in many charts of one build
def _wrap(text: str, size: float, max_width: float, bold: bool) -> tuple[str, ...]:
    """The lines of :func:`wrap`, cached.

    Greedy breaking leaves a lone last character (第1号区域业务发展 / 部); instead, find
    the narrowest width that still needs no more lines than greedy breaking does.
    """
    lines = _greedy(text, size, max_width, bold)
    if len(lines) < 2:
        return tuple(lines)
    width = text_width(text, size, bold=bold) / len(lines)
    while width < max_width:
        balanced = _greedy(text, size, width, bold)
        if len(balanced) <= len(lines):
            return tuple(balanced)
        width += size / 2
    return tuple(lines)


def _greedy(text: str, size: float, max_width: float, bold: bool) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in _tokens(text):
        candidate = current + token
        if current and text_width(candidate.rstrip(), size, bold=bold) > max_width and token[0] not in _NO_START:
            lines.append(current.rstrip())
            current = token
        else:
            current = candidate
    if current.strip():
        lines.append(current.rstrip())
    return lines or [""]


@dataclass
class Line:
    """One line of text in a box."""

    text: str
    size: float = TITLE_SIZE
    bold: bool = False
    css: str = "title"
    """Class of the text element, also picking its colour."""


@dataclass
class Box:
    """A box of the chart: its text in, its place out."""

    texts: list[Line]
    """Logical lines before wrapping."""
    children: list[Box] = field(default_factory=list)
    href: str | None = None
    style: str = "role"
    """``role``, ``self``, ``unit``, ``more`` (a folded rest) or ``root`` (invisible)."""
    fill: float | None = None
    """Share of planned positions that are filled, when some are open."""
    label: str = ""
    """Accessible name of the box."""
    lines: list[Line] = field(default_factory=list)
    """Wrapped lines, set by :func:`layout`."""
    x: float = 0.0
    y: float = 0.0
    w: float = 0.0
    h: float = 0.0
    depth: int = 0

    @property
    def visible(self) -> bool:
        """False for the invisible root that holds a forest together."""
        return self.style != "root"


@dataclass
class Chart:
    """A laid-out chart: every visible box placed, connectors as SVG path data."""

    boxes: list[Box]
    paths: list[str]
    width: float
    height: float


def _measure(box: Box) -> None:
    if box.lines:
        return  # measured already, as a leaf that might have been stacked
    if not box.visible:
        box.w = box.h = 0.0
        return
    lines: list[Line] = []
    for line in box.texts:
        for text in wrap(line.text, line.size, MAX_TEXT_WIDTH, bold=line.bold):
            lines.append(Line(text, line.size, line.bold, line.css))
    box.lines = lines
    widest = max(text_width(line.text, line.size, bold=line.bold) for line in lines)
    box.w = math.ceil(max(MIN_BOX_WIDTH, widest + 2 * PAD_X))
    height = sum(line.size * LINE_HEIGHT for line in lines) + 2 * PAD_Y
    if box.fill is not None:
        height += BAR_HEIGHT + 2
    box.h = math.ceil(height)


@dataclass
class _Slot:
    """What sits in one place of a row: a subtree, or a column of stacked leaves."""

    box: Box | None = None
    stack: list[Box] = field(default_factory=list)
    children: list[_Slot] = field(default_factory=list)
    offset: float = 0.0
    """Anchor x relative to the parent's anchor."""

    @property
    def width(self) -> float:
        return STACK_INDENT + max(b.w for b in self.stack)

    @property
    def height(self) -> float:
        return sum(b.h for b in self.stack) + STACK_GAP * (len(self.stack) - 1)


def _slots(box: Box, depth: int) -> _Slot:
    box.depth = depth
    _measure(box)
    slot = _Slot(box=box)
    leaves = [c for c in box.children if not c.children]
    for leaf in leaves:
        leaf.depth = depth + 1
        _measure(leaf)
    row = sum(leaf.w + H_GAP for leaf in leaves) + 150.0 * (len(box.children) - len(leaves))
    # Under the invisible root a stack would hang from nothing, so a forest stays a row.
    stacked = len(leaves) >= STACK_MIN and box.visible and row > MAX_ROW_WIDTH
    if stacked:
        columns = math.ceil(len(leaves) / STACK_ROWS)
        rows = math.ceil(len(leaves) / columns)
        for i in range(0, len(leaves), rows):
            slot.children.append(_Slot(stack=leaves[i : i + rows]))
    for child in box.children:
        if child.children or not stacked:
            slot.children.append(_slots(child, depth + 1))
    return slot


Contour = dict[int, tuple[float, float]]
"""Per depth: leftmost and rightmost x of a subtree, relative to its anchor."""


def _pack(slot: _Slot, depth: int, rows: _Rows) -> Contour:
    if slot.box is None:  # a stack hangs from its spine at the anchor, down through later rows
        bottom = rows.y(depth) + slot.height
        spanned = itertools.takewhile(lambda d: rows.y(d) - V_GAP / 2 < bottom, itertools.count(depth))
        return dict.fromkeys(spanned, (0.0, slot.width))
    half = slot.box.w / 2
    own: Contour = {depth: (-half, half)} if slot.box.visible else {}
    if not slot.children:
        return own
    merged: Contour = {}
    offsets: list[float] = []
    for child in slot.children:
        contour = _pack(child, depth + 1, rows)
        offset = 0.0
        if offsets:
            offset = max(
                (merged[d][1] - contour[d][0] + H_GAP for d in contour if d in merged),
                default=max(right for _, right in merged.values()) + H_GAP,
            )
        offsets.append(offset)
        for d, (left, right) in contour.items():
            if d in merged:
                merged[d] = (min(merged[d][0], left + offset), max(merged[d][1], right + offset))
            else:
                merged[d] = (left + offset, right + offset)
    middle = (offsets[0] + offsets[-1]) / 2
    for child, offset in zip(slot.children, offsets, strict=True):
        child.offset = offset - middle
    out = {d: (left - middle, right - middle) for d, (left, right) in merged.items()}
    out.update(own)
    return out


class _Rows:
    """The top y of each depth's row; rows below the deepest box are spaced evenly, for stacks."""

    def __init__(self, heights: dict[int, float]) -> None:
        self.top: dict[int, float] = {}
        y = MARGIN
        for depth in sorted(heights):
            self.top[depth] = y
            y += heights[depth] + V_GAP
        self.end = y
        self.last = max(heights)

    def y(self, depth: int) -> float:
        """Top of the row at ``depth``."""
        if depth in self.top:
            return self.top[depth]
        return self.end + (depth - self.last - 1) * (TITLE_SIZE * LINE_HEIGHT + 2 * PAD_Y + V_GAP)


def _rows(slot: _Slot, depth: int, heights: dict[int, float]) -> None:
    # A stack does not make its row taller: it runs on down past the rows below, and the
    # packing keeps those rows' boxes clear of it.
    height = slot.box.h if slot.box is not None else slot.stack[0].h
    heights[depth] = max(heights.get(depth, 0.0), height)
    for child in slot.children:
        _rows(child, depth + 1, heights)


def layout(root: Box) -> Chart:
    """Place every box of the tree under ``root``; an invisible root lays out a forest."""
    top = _slots(root, 0)
    heights: dict[int, float] = {}
    _rows(top, 0, heights)
    if not root.visible:
        heights[0] = -V_GAP  # the invisible root takes no room
    rows = _Rows(heights)
    contour = _pack(top, 0, rows)
    if not contour:
        return Chart([], [], 0.0, 0.0)
    boxes: list[Box] = []
    paths: list[str] = []
    _place(top, MARGIN - min(left for left, _ in contour.values()), 0, rows, boxes, paths)
    width = max(b.x + b.w for b in boxes) + MARGIN
    height = max(b.y + b.h for b in boxes) + MARGIN
    return Chart(boxes, paths, math.ceil(width), math.ceil(height))


def _place(slot: _Slot, x: float, depth: int, rows: _Rows, boxes: list[Box], paths: list[str]) -> None:
    """Give ``slot`` (anchored at ``x``) and its subtree absolute positions and connectors."""
    if slot.box is None:
        y = rows.y(depth)
        for leaf in slot.stack:
            leaf.x, leaf.y = x + STACK_INDENT, y
            boxes.append(leaf)
            paths.append(f"M{x:g} {leaf.y + leaf.h / 2:g}H{leaf.x:g}")
            y += leaf.h + STACK_GAP
        last = slot.stack[-1]
        paths.append(f"M{x:g} {rows.y(depth):g}V{last.y + last.h / 2:g}")
        return
    box = slot.box
    box.x, box.y = x - box.w / 2, rows.y(depth)
    if box.visible:
        boxes.append(box)
    if not slot.children:
        return
    anchors = [x + child.offset for child in slot.children]
    child_y = rows.y(depth + 1)
    if box.visible:
        bus = child_y - V_GAP / 2
        paths.append(f"M{x:g} {box.y + box.h:g}V{bus:g}")
        if len(anchors) > 1:
            paths.append(f"M{min(anchors):g} {bus:g}H{max(anchors):g}")
        for anchor in anchors:
            paths.append(f"M{anchor:g} {bus:g}V{child_y:g}")
    for child, anchor in zip(slot.children, anchors, strict=True):
        _place(child, anchor, depth + 1, rows, boxes, paths)
