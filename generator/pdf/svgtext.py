"""SVG text drawn one run at a time: the org charts' labels at a fraction of WeasyPrint's cost.

WeasyPrint (62–70) draws an SVG ``<text>`` letter by letter: a Pango layout and a text object
per character, so that ``x``/``dx``/``rotate`` lists and letter spacing can move each one. Our
charts use none of that (one ``x``, one ``y`` per line), yet their 40-odd lines of about 7
characters cost 30–40 ms of a role's 230–260 ms of layout. For a ``<text>`` that
has nothing to place letter by letter, this draws the line's own layout (which WeasyPrint makes
first anyway, for its width) in one piece: the same glyphs from the same face at the same
baseline, the anchor still applied by WeasyPrint around it. Anything else (tspans, position
lists, rotation, spacing, text on a path, baseline alignment) goes to WeasyPrint's own drawer,
and so does everything when WeasyPrint's internals are not the ones this was written against.
"""

from __future__ import annotations

import sys
from math import inf
from types import SimpleNamespace
from typing import Any

#: What WeasyPrint's drawer reads to move letters or lines about (its own or inherited): a ``<text>``
#: with any of these is left to it.
PER_LETTER = frozenset({"dx", "dy", "rotate", "letter-spacing", "textLength", "lengthAdjust", "direction",
                        "display-anchor", "dominant-baseline", "alignment-baseline"})


def install() -> bool:
    """Put the one-run drawer in front of WeasyPrint's (once per process); False where it cannot be."""
    try:
        import weasyprint.svg as svg_module
        from weasyprint.svg import text as text_module  # the function, re-exported over the module name
    except ImportError:
        return False
    parts = _parts()
    original = svg_module.TAGS.get("text")
    if getattr(original, "_handbook_one_run", False):
        return True
    if parts is None or not callable(original) or original is not text_module or not hasattr(svg_module, "Node"):
        return False

    def text(svg: Any, node: Any, font_size: float) -> None:
        if not simple(node):
            original(svg, node, font_size)
            return
        _draw_run(svg, node, font_size, parts)

    text._handbook_one_run = True  # type: ignore[attr-defined]
    # WeasyPrint looks its text drawer up in TAGS and also compares against the name ``text``
    # (for the text-anchor shift): both must be the new one.
    for tag, drawer in list(svg_module.TAGS.items()):
        if drawer is original:
            svg_module.TAGS[tag] = text
    svg_module.text = text
    return True


def simple(node: Any) -> bool:
    """Whether ``node`` is a ``<text>`` of one run at one point: plain text, one x, one y."""
    if node.tag != "text" or not node.text or not PER_LETTER.isdisjoint(node.attrib):
        return False
    if tuple(node._wrapper.etree_children):  # tspans or anything else inside
        return False
    return all(_one_number(node.attrib.get(key, "0")) for key in ("x", "y"))


def _one_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _parts() -> SimpleNamespace | None:
    """The WeasyPrint pieces ``_draw_run`` uses; None when any is missing, so a WeasyPrint without one
    keeps its own drawer instead of failing in the middle of a PDF."""
    try:
        from weasyprint.css.properties import INITIAL_VALUES
        from weasyprint.draw.text import draw_emojis, draw_first_line
        from weasyprint.matrix import Matrix
        from weasyprint.svg.bounding_box import extend_bounding_box
        from weasyprint.svg.utils import size
        from weasyprint.text.line_break import split_first_line
    except ImportError:
        return None
    # The module itself: its package's attribute of that name is the function it defines.
    module = sys.modules.get("weasyprint.svg.text")
    if module is None or not all(hasattr(module, name) for name in ("Style", "TextBox", "text")):
        return None
    return SimpleNamespace(INITIAL_VALUES=INITIAL_VALUES, draw_emojis=draw_emojis, draw_first_line=draw_first_line,
                           Matrix=Matrix, extend_bounding_box=extend_bounding_box, size=size,
                           split_first_line=split_first_line, Style=module.Style, TextBox=module.TextBox)


def _draw_run(svg: Any, node: Any, font_size: float, w: SimpleNamespace) -> None:
    """WeasyPrint's ``svg.text.text`` for a single run (``w``: its pieces): its style set-up, one layout, one draw."""
    style = w.Style()
    style.update(w.INITIAL_VALUES)
    style.font_config = svg.font_config
    style["font_family"] = [font.strip("\"'") for font in node.get("font-family", "sans-serif").split(",")]
    style["font_style"] = node.get("font-style", "normal")
    weight = node.get("font-weight", 400)
    style["font_weight"] = {"normal": 400, "bold": 700}.get(weight) or _weight(weight)
    style["font_size"] = font_size
    layout, _, _, width, height, baseline = w.split_first_line(node.text, style, svg.context, inf, 0)
    x = w.size(node.attrib.get("x", "0"), font_size, svg.inner_width)
    y = w.size(node.attrib.get("y", "0"), font_size, svg.inner_height)
    svg.cursor_d_position = [0, 0]
    svg.cursor_position = x + width, y
    corners = ((x, y - baseline), (x + width, y - baseline + height))
    node.text_bounding_box = w.extend_bounding_box(node.text_bounding_box, corners)
    svg.stream.push_state()
    fill, stroke = svg.set_graphical_state(node, font_size)
    svg.stream.begin_text()
    layout.reactivate(style)
    svg.fill_stroke(fill, stroke, text=True)
    box = w.TextBox(layout, style)
    box.baseline = baseline
    emojis = w.draw_first_line(svg.stream, box, "none", "none", w.Matrix(a=1, d=-1, e=x, f=y))
    svg.stream.end_text()
    svg.stream.pop_state()
    w.draw_emojis(svg.stream, style, x, y, emojis)


def _weight(value: Any) -> int:
    try:
        return int(value)
    except ValueError:
        return 400
