"""``handbook edit``'s forms are made from the registry, the models and the field table: every field of
every kind (at any depth) gets its widget, label and help in the site's language, with no form code per kind.
A field added the documented way (tests/test_add_field.py's ``travel_required``) shows in the form."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.editor import roundtrip
from generator.editor.formdata import plain
from generator.editor.formhtml import form_html
from generator.editor.forms import FormField, kind_form
from generator.i18n import load_locale
from generator.model import registry
from generator.model.declare import shapes
from generator.model.fields import declared

from .conftest import FIXTURES, REPO
from .test_add_field import ENTRY, add_travel

LANGS = ["zh", "zh-Hant", "en"]


def _walk(form: FormField) -> list[FormField]:
    out, stack = [], [form]
    while stack:
        f = stack.pop()
        out.append(f)
        stack += [*f.fields, *(x for x in (f.item, f.key) if x is not None)]
    return out


@pytest.mark.parametrize("kind", list(registry.KINDS))
def test_every_field_of_every_kind_has_its_widget_label_and_help(kind: str) -> None:
    model = registry.kind(kind).model
    for lang in LANGS:
        form = kind_form(kind, lang)
        assert {f.name for f in form.fields} == set(model.model_fields) - {"kind"}
        for f in form.fields:
            decl = declared(model, f.name)
            assert f.help == decl.help.text(lang) and f.help, (kind, f.name)
            if decl.label:
                assert f.label == decl.label_in(lang)
            shape = shapes(model)[f.name]
            expected = ("ref" if shape.ref else "list" if shape.item else "map" if shape.key else
                        "group" if shape.model else "choice" if shape.scalar == "choice" else None)
            if expected:
                assert f.widget == expected, (kind, f.name, f.widget)
            if f.widget == "choice":
                assert f.choices == shape.choices


def _sample(kind: str) -> tuple[Path, dict[str, object]]:
    """The sample file of ``kind`` with the most lines (the richest form)."""
    found = []
    for path in (REPO / "roles").rglob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        if re.search(rf"(?m)^kind: {kind}$", text):
            found.append((len(text), path))
    path = max(found)[1]
    return path, plain(roundtrip.load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize("kind", ["role", "process", "policy", "unit"])
def test_the_form_shows_the_files_values_in_their_widgets(kind: str) -> None:
    path, raw = _sample(kind)
    page = form_html(kind, raw, load_locale("zh"))
    walked = list(_walk(kind_form(kind, "zh")))
    # A mapping's key is typed into a text box of its own (.k), not a widget named like the others.
    keys = {id(f.key) for f in walked if f.key is not None}
    for f in walked:
        if id(f) not in keys and f.widget == "choice" and f'data-name="{f.name}" data-w="choice"' in page:
            assert all(f'<option value="{html.escape(c)}"' in page for c in f.choices), f.name
    # Every top-level text value of the file is in the page, escaped; lists as repeatable items with controls.
    for key, value in raw.items():
        if isinstance(value, str) and key != "kind":
            assert html.escape(value, quote=True) in page or html.escape(value, quote=False) in page, key
    assert 'class="add"' in page and 'class="rm"' in page and 'class="up"' in page
    assert "<template id=" in page
    if kind == "role":
        assert re.search(r'data-name="reports_to" data-w="ref">.*?data-list="dl-role" role="combobox"', page, re.S)
        assert 'type="date"' in page  # effective_date
    if kind == "process":
        assert 'type="time"' in page, path  # a schedule's clock times


def test_labels_in_the_sites_language() -> None:
    _, raw = _sample("role")
    for lang in LANGS:
        page = form_html("role", raw, load_locale(lang))
        label = declared(registry.kind("role").model, "reports_to").label_in(lang)
        assert re.search(rf"<label for=\"f-reports_to\">{re.escape(label)}</label>", page), lang


def test_yaml_text_is_escaped() -> None:
    raw = {"kind": "role", "title": '<script>alert("x")</script>', "unit": "a"}
    page = form_html("role", raw, load_locale("zh"))
    assert "<script>" not in page and "&lt;script&gt;" in page


RUN = """\
import json, sys
import generator
from generator.editor.formhtml import form_html
from generator.i18n import load_locale
print(json.dumps({"package": generator.__file__, "zh": form_html("role", {"kind": "role", "title": "x", "unit": "u",
                  "travel_required": True}, load_locale("zh")),
                  "en": form_html("role", {"kind": "role", "title": "x", "unit": "u"}, load_locale("en"))}))
"""


def test_a_new_field_appears_in_the_form_with_no_form_code(tmp_path: Path) -> None:
    shutil.copytree(REPO / "generator", tmp_path / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    touched = add_travel(tmp_path / "generator")
    assert not any(t.startswith("editor/") for t in touched)
    script = tmp_path / "run.py"
    script.write_text(RUN, encoding="utf-8")
    env = {"PYTHONPATH": str(tmp_path), "PATH": str(Path(sys.executable).parent), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.splitlines()[-1])
    assert Path(out["package"]).is_relative_to(tmp_path)
    label = ENTRY["Role.travel_required"]["label"]
    zh = re.search(r'data-name="travel_required" data-w="bool">.*?</div>', out["zh"], re.S)
    assert zh and label["zh"] in zh.group() and '<option value="true" selected>' in zh.group()
    assert ENTRY["Role.travel_required"]["zh"] in zh.group()
    en = re.search(r'data-name="travel_required" data-w="bool">.*?</div>', out["en"], re.S)
    assert en and label["en"] in en.group() and ENTRY["Role.travel_required"]["en"] in en.group()
    assert "travel_required" not in form_html("role", {"kind": "role"}, load_locale("zh"))  # only in the copy


def test_fixture_companies_forms_open() -> None:
    """Every fixture company's files give a form (no word of the form code names a company's data)."""
    for path in sorted(FIXTURES.glob("*/roles/**/*.yaml"))[:60]:
        raw = plain(roundtrip.load(path.read_text(encoding="utf-8")))
        if isinstance(raw, dict) and registry.is_kind(raw.get("kind")):
            assert 'data-w="group"' in form_html(str(raw["kind"]), raw, load_locale("en"))


def test_the_pages_script_parses() -> None:
    """A syntax error stops every form; node (installed with the system packages) finds it without a browser."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed")
    for script in sorted((REPO / "generator" / "editor" / "assets").glob("*.js")):
        done = subprocess.run([node, "--check", str(script)], capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(("field", "value", "native"), [
    ("effective_date", "2024/1/5", 'type="date"'),
    ("effective_date", "2024-01-05", 'type="date"'),
])
def test_a_value_the_browser_would_drop_is_shown_as_text(field: str, value: str, native: str) -> None:
    raw = {"kind": "role", "title": "x", "unit": "u", field: value}
    page = form_html("role", raw, load_locale("zh"))
    found = re.search(rf'data-name="{field}" data-w="(\w+)">.*?<(input|select)[^>]*>', page, re.S)
    assert found and f'value="{value}"' in found.group()
    assert (native in found.group()) == (value == "2024-01-05")


def test_a_clock_time_the_time_input_would_drop_is_text() -> None:
    from generator.editor.formhtml import shows_in

    assert [f for f in _walk(kind_form("process", "zh")) if f.widget == "time"]
    assert shows_in("08:45", "time") and not shows_in("8:45", "time") and not shows_in("yes", "bool")
