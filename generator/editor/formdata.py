"""A file's values as a form shows them, a form's values back as YAML data, and the fewest edits between.

The browser sends what its inputs hold (text); :func:`coerce` turns that back into the types
the file had or the field declares, and :func:`edits` lists the changes between the file's data
and the form's as :class:`~.roundtrip.Edit` (set, insert, delete per path), so that
``roundtrip.edit`` rewrites only those lines. A form opened and saved unchanged gives no edit:
:func:`display` (what the page shows) read back by :func:`coerce` is the file's data again.
"""

from __future__ import annotations

import datetime as dt
import json
from difflib import SequenceMatcher
from typing import Any

from ..model.choices import choice_set, key
from .forms import FormField
from .roundtrip import Edit, YamlPath

#: How a yes/no choice is sent (the page shows the locale's words).
TRUE, FALSE = "true", "false"


def plain(value: Any) -> Any:
    """ruamel's round-trip values as plain dicts, lists and scalars (its strings, numbers and dates)."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, (int, float)) else k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return str(value)


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return TRUE if value else FALSE
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def fits(form: FormField, value: Any) -> bool:
    """Whether the form's widget can show ``value`` (``kpis: n/a`` in a list's place is shown as text)."""
    if value is None:
        return True
    if form.widget == "list":
        return isinstance(value, list)
    if form.widget == "map":
        return isinstance(value, dict)
    if form.widget == "group":
        return isinstance(value, dict) or (form.short and isinstance(value, str))
    return not isinstance(value, (dict, list))


def display(form: FormField, value: Any) -> Any:
    """What the form shows for ``value``: text for every leaf, lists and mappings (as pairs) inside."""
    if not fits(form, value):
        return _scalar_text(value) if not isinstance(value, (dict, list)) else json.dumps(value, default=str)
    if form.widget == "list":
        assert form.item is not None
        return [display(form.item, v) for v in value or []]
    if form.widget == "map":
        assert form.item is not None and form.key is not None
        return [[_scalar_text(k), display(form.item, v)] for k, v in (value or {}).items()]
    if form.widget == "group":
        data = {"text": value} if isinstance(value, str) else value or {}
        return {f.name: display(f, data.get(f.name)) for f in form.fields if f.name in data}
    return _canonical(form, value) or _scalar_text(value)


def _canonical(form: FormField, value: Any) -> str | None:
    """The choice a file's spelling means (``quarterly`` → ``季``), for a field of fixed choices."""
    if form.widget != "choice" or form.chosen is None or not isinstance(value, str):
        return None
    found = choice_set(form.chosen).by_key.get(key(value))
    return found if found in form.choices else None


def _number(text: str, integer: bool) -> Any:
    try:
        number = float(text)
    except ValueError:
        return text  # the validator says what is wrong with it
    if integer or (number.is_integer() and "." not in text and "e" not in text.lower()):
        return int(number) if number.is_integer() else text
    return number


def _leaf(form: FormField, sent: str, old: Any) -> Any:
    if not isinstance(old, (dict, list)) and old is not None and _scalar_text(old) == sent:
        return old  # as the file had it, with its type (a version typed 2024.1 stays a number)
    if sent and _canonical(form, old) == sent:
        return old  # the same choice, spelled as the file spells it (period: quarterly stays)
    if form.widget in ("int", "number"):
        return _number(sent, form.widget == "int")
    if form.widget == "bool" and sent in (TRUE, FALSE):
        return sent == TRUE
    if form.widget == "date":
        try:
            return dt.date.fromisoformat(sent)
        except ValueError:
            return sent
    return sent


def coerce(form: FormField, sent: Any, old: Any = None) -> Any:
    """The form's values as YAML data: types from the file or the field, empty values as None."""
    if sent is None or sent == "" or sent == [] or sent == {}:
        return None
    if isinstance(sent, str) and form.widget in ("list", "map", "group"):
        return _leaf(FormField(name=form.name, widget="text", label=""), sent, old)
    if form.widget == "list" and isinstance(sent, list):
        assert form.item is not None
        old_items: list[Any] = old if isinstance(old, list) else []
        short = any(isinstance(o, str) for o in old_items)
        out = []
        for i, item in enumerate(sent):
            value = coerce(form.item, item, old_items[i] if i < len(old_items) else None)
            if value is None and form.item.widget not in ("group", "map"):
                continue  # a blank line added and left empty
            if form.item.short and isinstance(value, dict) and set(value) == {"text"} and short:
                value = value["text"]  # written as the other items are: the duty alone
            out.append({} if value is None else value)
        return out or None
    if form.widget == "map" and isinstance(sent, list):
        assert form.item is not None and form.key is not None
        old_map: dict[Any, Any] = old if isinstance(old, dict) else {}
        out_map: dict[Any, Any] = {}
        for pair in sent:
            if not isinstance(pair, list) or len(pair) != 2 or pair[0] in (None, ""):
                continue
            key = coerce(form.key, pair[0], next((k for k in old_map if _scalar_text(k) == pair[0]), None))
            out_map[key] = coerce(form.item, pair[1], old_map.get(key))
        return out_map or None
    if form.widget == "group" and isinstance(sent, dict):
        old_group: dict[str, Any] = old if isinstance(old, dict) else ({"text": old} if isinstance(old, str) else {})
        out_group: dict[str, Any] = {}
        for f in form.fields:
            if f.name in sent:
                value = coerce(f, sent[f.name], old_group.get(f.name))
                if value is not None:
                    out_group[f.name] = value
        if isinstance(old, str) and set(out_group) == {"text"}:
            return out_group["text"]
        return out_group or None
    if isinstance(sent, str):
        return _leaf(form, sent, old)
    return sent


def same(old: Any, new: Any) -> bool:
    """Equal as data, a number or date read as its text counting as itself."""
    if old == new and type(old) is type(new):
        return True
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        return False
    return old is not None and new is not None and _scalar_text(old) == _scalar_text(new)


def _empty(value: Any) -> bool:
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return value is None or value == "" or value == []


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str, ensure_ascii=False)


def edits(old: Any, new: Any, form: FormField | None = None, path: YamlPath = ()) -> list[Edit]:
    """The fewest set / insert / delete edits that turn ``old`` into ``new`` (keys the form does not know stay)."""
    if isinstance(old, dict) and isinstance(new, dict):
        known = {f.name for f in form.fields} if form is not None and form.widget == "group" else None
        out: list[Edit] = []
        for k, v in old.items():
            child = form.child(str(k)) if form is not None else None
            if k in new and new[k] is not None:
                out += edits(v, new[k], child, (*path, k))
            elif (known is None or k in known) and not _empty(v):
                out.append(Edit("delete", (*path, k)))  # an empty value as written (``next: []``) stays
        out += [Edit("set", (*path, k), v) for k, v in new.items() if k not in old and v is not None]
        return out
    if isinstance(old, list) and isinstance(new, list):
        item = form.item if form is not None else None
        return _list_edits(old, new, item, path)
    return [] if same(old, new) else [Edit("set", path, new)]


def _list_edits(old: list[Any], new: list[Any], item: FormField | None, path: YamlPath) -> list[Edit]:
    if len(old) == len(new):
        return [e for i, (a, b) in enumerate(zip(old, new, strict=True)) for e in edits(a, b, item, (*path, i))]
    matcher = SequenceMatcher(None, [_key(v) for v in old], [_key(v) for v in new], autojunk=False)
    out: list[Edit] = []
    # From the end backwards, so that the indexes of every block still to come stay as they were.
    for tag, i1, i2, j1, j2 in reversed(matcher.get_opcodes()):
        if tag == "equal":
            continue
        common = min(i2 - i1, j2 - j1)
        out += [Edit("delete", (*path, i)) for i in reversed(range(i1 + common, i2))]
        out += [Edit("insert", (*path, i1 + common + k), new[j]) for k, j in enumerate(range(j1 + common, j2))]
        for k in range(common):
            out += edits(old[i1 + k], new[j1 + k], item, (*path, i1 + k))
    return out
