"""A decision sent again from a file that lacks one of its columns: the older-edition penalty
template has no fine (CF_NR_FK) nor end of publication (CF_GSJZQ), and some exports leave an
optional column out. A column the file does not have states nothing, so what it would hold is
not compared with the recorded decision: the row is the recorded decision sent again, already
recorded, whether the department's own record holds it, another department's, or a revoked one
(R6, R8, R9). An empty cell in a column the file has is stated, and compared. So the other
way round: a record made from a file without the column states nothing there either."""

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.factories import make_uscc
from tests.integration.test_ingest_import import revoke_on_founded_objection
from xinyong.catalog import services
from xinyong.catalog.models import CreditRecord
from xinyong.core import clock

pytestmark = pytest.mark.django_db
department, centre, penalty_item = imports.department, imports.centre, imports.penalty_item
DIFFERS = "recorded-decision-differs"
OLD = samples.OLD_PENALTY_FIELDS


def send(tmp_path, department, rows, name, *, fields=None):
    path = samples.write_csv(tmp_path / name, fields or samples.PENALTY_FIELDS, rows)
    with clock.frozen(imports.TODAY):
        return services.import_file(actor="test", kind="penalties", path=path,
                                    department=department)  # fmt: skip


def counted(job):
    return (job.rows_done, job.accepted, job.inserted, job.already_recorded, job.quarantined)


def older_edition(**changes):
    """``samples.penalty(1)`` as the older template writes it: what that template has columns
    for, the same; no fine, no end of publication, no body's code."""
    row = dict.fromkeys(OLD, "")
    row.update(
        CF_WSH="杭市监处罚〔2026〕1号", CF_CFLB1="罚款", CF_SY="经查，当事人销售超过保质期的食品",
        CF_YJ="《中华人民共和国食品安全法》第一百二十四条", CF_XDR_MC="杭州示例1号科技有限公司",
        CF_XDR_SHXYM=make_uscc(1), CF_FR="李四", CF_JG="罚款人民币壹万元", CF_JDRQ="2026/11/02",
        CF_XZJG=samples.AUTHORITY, CF_ZT="0",
    )  # fmt: skip
    return {**row, **changes}


@pytest.fixture
def recorded(tmp_path, department, penalty_item):
    """Penalty 1, its fine of 1 (万元) stated, recorded by the department."""
    job = send(tmp_path, department, [samples.penalty(1)], "a.csv")
    assert counted(job) == (1, 1, 1, 0, 0)
    return CreditRecord.objects.get()


def test_an_older_edition_file_sends_a_recorded_fine_again(tmp_path, department, recorded):
    job = send(tmp_path, department, [older_edition()], "old.csv", fields=OLD)
    assert job.edition == "old"
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}
    assert CreditRecord.objects.get().fine_amount == recorded.fine_amount


def test_a_file_without_the_fine_column(tmp_path, department, recorded):
    fields = [name for name in samples.PENALTY_FIELDS if name != "CF_NR_FK"]
    job = send(tmp_path, department, [samples.penalty(1)], "b.csv", fields=fields)
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}


def test_an_empty_fine_cell_is_stated(tmp_path, department, recorded):
    """The file has the column: its empty cell says the decision has no fine."""
    job = send(tmp_path, department, [samples.penalty(1, CF_NR_FK="")], "b.csv")
    assert counted(job) == (1, 0, 0, 0, 1) and job.quarantined_by_reason == {DIFFERS: 1}


def test_what_the_older_edition_states_otherwise_still_differs(tmp_path, department, recorded):
    job = send(tmp_path, department, [older_edition(CF_JDRQ="2026/11/02", CF_CFLB1="警告")],
               "old.csv", fields=OLD)  # fmt: skip
    assert counted(job) == (1, 0, 0, 0, 1) and job.quarantined_by_reason == {DIFFERS: 1}


def test_another_department_forwarding_it_in_the_older_edition(tmp_path, centre, recorded):
    job = send(tmp_path, centre, [older_edition()], "old.csv", fields=OLD)
    assert counted(job) == (1, 1, 0, 1, 0) and job.report_rows.get().outcome == "by_another"


def test_a_revoked_decision_sent_again_in_the_older_edition_stays_revoked(
    tmp_path, department, recorded
):
    """R6: the older template's export of the revoked decision is that decision, however few of
    its columns the template has; nothing is stored or published again."""
    revoke_on_founded_objection(recorded, department)
    job = send(tmp_path, department, [older_edition()], "old.csv", fields=OLD)
    assert counted(job) == (1, 1, 0, 1, 0)
    assert not CreditRecord.objects.filter(revoked_on__isnull=True).exists()


def test_the_right_decision_in_the_older_edition_is_recorded(tmp_path, department, recorded):
    """What the older template does state, stated otherwise: the right decision, recorded."""
    revoke_on_founded_objection(recorded, department)
    job = send(tmp_path, department, [older_edition(CF_JG="罚款人民币伍仟元")], "old.csv",
               fields=OLD)  # fmt: skip
    assert counted(job) == (1, 1, 1, 0, 0)
    assert CreditRecord.objects.filter(revoked_on__isnull=True).count() == 1


# The other way round: the record was made from the older template's file, which had no column
# for the fine nor the end of publication, so the record states neither; the current template's
# export of the decision, stating both, is the decision sent again. Only what both state is
# compared, whichever department recorded it.
CURRENT = {"CF_NR_FK": "1", "CF_GSJZQ": "2027-06-30"}


@pytest.fixture
def recorded_old(tmp_path, department, penalty_item):
    """Penalty 1 recorded by the department from an older-edition file."""
    job = send(tmp_path, department, [older_edition()], "old.csv", fields=OLD)
    assert counted(job) == (1, 1, 1, 0, 0)
    return CreditRecord.objects.get()


@pytest.mark.parametrize("stated", [{}, CURRENT], ids=["fine", "fine-and-end"])
def test_the_current_edition_sends_an_older_editions_record_again(
    tmp_path, department, recorded_old, stated
):
    job = send(tmp_path, department, [samples.penalty(1, **stated)], "new.csv")
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}
    assert CreditRecord.objects.get().fine_amount is None


def test_another_department_sends_an_older_editions_record_in_the_current_one(
    tmp_path, department, centre, penalty_item
):
    job = send(tmp_path, centre, [older_edition()], "old.csv", fields=OLD)
    assert counted(job) == (1, 1, 1, 0, 0)
    job = send(tmp_path, department, [samples.penalty(1, **CURRENT)], "new.csv")
    assert counted(job) == (1, 1, 0, 1, 0) and job.report_rows.get().outcome == "by_another"


def test_what_both_editions_state_otherwise_still_differs(tmp_path, department, recorded_old):
    job = send(tmp_path, department, [samples.penalty(1, CF_JDRQ="2026-11-03")], "new.csv")
    assert counted(job) == (1, 0, 0, 0, 1) and job.quarantined_by_reason == {DIFFERS: 1}


def test_an_older_editions_revoked_record_sent_again_in_the_current_one_stays_revoked(
    tmp_path, department, recorded_old
):
    revoke_on_founded_objection(recorded_old, department)
    job = send(tmp_path, department, [samples.penalty(1, **CURRENT)], "new.csv")
    assert counted(job) == (1, 1, 0, 1, 0)
    assert not CreditRecord.objects.filter(revoked_on__isnull=True).exists()
