"""The PDF engine's WeasyPrint and pydyf internals are checked before they are used."""

import tomllib
from pathlib import Path

import pytest
import weasyprint.draw.text
import weasyprint.pdf.fonts

from django.apps import apps

from certificates import engine_internals
from certificates.engine_internals import EngineVersionError


def test_the_installed_packages_have_every_internal_the_engine_uses():
    assert engine_internals.missing() == []
    engine_internals.check()


def test_the_tests_run_on_the_versions_pyproject_pins():
    project = tomllib.loads(
        (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text()
    )
    pins = project["project"]["dependencies"]
    assert f"weasyprint~={engine_internals.TESTED_WEASYPRINT}.0" in pins
    assert f"pydyf~={engine_internals.TESTED_PYDYF}" in pins
    assert engine_internals.installed_versions() == (
        engine_internals.TESTED_WEASYPRINT,
        engine_internals.TESTED_PYDYF,
    )


def test_a_renamed_function_stops_start_up_naming_it_and_the_versions(monkeypatch):
    monkeypatch.delattr(weasyprint.draw.text, "draw_first_line")
    monkeypatch.setattr(
        engine_internals, "installed_versions", lambda: ("71.0", "0.14.0")
    )
    with pytest.raises(EngineVersionError) as raised:
        apps.get_app_config("certificates").ready()
    message = str(raised.value)
    assert "weasyprint.draw.text.draw_first_line" in message
    assert "tested with WeasyPrint 70.0 and pydyf 0.13.0" in message
    assert "installed: WeasyPrint 71.0, pydyf 0.14.0" in message


def test_an_instance_attribute_no_longer_set_is_named(monkeypatch):
    original = weasyprint.pdf.fonts.Font.__init__

    def init(self, pango_font, description, font_size):  # no `to_unicode` any more
        self.widths = self.missing = {}

    monkeypatch.setattr(weasyprint.pdf.fonts.Font, "__init__", init)
    gone = engine_internals.missing()
    assert "weasyprint.pdf.fonts.Font().to_unicode" in gone
    assert "weasyprint.pdf.fonts.Font().widths" not in gone
    monkeypatch.setattr(weasyprint.pdf.fonts.Font, "__init__", original)
    assert engine_internals.missing() == []
