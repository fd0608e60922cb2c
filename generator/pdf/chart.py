"""The org chart in print: the site's SVG handed to WeasyPrint as an image, not as part of the page.

Inline, WeasyPrint's HTML parser reads the chart's hundred-odd elements and attributes one
character at a time and computes a style for each; as an ``<img>`` its XML is parsed by expat
and drawn by the same SVG code, so the chart looks the same for about a twentieth less of a role's
layout time. The image keeps the SVG's own size, scaled down as the print stylesheet says.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from html import unescape

from markupsafe import Markup, escape

from ..render import orgchart
from ..render.writer import Writer


@dataclass(frozen=True)
class ChartImage:
    """A chart ready for the print HTML, and the text it draws (for the font: the HTML holds it as base64)."""

    markup: Markup
    text: str


def chart_image(writer: Writer, folded: orgchart.Node, title: str) -> ChartImage:
    """The chart of ``folded`` as an ``<img>`` of its unlinked print SVG (see ``Writer.chart``)."""
    svg = str(writer.chart(folded, title))
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return ChartImage(Markup(f'<img class="org-chart" src="{uri}" alt="{escape(title)}">'), unescape(svg))
