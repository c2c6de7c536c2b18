"""The daily job's closing of repair applications asks about each application's own record
(R8), not whether it is among every record that ever ended.

At production size a quarter of a million records have ended, and nothing is deleted: asked as
``record_id IN (<every ended record>)``, PostgreSQL could not hash the list in memory and read
it through once per open application, some 30 s under the daily job's exclusive lock, while
every officer's step waited. Asked as ``EXISTS`` of the one record by its key, it is an anti
join driven by the open applications.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xinyong.remedies import repair_closures

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 23)


@pytest.mark.parametrize(
    "closing", [repair_closures.close_for_ended_records, repair_closures.close_for_decision_records]
)
def test_the_daily_closings_ask_about_each_applications_own_record(closing):
    with CaptureQueriesContext(connection) as captured:
        closing(DAY)
    reads = [q["sql"] for q in captured if "remedies_repairapplication" in q["sql"]]
    assert reads and all("EXISTS" in sql for sql in reads), reads
    assert not any('"record_id" IN (SELECT' in sql for sql in reads), reads
