"""The package's public names, and what importing one part of it loads.

The PDF workers import ``generator.pdf``; each is a new process, so whatever ``generator/__init__``
imports is paid again by every worker of every round.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import generator


@pytest.mark.parametrize("name", [n for n in generator.__all__ if n != "__version__"])
def test_every_public_name_resolves_to_its_module(name: str) -> None:
    value = getattr(generator, name)
    assert value.__module__.startswith("generator.")
    assert name in dir(generator)


def test_the_lazy_table_names_exactly_the_public_names() -> None:
    assert set(generator._HOMES) == set(generator.__all__) - {"__version__"}


def test_unknown_names_are_attribute_errors() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        generator.no_such_thing  # noqa: B018


def test_a_pdf_worker_does_not_load_the_site_builder() -> None:
    code = (
        "import sys, json; import generator.pdf.pool, generator.pdf.engine, generator.pdf.assemble; "
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('generator'))))"
    )
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert "generator.pdf.pool" in loaded
    for heavy in ("generator.site.build", "generator.render.sections", "generator.link.pipeline", "generator.site.generate"):
        assert heavy not in loaded


def test_the_command_loads_servers_and_office_formats_only_for_their_commands() -> None:
    """``handbook validate`` is what an editor runs most: it need not load the HTTP servers, the file
    watcher, openpyxl or python-docx (about 0.3 s of every command's start)."""
    code = "import sys, json; import generator.cli; print(json.dumps(sorted(sys.modules)))"
    loaded = json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout)
    assert "generator.cli" in loaded
    for heavy in ("generator.site.serve", "generator.site.editserver", "generator.office.command", "openpyxl", "docx"):
        assert heavy not in loaded
