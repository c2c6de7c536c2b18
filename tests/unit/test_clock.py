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


def test_each_thread_keeps_its_own_business_date():
    import threading

    seen = {}
    entered = threading.Barrier(2)

    def run(name, day):
        with clock.frozen(day):
            entered.wait()
            seen[name] = clock.today()
            entered.wait()

    threads = [
        threading.Thread(target=run, args=("a", dt.date(2026, 1, 5))),
        threading.Thread(target=run, args=("b", dt.date(2027, 3, 1))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert seen == {"a": dt.date(2026, 1, 5), "b": dt.date(2027, 3, 1)}
    with clock.frozen(dt.date(2026, 6, 1)):
        pass
    assert clock.today() != dt.date(2026, 6, 1)
