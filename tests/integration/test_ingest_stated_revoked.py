"""A penalty row whose department's export marks the decision revoked or invalid (the older
template's 当前状态, CF_ZT: 1 撤销; or written 撤销, 无效): it is no effective decision (001 §2).

Not recorded when nothing is; not counted as already recorded when a live record of it is
published and shared, but quarantined with the procedure that revokes it on the platform, the
objection's verification (R6): an import neither revokes nor rewrites a record (R8). A record
the platform revoked stays revoked and already recorded, whatever state its export says."""

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.factories import DepartmentFactory, make_citizen_id
from tests.ingest_imports import import_penalties
from tests.integration.test_ingest_import import old_edition_penalty, revoke_on_founded_objection
from xinyong.catalog.importers.reasons import MESSAGES
from xinyong.catalog.models import CreditRecord
from xinyong.catalog.reports import report_response
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
department, penalty_item = imports.department, imports.penalty_item  # shared fixtures
LIVE = "recorded-decision-stated-revoked"
NEW = "decision-stated-revoked"
BY_ANOTHER = "recorded-by-another-department"
FIELDS = samples.OLD_PENALTY_FIELDS


def send(tmp_path, department, rows, name="b.csv", header=FIELDS):
    if header is not FIELDS:  # the older template's Chinese titles
        rows = [{samples.OLD_PENALTY_TITLES[k]: v for k, v in row.items()} for row in rows]
    return import_penalties(samples.write_csv(tmp_path / name, header, rows), department)


def counted(job):
    return (job.rows_done, job.accepted, job.inserted, job.already_recorded, job.quarantined)


def accounts_for_every_row(job):
    return job.rows_done == job.accepted + job.quarantined and (
        job.accepted == job.inserted + job.already_recorded
    )


def reasons(job):
    return {r.row_number: [p["code"] for p in r.reasons] for r in job.report_rows.all()}


@pytest.fixture
def recorded(tmp_path, department, penalty_item):
    """The older template's penalty, 当前状态 0 (正常), recorded and published."""
    job = send(tmp_path, department, [old_edition_penalty()], name="a.csv")
    assert counted(job) == (1, 1, 1, 0, 0)
    return CreditRecord.objects.get()


@pytest.mark.parametrize("state", ["1", "撤销", "已撤销", "无效", " 1 ", "１", "撤 销"])
def test_a_live_decision_its_export_marks_revoked_is_quarantined(
    tmp_path, department, recorded, state
):
    exported = old_edition_penalty(SJC="2026-11-19 09:00:00", CF_ZT=state)
    job = send(tmp_path, department, [exported])
    assert counted(job) == (1, 0, 0, 0, 1) and accounts_for_every_row(job)
    assert job.quarantined_by_reason == {LIVE: 1}
    assert reasons(job) == {1: [LIVE]}
    record = CreditRecord.objects.get()  # neither revoked nor rewritten by the import
    assert (record.pk, record.revoked_on, record.is_published, record.is_shared) == (
        recorded.pk, None, True, True)  # fmt: skip
    assert record.content == recorded.content


def test_the_chinese_title_of_the_state_is_read_too(tmp_path, department, recorded):
    exported = old_edition_penalty(SJC="2026-11-19 09:00:00", CF_ZT="撤销")
    job = send(tmp_path, department, [exported], header=list(samples.OLD_PENALTY_TITLES.values()))
    assert job.quarantined_by_reason == {LIVE: 1}


@pytest.mark.parametrize("state", ["0", "", "正常", "2", "3"])
def test_a_state_that_does_not_say_revoked_is_already_recorded(
    tmp_path, department, recorded, state
):
    """In force (0, 正常, blank), or under objection or other (2, 3) in the department's own
    system: the platform verifies objections itself (R6); the decision is already recorded."""
    exported = old_edition_penalty(SJC="2026-11-19 09:00:00", CF_ZT=state)
    job = send(tmp_path, department, [exported])
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}


def test_the_message_names_the_record_and_the_procedure(tmp_path, department, recorded):
    job = send(tmp_path, department, [old_edition_penalty(CF_ZT="1", SJC="2026-11-19 10:00")])
    (reason,) = job.report_rows.get().reasons
    assert "杭西市监罚〔2026〕101号" in reason["message"]
    assert "未被撤销" in reason["message"] and "异议核实" in reason["message"]
    assert "不会撤销" in reason["message"]
    text = b"".join(report_response(job).streaming_content).decode("utf-8-sig")
    assert reason["message"] in text


def test_a_decision_first_sent_as_revoked_is_not_recorded(tmp_path, department, penalty_item):
    """Nothing is recorded of it, not even its subject: the row is quarantined."""
    rows = [old_edition_penalty(CF_ZT="1"), old_edition_penalty(CF_WSH="杭西市监罚〔2026〕102号")]
    job = send(tmp_path, department, rows)
    assert counted(job) == (2, 1, 1, 0, 1) and accounts_for_every_row(job)
    assert job.quarantined_by_reason == {NEW: 1} and reasons(job) == {1: [NEW]}
    assert MESSAGES[NEW] in job.report_rows.get().reasons[0]["message"]
    assert list(CreditRecord.objects.values_list("document_number", flat=True)) == [
        "杭西市监罚〔2026〕102号"
    ]

    # The same file sent again (it had a row quarantined): a new job, which says the same.
    again = send(tmp_path, department, rows)
    assert again.pk != job.pk
    assert counted(again) == (2, 1, 0, 1, 1) and reasons(again) == {1: [NEW]}
    assert CreditRecord.objects.count() == 1


def test_a_person_first_sent_in_a_revoked_decision_is_not_kept(tmp_path, department, penalty_item):
    row = old_edition_penalty(CF_ZT="撤销", CF_XDR_MC="钱七", CF_XDR_SHXYM="",
                              CF_XDR_SFZ=make_citizen_id(7))  # fmt: skip
    job = send(tmp_path, department, [row])
    assert job.quarantined_by_reason == {NEW: 1} and job.subjects_created == 0
    assert not Subject.objects.exists()


def test_the_same_file_sent_again_is_already_recorded(tmp_path, department, recorded):
    job = send(tmp_path, department, [old_edition_penalty()], name="a.csv")
    assert counted(job) == (1, 1, 1, 0, 0)  # the job that recorded it answers
    exported = old_edition_penalty(SJC="2026-11-19 09:00:00", BZ="全量")
    job = send(tmp_path, department, [exported], name="c.csv")
    assert counted(job) == (1, 1, 0, 1, 0)


def test_a_decision_revoked_on_the_platform_stays_already_recorded(tmp_path, department, recorded):
    """Revoked on a founded objection (R6): its export, now marking it revoked, agrees."""
    revoke_on_founded_objection(recorded, department)
    job = send(tmp_path, department, [old_edition_penalty(CF_ZT="1", SJC="2026-11-21 08:00")])
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}
    assert not CreditRecord.objects.filter(revoked_on__isnull=True).exists()


def test_a_current_edition_file_has_no_state(tmp_path, department, penalty_item):
    """The current template has no state column: its rows are recorded as they come."""
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, [samples.penalty(1)])
    job = import_penalties(path, department)
    assert counted(job) == (1, 1, 1, 0, 0)


@pytest.mark.parametrize("column", ["CF_ZT", "当前状态"])
def test_a_current_edition_file_with_a_state_column_reads_its_own_codes(
    tmp_path, department, penalty_item, column
):
    """A current-edition export with a state column writes 1 for a decision in force (有效) and
    2 for one no longer in force (无效), as its XK_ZT does: only the older template's code
    table reads 1 as 撤销; words count in either edition."""
    states = ["1", "有效", "已撤销", "2"]
    rows = [{**samples.penalty(n), column: state} for n, state in enumerate(states, start=1)]
    path = samples.write_csv(tmp_path / "p.csv", [*samples.PENALTY_FIELDS, column], rows)
    job = import_penalties(path, department)
    assert counted(job) == (4, 2, 2, 0, 2)
    assert reasons(job) == {3: [NEW], 4: [NEW]}


@pytest.fixture
def centre():
    """A department sending on decisions other bodies made (R9)."""
    return DepartmentFactory(code="zj-xyzx", name="浙江省公共信用信息中心", level="province")


def test_a_decision_another_department_recorded_sent_on_as_revoked_is_quarantined(
    tmp_path, centre, recorded
):
    """Sent on by another department with its export marking it revoked: no decision in force,
    so not the live record the first department holds, accepted as recorded by it (R9), but
    quarantined as stated revoked; the first department's record stands as it is (R6)."""
    job = send(tmp_path, centre, [old_edition_penalty(CF_ZT="1", SJC="2026-11-19 09:00")])
    assert counted(job) == (1, 0, 0, 0, 1) and accounts_for_every_row(job)
    assert job.quarantined_by_reason == {NEW: 1} and reasons(job) == {1: [NEW]}
    record = CreditRecord.objects.get()
    assert (record.pk, record.revoked_on, record.is_published) == (recorded.pk, None, True)

    # In force in its export, the same decision is the first department's, recorded once.
    job = send(tmp_path, centre, [old_edition_penalty(SJC="2026-11-19 10:00")], name="c.csv")
    assert counted(job) == (1, 1, 0, 1, 0) and reasons(job) == {1: [BY_ANOTHER]}
    assert CreditRecord.objects.get().pk == recorded.pk


def test_a_chunk_with_rows_recorded_elsewhere_and_stated_revoked_accounts_for_every_row(
    tmp_path, centre, recorded
):
    """One chunk: a decision the first department recorded (taken out before anything is
    written), a new one its export marks revoked, and a new one in force."""
    rows = [
        old_edition_penalty(SJC="2026-11-19 09:00"),
        old_edition_penalty(CF_WSH="杭西市监罚〔2026〕102号", CF_ZT="撤销"),
        old_edition_penalty(CF_WSH="杭西市监罚〔2026〕103号"),
    ]
    job = send(tmp_path, centre, rows)
    assert counted(job) == (3, 2, 1, 1, 1) and accounts_for_every_row(job)
    assert reasons(job) == {1: [BY_ANOTHER], 2: [NEW]}
    assert job.quarantined_by_reason == {NEW: 1}
    assert sorted(CreditRecord.objects.values_list("department__code", "document_number")) == [
        ("hz-scjg", "杭西市监罚〔2026〕101号"), ("zj-xyzx", "杭西市监罚〔2026〕103号")]  # fmt: skip
