"""One value of HR's YAML as a workbook cell, and a cell back as a value.

Export writes a value as what Excel shows best (numbers as numbers, dates as dates, lists one
item per line). Import compares the cell with the cell export would write for the file's value,
both made plain (:func:`plain`); only a cell that differs is read back (:func:`decode`), so an
untouched workbook changes nothing whatever the cell's type turned into on the way.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from ..i18n import listed
from .columns import Column

#: Words HR types for yes and no in a yes/no column.
_YES = {"true", "yes", "y", "是", "对", "1", "√", "✓"}
_NO = {"false", "no", "n", "否", "不", "0", "×", ""}
_DATE_PARTS = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")
#: Excel's limit of one cell's text.
MAX_CELL = 32_767


#: libyaml's safe dumper where built (the same text, ten times quicker: export writes thousands of cells).
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


class CellError(ValueError):
    """A cell that does not hold what its column takes: a locale key and its arguments."""

    def __init__(self, code: str, **args: str) -> None:
        super().__init__(code)
        self.code = code
        self.args_ = args


def flow(value: Any) -> str:
    """``value`` as one line of YAML flow text (``{text: 巡检, weight: 20}``)."""
    text = yaml.dump(value, Dumper=_DUMPER, default_flow_style=True, allow_unicode=True, width=2**31 - 1,
                     sort_keys=False)
    text = text.strip()
    return text[:-4].rstrip() if text.endswith("\n...") else text.removesuffix("...").strip()


def cell(value: Any, column: Column) -> Any:
    """What the cell of ``column`` holds for the file's ``value`` (None: empty)."""
    if value is None:
        return None
    if column.form == "yaml":
        return flow(value)
    if column.form == "lines" and isinstance(value, list):
        return "\n".join(str(v) if isinstance(v, (str, int, float)) and not isinstance(v, bool) else flow(v)
                         for v in value)
    if isinstance(value, (dict, list)):
        return flow(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return value


def plain(value: Any) -> str:
    """A cell's value as comparable text: numbers without a needless ``.0``, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return "\n".join(line.rstrip() for line in str(value).replace("\r\n", "\n").strip().split("\n"))


def _number(value: Any, whole: bool) -> int | float:
    if isinstance(value, bool):
        raise CellError("office_not_number", value=str(value))
    if isinstance(value, (int, float)):
        number: int | float = value
    else:
        text = str(value).strip().replace(",", "").replace("，", "")
        try:
            number = float(text)
        except ValueError:
            raise CellError("office_not_number", value=text) from None
    if isinstance(number, float) and number.is_integer():
        number = int(number)
    if whole and not isinstance(number, int):
        raise CellError("office_not_whole", value=str(value))
    return number


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    match = _DATE_PARTS.match(text)
    if match and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            pass
    suggestion = ""
    if match:
        try:
            suggestion = dt.date(*(int(g) for g in match.groups())).isoformat()
        except ValueError:
            suggestion = ""
    raise CellError("office_date_as_text" if suggestion else "office_not_date", value=text, suggestion=suggestion)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return plain(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).replace("\r\n", "\n").strip()


def scalar(value: Any, column: Column) -> Any:
    """One cell's (or one line's) value as the column's type; :class:`CellError` when it is not one."""
    kind = column.scalar
    if kind == "int":
        return _number(value, True)
    if kind == "number":
        return _number(value, False)
    if kind == "date":
        return _date(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        word = _text(value).lower()
        if word in _YES or word in _NO:
            return word in _YES
        raise CellError("office_not_bool", value=word)
    text = _text(value)
    if kind == "choice" and column.choices and text not in column.choices:
        raise CellError("office_not_choice", value=text, choices=listed(column.choices))
    return text


def decode(value: Any, column: Column) -> Any:
    """The value a changed cell gives the file (None: the key goes); :class:`CellError` when it cannot."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, str) and len(value) > MAX_CELL:
        raise CellError("office_too_long")
    if column.form == "yaml":
        return _yaml(str(value))
    if column.form == "lines":
        lines = [line.strip() for line in _text(value).split("\n") if line.strip()]
        if lines == ["n/a"]:
            return "n/a"
        return [_line(line, column) for line in lines]
    return scalar(value, column)


def _yaml(text: str) -> Any:
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise CellError("office_bad_yaml", error=str(err).splitlines()[0]) from None
    except (ValueError, OverflowError):
        # 2024-02-30 looks like a date but is none: keep the text, as a role file's loader
        # does, so the check that follows names the field and the cell
        return text.strip()


def _line(line: str, column: Column) -> Any:
    if line.startswith("{") and line.endswith("}"):
        return _yaml(line)
    if column.scalar in ("int", "number", "date", "bool", "choice"):
        return scalar(line, column)
    return line
