"""A decision wrong in its date or its subject is revoked on a founded objection and the
department sends the right one as a record of its own (R6, ``remedies.record_corrections``):
one decision, counted once in the timeliness statistics and the import job's late count, by
the record first published, in its month (R9). A correction never makes a department late."""

import datetime as dt

import pytest

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, make_uscc
from tests.integration.test_ingest_import import revoke_on_founded_objection
from xinyong.catalog import selectors, services
from xinyong.catalog.models import CreditRecord, RecordFormat
from xinyong.catalog.receivers import recompute_publication_deadlines
from xinyong.core import clock

pytestmark = pytest.mark.django_db
D = dt.date
REVOKED = D(2026, 11, 20)  # the day ``revoke_on_founded_objection`` revokes on


@pytest.fixture
def department():
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


def run(tmp_path, department, rows, *, today, name):
    path = samples.write_csv(tmp_path / name, samples.PENALTY_FIELDS, rows)
    with clock.frozen(today):
        return services.import_file(actor="t", kind="penalties", path=path, department=department)


def months(department):
    with clock.frozen(REVOKED):
        rows = selectors.timeliness(department)
    return [(r["month"], r["total"], r["on_time"], r["late"]) for r in rows]


CORRECTIONS = {
    "a-later-decision-date": {"CF_JDRQ": "2026-11-03"},
    "a-decision-date-in-the-month-before": {"CF_JDRQ": "2026-10-30"},
    "another-subject": {"CF_XDR_MC": "杭州更正科技有限公司", "CF_XDR_SHXYM": make_uscc(99)},
    "the-number-written-otherwise": {"CF_WSH": "杭市监处罚[2026]1号", "CF_JDRQ": "2026-11-03"},
}


@pytest.mark.parametrize("changes", CORRECTIONS.values(), ids=CORRECTIONS.keys())
def test_a_corrected_decision_counts_once_on_time_as_first_published(tmp_path, department, changes):
    """Decided 11-02 and public 11-05, on time; revoked on 11-20 and sent right the same day,
    which is past the due day of either date: the first record counts, in its month."""
    first = run(tmp_path, department, [samples.penalty(1)], today=D(2026, 11, 5), name="a.csv")
    revoke_on_founded_objection(CreditRecord.objects.get(), department)
    right = run(tmp_path, department, [samples.penalty(1, **changes)], today=REVOKED,
                name="b.csv")  # fmt: skip
    assert CreditRecord.objects.filter(revoked_on=None).count() == 1
    assert (first.late, right.late) == (0, 0)
    assert months(department) == [("2026-11", 1, 1, 0)]
    # Counted again when the calendar changes: the job's count still agrees.
    with clock.frozen(REVOKED):
        recompute_publication_deadlines(None, [2026])
    right.refresh_from_db()
    assert right.late == 0


def test_a_correction_corrected_again_still_counts_once(tmp_path, department):
    run(tmp_path, department, [samples.penalty(1)], today=D(2026, 11, 5), name="a.csv")
    revoke_on_founded_objection(CreditRecord.objects.get(), department)
    run(tmp_path, department, [samples.penalty(1, CF_JDRQ="2026-11-03")], today=REVOKED,
        name="b.csv")  # fmt: skip
    revoke_on_founded_objection(CreditRecord.objects.get(revoked_on=None), department)
    again = run(tmp_path, department, [samples.penalty(1, CF_JDRQ="2026-11-04")], today=REVOKED,
                name="c.csv")  # fmt: skip
    assert again.late == 0
    assert months(department) == [("2026-11", 1, 1, 0)]


def test_another_subject_of_the_same_decision_sent_with_it_stays_counted(tmp_path, department):
    """One decision against two subjects under one number, both late: the first subject's
    record is revoked and sent right; the second's came with the first, it is no correction
    and stays late (R9)."""
    both = [samples.penalty(1), samples.penalty(2, CF_WSH="杭市监处罚〔2026〕1号")]
    first = run(tmp_path, department, both, today=D(2026, 11, 16), name="a.csv")
    assert first.late == 2
    wrong = CreditRecord.objects.get(subject__name=samples.penalty(1)["CF_XDR_MC"])
    revoke_on_founded_objection(wrong, department)
    right = run(tmp_path, department, [samples.penalty(1, CF_JDRQ="2026-11-03")], today=REVOKED,
                name="b.csv")  # fmt: skip
    assert right.late == 0
    assert months(department) == [("2026-11", 2, 0, 2)]


def test_a_new_late_decision_under_another_number_is_late(tmp_path, department):
    """Only a record sent in place of a revoked one under its number is a correction: the
    department's other decisions sent on the same day count as they came."""
    run(tmp_path, department, [samples.penalty(1)], today=D(2026, 11, 5), name="a.csv")
    revoke_on_founded_objection(CreditRecord.objects.get(), department)
    rows = [samples.penalty(1, CF_JDRQ="2026-11-03"), samples.penalty(2, CF_JDRQ="2026-11-03")]
    right = run(tmp_path, department, rows, today=REVOKED, name="b.csv")
    assert right.late == 1
    assert months(department) == [("2026-11", 2, 1, 1)]


def test_a_number_revoked_in_another_department_corrects_nothing_here(tmp_path, department):
    run(tmp_path, department, [samples.penalty(1)], today=D(2026, 11, 5), name="a.csv")
    revoke_on_founded_objection(CreditRecord.objects.get(), department)
    other = DepartmentFactory(code="hz-sw")
    theirs = run(tmp_path, other, [samples.penalty(1, CF_JDRQ="2026-11-03",
                 CF_XDR_SHXYM=make_uscc(99), CF_XDR_MC="杭州另一科技有限公司")],
                 today=REVOKED, name="b.csv")  # fmt: skip
    assert theirs.late == 1
    assert months(other) == [("2026-11", 1, 0, 1)]


def test_a_licence_corrected_to_an_end_already_past_counts_once(tmp_path, department):
    """A licence's dates are its publication's: revoked when wrong, and the right one, over by
    the day it comes, is never shown; the first, shown on time, counts (R8, R9)."""
    CatalogItemFactory(
        code="administrative-licence", record_format=RecordFormat.LICENCE, provider=None
    )

    def send(row, today, name):
        path = samples.write_csv(tmp_path / name, samples.LICENCE_FIELDS, [row])
        with clock.frozen(today):
            return services.import_file(actor="t", kind="licences", path=path,
                                        department=department)  # fmt: skip

    send(samples.licence(1), D(2026, 11, 5), "a.csv")
    revoke_on_founded_objection(CreditRecord.objects.get(), department)
    corrected = samples.licence(
        1, XK_JDRQ="2026-11-03", XK_YXQZ="2026-11-03", XK_YXQZI="2026-11-10"
    )
    right = send(corrected, REVOKED, "b.csv")
    assert CreditRecord.objects.get(revoked_on=None).published_on is None
    assert right.late == 0
    assert months(department) == [("2026-11", 1, 1, 0)]
