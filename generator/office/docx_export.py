"""``handbook export docx``: the 岗位说明书 as a Word document, from the role's view the PDF reads.

The document is laid out from ``render/views.RoleView`` the way the print templates lay it out:
the company and the document's name on top, the title, then each declared section with its
heading; facts in a two-column table, lists as bullets, a list of records (KPIs, processes,
competencies …) as a real Word table; the approval and sign-off blocks, page numbers in the
footer, A4 with the print margins. Text goes in as text (references as names), never as markup.
"""

from __future__ import annotations

import dataclasses
import html
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table

from ..i18n import Locale
from ..link.handbook import Handbook
from ..project import Project
from ..render import orgchart
from ..render.sections import Part, SectionView
from ..render.views import DutyArea, PageLink, RoleView, pdf_name, role_view
from ..render.writer import Named, Writer

#: A4, and the margins of the PDF's print stylesheet.
PAGE = (Mm(210), Mm(297))
MARGIN = Mm(20)
FONT = "Noto Sans CJK SC"
#: Parts print shows elsewhere: the approval in the signature block, the checklist as an appendix.
ELSEWHERE = frozenset({"approval", "onboarding", "compare"})
#: Column headers of a table of records, by the record's field: the print template's words.
HEADERS = {"metric": "metric", "target": "target", "weight": "weight", "consequences": "consequence",
           "level": "competency_level", "indicators": "indicators", "competency": "kind_competency",
           "process": "kind_process", "part": "part", "when": "when", "timing": "timing"}


class _Doc:
    def __init__(self, hb: Handbook, locale: Locale) -> None:
        self.hb = hb
        self.locale = locale
        self.writer = Writer(hb, locale, output="html")
        self.doc: DocumentType = Document()
        self._page()

    def L(self, key: str) -> str:
        return self.locale.label(key)

    def _page(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = PAGE
        for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
            setattr(section, side, MARGIN)
        for name in ("Normal", "Heading 1", "Heading 2", "Heading 3", "Title"):
            style = self.doc.styles[name]
            style.font.name = FONT
            fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
            fonts.set(qn("w:eastAsia"), FONT)
        self.doc.styles["Normal"].font.size = Pt(10.5)

    def text(self, value: Any) -> str:
        """A view's value as plain text: references as names, Markdown and markup gone."""
        if value is None:
            return ""
        if isinstance(value, Named):
            return value.name
        if isinstance(value, tuple):
            return self.L("list_sep").join(self.text(v) for v in value)
        markup = str(self.writer.text(str(value)))
        return html.unescape(re.sub(r"<[^>]+>", "", markup)).strip()

    def header(self, view: RoleView) -> None:
        section = self.doc.sections[0]
        head = section.header.paragraphs[0]
        head.text = f"{view.company}　{self.L('pdf_doc_title')}"
        foot = section.footer.paragraphs[0]
        foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _page_field(foot)
        self.doc.add_heading(view.title, level=1)
        meta = []
        if view.version:
            meta.append(f"{self.L('version')}{self.L('colon')}{view.version}")
        if view.effective_date:
            meta.append(f"{self.L('effective_date')}{self.L('colon')}{view.effective_date}")
        if view.content_hash:
            # The same content hash as the PDF's (from the role's data), so a signed Word copy can be
            # traced to its version too; in the footer of every page and in the file's keywords.
            meta.append(f"{self.L('content_hash')}{self.L('colon')}{view.content_hash}")
            foot.add_run(f"{self.L('meta_sep')}{self.L('content_hash')}{self.L('colon')}{view.content_hash}")
            self.doc.core_properties.keywords = f"handbook-role:{view.id}, handbook-hash:{view.content_hash}"
        if meta:
            self.doc.add_paragraph(self.L("meta_sep").join(meta))

    def section(self, s: SectionView) -> None:
        parts = [p for p in s.parts if p.gap != "skip" and p.layout not in ELSEWHERE]
        if not parts:
            return
        self.doc.add_heading(s.label, level=2)
        facts = [p for p in parts if self._short(p)]
        if facts:
            table = self._table(len(facts), 2)
            for row, p in zip(table.rows, facts, strict=True):
                row.cells[0].text = p.label
                row.cells[1].text = self._gap(p) if p.gap else self.text(p.value)
        for p in parts:
            if not self._short(p):
                self.part(p, labelled=s.labelled or len(parts) > 1)

    def _short(self, p: Part) -> bool:
        return bool(p.label) and (bool(p.gap) or (isinstance(p.value, (str, Named)) and "\n" not in str(p.value)
                                  and p.layout in ("fact",)))

    def _gap(self, p: Part) -> str:
        return {"none": self.L("none"), "na": self.L("not_applicable")}.get(p.gap, self.L("todo"))

    def part(self, p: Part, labelled: bool) -> None:
        if labelled and p.label:
            self.doc.add_heading(p.label, level=3)
        if p.layout == "facts" and isinstance(p.value, tuple):
            table = self._table(len(p.value), 2)
            for row, sub in zip(table.rows, p.value, strict=True):
                row.cells[0].text = sub.label
                row.cells[1].text = self._gap(sub) if sub.gap else self.text(sub.value)
            return
        self.value(p.value)

    def value(self, value: Any) -> None:
        """Any value of a view: text, names, a chart, records, a record."""
        if value is None or isinstance(value, PageLink):
            return
        if isinstance(value, (str, Named)):
            for line in self.text(value).split("\n"):
                if line.strip():
                    self.doc.add_paragraph(line)
        elif isinstance(value, orgchart.Node):
            self._tree(value, 0)
        elif isinstance(value, tuple) and value and all(isinstance(v, (str, Named)) for v in value):
            for v in value:
                self.doc.add_paragraph(self.text(v), style="List Bullet")
        elif isinstance(value, tuple) and value and all(isinstance(v, DutyArea) for v in value):
            self.duties(value)
        elif isinstance(value, tuple) and value and all(_record(v) for v in value):
            self.records(value)
        elif isinstance(value, tuple):
            for v in value:
                self.value(v)
        elif _record(value):
            for f in _text_fields(value):
                self.value(getattr(value, f.name))

    def duties(self, areas: Sequence[DutyArea]) -> None:
        """Each area a numbered heading, its duties numbered under it, as print lays them out."""
        for n, area in enumerate(areas, start=1):
            weight = f"{self.L('paren_open')}{area.weight}{self.L('paren_close')}" if area.weight else ""
            self.doc.add_heading(f"{n}. {area.area}{weight}", level=3)
            for i, item in enumerate(area.items):
                extra = [area.item_weights[i], area.timing[i]]
                mark = f"［{self.L('duty_essential')}］" if area.essential[i] else ""
                tail = "".join(f"{self.L('paren_open')}{e}{self.L('paren_close')}" for e in extra if e)
                # Numbered by hand: Word's list numbering would run on from one area into the next.
                para = self.doc.add_paragraph(f"{i + 1}. {mark}{self.text(item)}{tail}")
                para.paragraph_format.left_indent = Mm(6)
                para.paragraph_format.first_line_indent = Mm(-6)

    def _tree(self, node: orgchart.Node, depth: int) -> None:
        if node.kind != "root":
            self.doc.add_paragraph("　" * depth + node.label, style="List Bullet")
            depth += 1
        for child in node.children:
            self._tree(child, depth)

    def records(self, records: Sequence[Any]) -> None:
        """Records of one type as a Word table, a column per field that holds text."""
        fields = [f for f in _text_fields(records[0]) if any(_filled(getattr(r, f.name)) for r in records)]
        nested = [f for f in fields if _nested(records, f.name)]
        flat = [f for f in fields if f not in nested]
        if flat:
            table = self._table(len(records) + 1, len(flat))
            for cell, f in zip(table.rows[0].cells, flat, strict=True):
                key = HEADERS.get(f.name)
                word = self.L(key) if key and key in self.locale.labels else ""
                cell.text = word[:1].upper() + word[1:]  # a kind's name is lower case in English prose
                for run in cell.paragraphs[0].runs:
                    run.bold = True
            for row, record in zip(table.rows[1:], records, strict=True):
                for cell, f in zip(row.cells, flat, strict=True):
                    value = getattr(record, f.name)
                    cell.text = "\n".join(self.text(v) for v in value) if isinstance(value, tuple) \
                        and not all(isinstance(v, Named) for v in value) else self.text(value)
        for record in records:
            for f in nested:
                self.value(getattr(record, f.name))

    def _table(self, rows: int, cols: int) -> Table:
        table: Table = self.doc.add_table(rows=rows, cols=cols)
        table.style = "Table Grid"
        _inside_margins(table)
        return table

    def signatures(self, view: RoleView) -> None:
        self.doc.add_heading(self.L("jd_approval"), level=2)
        signed = {s.step: s for s in (view.value("approval") or ())}
        self._sign_table([(who, signed.get(who)) for who in
                          (self.L("jd_prepared"), self.L("jd_reviewed"), self.L("jd_approved"))])
        self.doc.add_heading(self.L("pdf_signoff"), level=2)
        self.doc.add_paragraph(self.L("pdf_signoff_note"))
        self._sign_table([(who, None) for who in (self.L("pdf_holder"), self.L("reports_to"), self.L("pdf_hr"))])

    def _sign_table(self, who: list[tuple[str, Any]]) -> None:
        table = self._table(3, len(who))
        for col, (label, signed) in enumerate(who):
            table.rows[0].cells[col].text = label
            by = signed.by if signed else ""
            date = signed.date if signed and signed.date else ""
            table.rows[1].cells[col].text = f"{self.L('pdf_signature')}{self.L('colon')}{by}"
            table.rows[2].cells[col].text = f"{self.L('pdf_date')}{self.L('colon')}{date}"

    def onboarding(self, view: RoleView) -> None:
        plan = view.value("onboarding")
        if plan is None or not plan.checklists:
            return
        self.doc.add_heading(self.L("jd_appendix").format(title=self.L("onboarding")), level=2)
        for group in plan.checklists:
            self.doc.add_heading(group.when, level=3)
            for item in group.items:
                owner = f"{self.L('onboarding_owner')}{self.L('colon')}{item.owner.name}{self.L('list_sep')}" \
                    if item.owner else ""
                tail = f"{self.L('paren_open')}{owner}{item.due}{self.L('paren_close')}"
                self.doc.add_paragraph(f"☐ {self.text(item.text)}{tail}")


def _record(value: Any) -> bool:
    return dataclasses.is_dataclass(value) and not isinstance(value, type)


def _text_fields(record: Any) -> list[dataclasses.Field[Any]]:
    return [f for f in dataclasses.fields(record) if f.metadata.get("text", True)]


def _filled(value: Any) -> bool:
    if isinstance(value, tuple):
        return any(_filled(v) for v in value)
    return value not in (None, "", False)


def _nested(records: Sequence[Any], name: str) -> bool:
    """True for a field holding records or sections of their own (laid out after the table)."""
    return any((isinstance(v, tuple) and v and ((_record(v[0]) and not isinstance(v[0], Named))
                                                or isinstance(v[0], SectionView)))
               or isinstance(v, (orgchart.Node, PageLink)) or (_record(v) and not isinstance(v, Named))
               for v in (getattr(r, name) for r in records))


#: Word's default cell padding (0.08 in): a table's border sits that far left of the text unless indented.
_PAD = 108
#: The text width between the margins, in twentieths of a point.
_TEXT_WIDTH = round((PAGE[0] - 2 * MARGIN) / 635)


def _inside_margins(table: Table) -> None:
    """Borders inside the margins: indented by the cell padding, as wide as the text less it."""
    props = table._tbl.tblPr
    for tag, width, kind in (("w:tblInd", _PAD, "dxa"), ("w:tblW", _TEXT_WIDTH - _PAD, "dxa")):
        old = props.find(qn(tag))
        if old is not None:
            props.remove(old)
        element = OxmlElement(tag)
        element.set(qn("w:w"), str(width))
        element.set(qn("w:type"), kind)
        props.append(element)
    table.autofit = False
    for row in table.rows:  # a row is never split over two pages, as print keeps a row whole
        split = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(split)
    column = (_TEXT_WIDTH - _PAD) * 635 // len(table.columns)
    for col in table.columns:
        col.width = column
        for cell in col.cells:
            cell.width = column


def _page_field(paragraph: Any) -> None:
    """A PAGE field: Word, WPS and LibreOffice put the page number there."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def role_document(hb: Handbook, locale: Locale, role_id: str, variant: str | None = None) -> DocumentType:
    """The 岗位说明书 of one role (or of one of its variants, as its own PDF is) as a Word document."""
    view = role_view(hb, locale, role_id, variant)
    out = _Doc(hb, locale)
    out.header(view)
    for section in view.sections:
        out.section(section)
    out.signatures(view)
    out.onboarding(view)
    return out.doc


def export_docx(hb: Handbook, locale: Locale, project: Project, roles: Iterable[str], folder: Path) -> list[Path]:
    """Write ``<role>.docx`` (and ``<role>.<variant>.docx``) for each role asked for (every role when none
    is) into ``folder``."""
    del project
    wanted = list(roles) or sorted(hb.roles)
    unknown = [r for r in wanted if r not in hb.roles]
    if unknown:
        raise KeyError(", ".join(unknown))
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for role_id in wanted:
        for variant in (None, *(v.id for v in hb.roles[role_id].variants)):
            path = folder / pdf_name(role_id, variant).replace(".pdf", ".docx")
            role_document(hb, locale, role_id, variant).save(str(path))
            written.append(path)
    return written
