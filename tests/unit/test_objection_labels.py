"""An objection's label names the day it arrived in China, not the stored UTC date: one sent at
07:30 on 1 October in China is stored as 23:30 on 30 September UTC (R6: its 20 days count
from the China day)."""

import datetime as dt

from xinyong.remedies.models import ObjectorKind, OnlineObjection, RegisteredObjection

AT_0730_CHINA = dt.datetime(2026, 9, 30, 23, 30, tzinfo=dt.UTC)  # as the database gives it


def test_an_online_objection_names_the_china_day():
    assert str(OnlineObjection(entry_id=7, sent_at=AT_0730_CHINA)) == "7 2026-10-01"


def test_a_registered_objection_names_the_china_day():
    objection = RegisteredObjection(
        entry_id=7, objector_kind=ObjectorKind.SUBJECT, registered_at=AT_0730_CHINA
    )
    assert str(objection) == "7 subject 2026-10-01"


def test_before_it_is_saved_an_objection_has_no_day_yet():
    assert str(OnlineObjection(entry_id=7)) == "7"
