"""The business date is explicit: XINYONG_TODAY and --date move it (STYLE: time is explicit)."""

import datetime as dt

import pytest

from xinyong.core import clock


def test_xinyong_today_sets_the_business_date(monkeypatch):
    monkeypatch.setenv("XINYONG_TODAY", "2026-09-21")
    assert clock.today() == dt.date(2026, 9, 21)


def test_frozen_overrides_the_environment_and_restores(monkeypatch):
    monkeypatch.setenv("XINYONG_TODAY", "2026-09-21")
    with clock.frozen(dt.date(2026, 10, 27)):
        assert clock.today() == dt.date(2026, 10, 27)
    assert clock.today() == dt.date(2026, 9, 21)


def test_without_configuration_today_is_chinas_date(monkeypatch):
    monkeypatch.delenv("XINYONG_TODAY", raising=False)
    assert clock.today() == dt.datetime.now(clock.CHINA).date()


@pytest.mark.parametrize("value", ["2026-13-01", "yesterday", "", "2026/09/21"])
def test_a_bad_date_is_a_clear_error(value):
    with pytest.raises(ValueError, match="ISO date"):
        clock.parse_date(value)
