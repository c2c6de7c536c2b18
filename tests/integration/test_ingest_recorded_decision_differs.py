"""A decision sent again under a document number already recorded for its subject: the same
decision, however its cells are written, is already recorded; one that says otherwise (another
decision date or fine) is quarantined with ``recorded-decision-differs`` and the
record keeps what it holds (R8; nothing recorded is overwritten, it is corrected by 记录更正)."""

import datetime as dt

import pytest

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory
from tests.integration.test_ingest_import import revoke_on_founded_objection
from xinyong.catalog import services
from xinyong.catalog.importers.reasons import MESSAGES
from xinyong.catalog.models import CreditRecord, RecordFormat
from xinyong.catalog.reports import report_response
from xinyong.core import clock

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
DIFFERS = "recorded-decision-differs"


@pytest.fixture(autouse=True)
def business_date():
    with clock.frozen(TODAY):
        yield


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


@pytest.fixture(autouse=True)
def penalty_item(department):
    return CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None)  # fmt: skip


def send(tmp_path, department, rows, name="p.csv"):
    path = samples.write_csv(tmp_path / name, samples.PENALTY_FIELDS, rows)
    return services.import_file(actor="test", kind="penalties", path=path, department=department)


def counted(job):
    return (job.rows_done, job.accepted, job.inserted, job.already_recorded, job.quarantined)


def accounts_for_every_row(job):
    return job.rows_done == job.accepted + job.quarantined and (
        job.accepted == job.inserted + job.already_recorded
    )


def as_recorded():
    return list(
        CreditRecord.objects.order_by("id").values_list(
            "import_job_id", "decision_date", "tier", "is_serious", "fine_amount",
            "publication_ends_on", "sharing_ends_on", "content",
        )
    )  # fmt: skip


@pytest.fixture
def recorded(tmp_path, department):
    """Penalty A, a general fine of 1 (10,000 yuan) decided 2026-11-02, recorded."""
    job = send(tmp_path, department, [samples.penalty(1)], name="a.csv")
    assert counted(job) == (1, 1, 1, 0, 0)
    return as_recorded()


@pytest.mark.parametrize(
    "changes",
    [{"CF_JDRQ": "2026-11-03"}, {"CF_NR_FK": "2"}, {"CF_NR_FK": ""}],
    ids=["decision-date", "fine", "no-fine"],
)  # fmt: skip
def test_a_decision_that_says_otherwise_is_quarantined(tmp_path, department, recorded, changes):
    job = send(tmp_path, department, [samples.penalty(1, **changes)])
    assert counted(job) == (1, 0, 0, 0, 1) and accounts_for_every_row(job)
    assert job.quarantined_by_reason == {DIFFERS: 1}
    row = job.report_rows.get()
    assert (row.row_number, row.outcome, [r["code"] for r in row.reasons]) == (
        1, "quarantined", [DIFFERS])  # fmt: skip
    assert as_recorded() == recorded  # nothing overwritten


@pytest.mark.parametrize(
    "types",
    ["吊销许可证件", "罚款；吊销许可证件", "警告", "罚款、没收违法所得"],
    ids=["another-type", "one-type-more", "a-lower-type", "fine-and-confiscation"],
)  # fmt: skip
def test_a_decision_sent_again_with_other_penalty_types_is_quarantined(
    tmp_path, department, recorded, types
):
    """The same date and fine, other penalty types (罚款 → 吊销许可证件): another decision than
    the one recorded, not already recorded; the record keeps its types, tier and window (R8)."""
    job = send(tmp_path, department, [samples.penalty(1, CF_CFLB=types)])
    assert counted(job) == (1, 0, 0, 0, 1) and accounts_for_every_row(job)
    assert job.quarantined_by_reason == {DIFFERS: 1}
    assert as_recorded() == recorded
    record = CreditRecord.objects.get()
    assert (record.tier, record.is_serious) == ("general", False)


@pytest.mark.parametrize(
    ("first", "again"),
    [("罚款；吊销许可证件", "吊销许可证件；罚款"), ("罚款；吊销许可证件", "罚款,吊销许可证件"),
     ("罚款；吊销许可证件", " 罚款 、 吊销 许可证件 "), ("罚款；吊销许可证件", "罚款|吊销许可证"),
     ("罚款；吊销许可证件", "罚款；罚款；暂扣或者吊销许可证"),
     ("罚款；吊销许可证件", "罚款\n吊销许可证件（营业执照）"),
     ("没收非法财物、违法所得", "没收非法财物"), ("罚款", "罚款 ；")],
    ids=["order", "separator", "spaces", "alias", "repeated-and-alias", "line-and-brackets",
         "alias-with-separator", "trailing-separator"],
)  # fmt: skip
def test_the_same_penalty_types_written_otherwise_are_already_recorded(
    tmp_path, department, first, again
):
    """The same set of types, in another order, with other separators or spaces, or under a
    spelling the penalty-type table maps to the same type (R8, R9)."""
    job = send(tmp_path, department, [samples.penalty(1, CF_CFLB=first)], name="a.csv")
    assert counted(job) == (1, 1, 1, 0, 0)
    before = as_recorded()
    job = send(tmp_path, department, [samples.penalty(1, CF_CFLB=again)])
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}
    assert as_recorded() == before


def test_a_record_kept_before_its_penalty_types_were_is_not_compared_on_them(
    tmp_path, department, recorded
):
    """A record stored before the platform kept the types it read has none to compare: a row
    sent again is compared on its item, date and fine, as it was then, not refused for it."""
    CreditRecord.objects.update(penalty_type_ids=None)
    job = send(tmp_path, department, [samples.penalty(1, CF_CFLB="吊销许可证件")])
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}
    job = send(tmp_path, department, [samples.penalty(1, CF_NR_FK="2")], name="fine.csv")
    assert job.quarantined_by_reason == {DIFFERS: 1}


def test_a_record_the_platform_changed_since_is_already_recorded(tmp_path, department, recorded):
    """A repair lowered its tier and shortened its window (R8), or the credit office changed a
    tier's months: the department's export, sent again, still says what the decision said."""
    CreditRecord.objects.update(
        tier="minor", is_serious=False, publication_ends_on=dt.date(2026, 12, 1),
        sharing_ends_on=dt.date(2026, 12, 1),
    )  # fmt: skip
    job = send(tmp_path, department, [samples.penalty(1, BZ="全量再次报送")])  # a new export
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}


@pytest.mark.parametrize(
    "changes",
    [{"CF_JDRQ": "2026/11/02"}, {"CF_JDRQ": "20261102"}, {"CF_NR_FK": "1.0"},
     {"CF_NR_FK": "1.000000"}, {"CF_XDR_MC": "杭州示例1号科技有限公司 ", "CF_FRDB": " 李四 "},
     {"CF_CFLB": "罚款 ", "BZ": "再次报送"}],
    ids=["slashes", "digits", "fine-1.0", "fine-six-places", "spaces", "bookkeeping"],
)  # fmt: skip
def test_the_same_decision_written_otherwise_is_already_recorded(
    tmp_path, department, recorded, changes
):
    job = send(tmp_path, department, [samples.penalty(1, **changes)])
    assert counted(job) == (1, 1, 0, 1, 0) and job.quarantined_by_reason == {}
    assert not job.report_rows.filter(outcome="quarantined").exists()
    assert as_recorded() == recorded


def test_a_file_with_a_repeated_row_and_a_differing_row(tmp_path, department, recorded):
    """The repeat within the file stays ``duplicate-in-file`` (even when it says otherwise
    than the row it repeats); a row differing from the record of an earlier file differs."""
    rows = [
        samples.penalty(2),
        samples.penalty(2, CF_NR_FK="3"),  # repeats row 1 of this file
        samples.penalty(1, CF_JDRQ="2026-11-01"),  # says otherwise than the recorded A
        samples.penalty(1, CF_JDRQ="2026/11/02"),  # A again, written otherwise
    ]
    job = send(tmp_path, department, rows)
    assert counted(job) == (4, 2, 1, 1, 2) and accounts_for_every_row(job)
    assert job.quarantined_by_reason == {"duplicate-in-file": 1, DIFFERS: 1}
    reasons = {r.row_number: [p["code"] for p in r.reasons] for r in job.report_rows.all()}
    assert reasons == {2: ["duplicate-in-file"], 3: [DIFFERS]}
    assert CreditRecord.objects.count() == 2
    assert as_recorded()[0] == recorded[0]

    # The same file sent again: a new job (rows were quarantined), which reports the same.
    again = send(tmp_path, department, rows)
    assert again.pk != job.pk
    assert counted(again) == (4, 2, 0, 2, 2) and accounts_for_every_row(again)
    assert again.quarantined_by_reason == job.quarantined_by_reason
    reasons = {r.row_number: [p["code"] for p in r.reasons] for r in again.report_rows.all()}
    assert reasons == {2: ["duplicate-in-file"], 3: [DIFFERS]}
    assert CreditRecord.objects.count() == 2


def test_a_decision_corrected_on_the_platform_is_named_when_its_old_export_comes_again(
    tmp_path, department, recorded
):
    """记录更正: the recorded decision was found wrong on an objection and revoked (R6), and the
    department sent the right one (decided 2026-11-03), recorded in its place. Its own export,
    still saying what the wrong one said but no longer the revoked decision itself (a field
    filled since), is quarantined every time it comes; the message names the corrected record
    and the day the platform corrected it, so the department knows why. The revoked decision
    itself, however written, is already recorded: it stays revoked (R6)."""
    revoke_on_founded_objection(CreditRecord.objects.get(), department)  # on TODAY
    right = send(tmp_path, department, [samples.penalty(1, CF_JDRQ="2026-11-03")], "right.csv")
    assert counted(right) == (1, 1, 1, 0, 0)
    corrected = as_recorded()

    for n in (1, 2):  # sent again and again, as the department's system exports it
        row = samples.penalty(1, CF_JDRQ="2026/11/02", CF_YXQ="2027-11-01", BZ=f"第{n}次导出")
        job = send(tmp_path, department, [row], name=f"old-{n}.csv")
        assert counted(job) == (1, 0, 0, 0, 1) and job.quarantined_by_reason == {DIFFERS: 1}
        (reason,) = job.report_rows.get().reasons
        assert reason["code"] == DIFFERS
        message = reason["message"]
        assert "杭市监处罚〔2026〕1号" in message and "2026-11-20" in message
        assert "更正" in message and "未被覆盖" in message
        text = b"".join(report_response(job).streaming_content).decode("utf-8-sig")
        assert message in text
    assert as_recorded() == corrected

    # The wrong decision sent again, as it was recorded or written otherwise, is the revoked
    # one: already recorded.
    for name, changes in (("as-recorded.csv", {}), ("otherwise.csv", {"CF_JDRQ": "2026/11/02"})):
        job = send(tmp_path, department, [samples.penalty(1, BZ="再次导出", **changes)], name=name)
        assert counted(job) == (1, 1, 0, 1, 0)
    assert as_recorded() == corrected


def test_the_report_says_why(tmp_path, department, recorded):
    job = send(tmp_path, department, [samples.penalty(1, CF_NR_FK="2")])
    text = b"".join(report_response(job).streaming_content).decode("utf-8-sig")
    assert MESSAGES[DIFFERS] in text
    assert "记录更正" in MESSAGES[DIFFERS] and "未被覆盖" in MESSAGES[DIFFERS]
