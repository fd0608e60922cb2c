"""The preview's MkDocs internals are checked before it starts; its lock hands over without polling."""

from __future__ import annotations

import threading
import time

import mkdocs
import pytest

from generator.errors import UserError
from generator.i18n import load_locale
from generator.site import mkinternals
from generator.site.serve import _Turns


def test_the_installed_mkdocs_is_one_the_preview_was_tested_with() -> None:
    mkinternals.check()
    low, high = mkinternals.TESTED
    assert low <= mkinternals._version() < high


@pytest.mark.parametrize("version", ["1.5.3", "1.7.0", "2.0.0"])
def test_an_untested_mkdocs_stops_the_preview_with_its_version(version: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mkdocs, "__version__", version)
    with pytest.raises(UserError) as err:
        mkinternals.check()
    for lang in ("zh", "en"):
        message = err.value.message(load_locale(lang))
        assert version in message and "1.6" in message and "1.7" in message


def test_a_missing_internal_is_named(monkeypatch: pytest.MonkeyPatch) -> None:
    from mkdocs.commands import build

    monkeypatch.delattr(build, "_build_page")
    with pytest.raises(UserError) as err:
        mkinternals.check()
    assert "_build_page" in err.value.message(load_locale("en"))


def test_a_server_without_its_rebuild_flag_is_refused() -> None:
    with pytest.raises(UserError) as err:
        mkinternals.check_server(object())
    assert "_rebuild_cond" in err.value.message(load_locale("en"))


def test_the_background_writer_waits_for_a_waiting_save_without_polling() -> None:
    turns = _Turns()
    order: list[str] = []
    holding = threading.Event()

    def save() -> None:
        with turns.first():
            holding.set()
            time.sleep(0.2)
            order.append("save")

    def background() -> None:
        holding.wait()
        with turns.background():
            order.append("background")

    threads = [threading.Thread(target=save), threading.Thread(target=background)]
    for t in threads:
        t.start()
    holding.wait()
    assert turns.wanted()
    for t in threads:
        t.join(timeout=5)
    assert order == ["save", "background"] and not turns.wanted()
