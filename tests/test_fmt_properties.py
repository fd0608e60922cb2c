"""``handbook fmt`` never changes what a file means: generated files, then mixed indentation and punctuation thrown in.

Each example is a document (keys, texts, numbers, lists in block and flow style, nested
mappings) written out as YAML with spaces, then spoilt as an editor spoils it: tabs in the
indentation (lined up at a tab width of 2, 4 or 8, as the editor showed them), full-width or
no-break spaces, a Chinese colon after a key or a key glued to its value, Chinese commas in a
``[…]`` list. Whatever fmt writes must read as the same document (up to the punctuation it means
to change, compared by this file's own rules); what it will not write it must leave byte for byte
and name a line of the file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from hypothesis import event, example, given, note, settings
from hypothesis import strategies as st

from generator.editor import fmt
from generator.load import punctuation

KEYS = ["title", "unit", "summary", "items", "area", "current", "planned", "note", "name", "text", "steps"]
#: Chinese text with the ASCII punctuation fmt makes full-width, spaces, digits and a few ASCII words.
TEXT = st.text(alphabet="协作开发销售每日通话客户回访，。,:;?!() 0123456789abc“”", min_size=1, max_size=24).map(str.strip)
IDS = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True)


def _leaf() -> st.SearchStrategy[Any]:
    return st.one_of(TEXT.filter(bool), st.integers(-50, 100000), IDS)


DOCS = st.recursive(
    st.dictionaries(st.sampled_from(KEYS), _leaf(), min_size=1, max_size=4),
    lambda inner: st.one_of(
        st.dictionaries(st.sampled_from(KEYS), st.one_of(_leaf(), inner, st.lists(_leaf(), min_size=1, max_size=5),
                                                         st.lists(inner, min_size=1, max_size=3)), min_size=1, max_size=5),
    ),
    max_leaves=30,
)


def _dump(doc: dict[str, Any], flow: bool, indent: int) -> str:
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, default_flow_style=None if flow else False,
                          indent=indent, width=60)
    return str(text)


_KEY_LINE = re.compile(r"^(\s*(?:- )?)([a-z]+): (?=\S)(.*)$")
_FLOW_LINE = re.compile(r"^(\s*(?:- )?[a-z]+: )\[([^\]\"'\n]*)\]$")


@st.composite
def spoilt(draw: st.DrawFn) -> tuple[str, str, dict[str, Any]]:
    """A document's clean YAML, the same YAML spoilt, and what was done to it."""
    doc = draw(DOCS)
    clean = _dump(doc, draw(st.booleans()), draw(st.sampled_from([2, 4])))
    width = draw(st.sampled_from(fmt.TAB_WIDTHS))
    lines = clean.split("\n")
    starts = _node_lines(clean)
    done: dict[str, Any] = {"width": width, "tabs": 0, "spaces": 0, "colons": 0, "commas": 0, "inside": 0}
    for i, line in enumerate(lines):
        n = len(line) - len(line.lstrip(" "))
        how = draw(st.sampled_from(["keep", "keep", "keep", "tab", "fake", "colon", "comma"]))
        # A line that goes on with a text begun above: spoilt, what it means is anyone's guess.
        done["inside"] += how in ("tab", "fake") and n > 0 and i not in starts
        if how == "tab" and n >= width:
            lines[i] = "\t" * (n // width) + " " * (n % width) + line[n:]
            done["tabs"] += 1
        elif how == "fake" and n:
            lines[i] = "\u3000" * (n // 2) + "\u00a0" * (n % 2) + line[n:]
            done["spaces"] += 1
        elif how == "colon" and (m := _KEY_LINE.match(line)) and not m.group(3).startswith(("'", '"', "/", ":", "|", ">")):
            lines[i] = f"{m.group(1)}{m.group(2)}{draw(st.sampled_from(['：', '：', ':']))}{m.group(3)}"
            done["colons"] += 1
        elif how == "comma" and (m := _FLOW_LINE.match(line)) and ", " in m.group(2):
            lines[i] = f"{m.group(1)}[{m.group(2).replace(', ', draw(st.sampled_from(['，', '、', ' ， '])))}]"
            done["commas"] += 1
    return clean, "\n".join(lines), done


def _scalar(text: str) -> Any:
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError:
        return text
    return text if isinstance(value, (list, dict)) else value


def _node_lines(text: str) -> set[int]:
    """0-based lines on which a key or a value of ``text`` starts."""
    lines: set[int] = set()
    stack = [yaml.compose(text, Loader=yaml.SafeLoader)]
    while stack:
        node = stack.pop()
        if node is None:
            continue
        lines.add(node.start_mark.line)
        if isinstance(node, yaml.MappingNode):
            stack += [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            stack += node.value
    return lines


def _normal(data: Any) -> Any:
    """The document as fmt may change it (written apart from fmt, on purpose): punctuation between
    Chinese characters full-width, a list's items split at Chinese commas."""
    if isinstance(data, str):
        return punctuation.to_full_width(data)
    if isinstance(data, list):
        # A part read as YAML reads it once the comma is YAML's own ("3，4" is two numbers).
        parts = [[_scalar(p) for p in re.split(r"\s*[，、]\s*", i) if p] if isinstance(i, str) and re.search("[，、]", i) else [i]
                 for i in data]
        return [_normal(part) for group in parts for part in group]
    if isinstance(data, dict):
        return {k: _normal(v) for k, v in data.items()}
    return data


_NOTHING = {"width": 4, "tabs": 0, "spaces": 0, "colons": 0, "commas": 0, "inside": 0}


@settings(settings(), max_examples=400)
@given(spoilt())
# Found by the random profile: a text item "a:0" is no key glued to its value ("area:销售" is).
@example(("title:\n- a:0\n", "title:\n- a:0\n", _NOTHING))
@example(("title:\n- a:!!\n", "title:\n- a:!!\n", _NOTHING))
def test_fmt_writes_only_what_reads_as_the_same_document(case: tuple[str, str, dict[str, Any]]) -> None:
    clean, broken, done = case
    note(broken)
    outcome = fmt.format_file_bytes(Path("role.yaml"), broken.encode())
    expected = _normal(yaml.safe_load(clean))
    try:
        # Where the spoilt file still reads, what it reads as is what it means (and what validate sees).
        meant = [expected, _normal(yaml.safe_load(broken))]
    except yaml.YAMLError:
        meant = [expected]
    event(f"tabs={bool(done['tabs'])} changed={outcome.changed} refused={outcome.reason or '-'}")
    if outcome.changed:
        assert _normal(yaml.safe_load(outcome.text)) in meant, outcome.text
        assert outcome.safe
    elif not outcome.safe:
        assert outcome.text == broken, "a file fmt will not fix is left exactly as it was"
        assert 1 <= outcome.line <= broken.count("\n") + 1 and outcome.reason
    else:
        assert broken.encode() == outcome.text.encode() and _normal(yaml.safe_load(broken)) in meant
    if not done["tabs"] and not done["inside"]:
        # Look-alike spaces before a key or an item, colons and commas read one way only: fmt must fix them.
        assert outcome.safe, (outcome.line, outcome.reason)
