"""One decision sent by two departments is stored and published once (R9, issue 5 §3).

The market regulator records its own penalty; the provincial credit centre sends the same
decision on: the same document number, subject and decision date, the same issuing body (by
its code when both rows give one, else by its name folded). The second row is accepted and
counted as already recorded, named in the report as ``recorded-by-another-department`` with the
department that recorded it; nothing is stored for it. Another body, or another decision date,
is another decision and is stored. A department sending its own decision again is told what it
always was.
"""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    make_citizen_id,
    make_uscc,
)
from xinyong.api import tokens
from xinyong.catalog import selectors, services
from xinyong.catalog.importers.reasons import MESSAGES
from xinyong.catalog.models import CreditRecord, InfoKind, RecordFormat
from xinyong.core import clock
from xinyong.listings.models import EntryState, ListKind

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
BY_ANOTHER = "recorded-by-another-department"
REGULATOR = samples.AUTHORITY  # 杭州市市场监督管理局, the decision maker
CENTRE = imports.CENTRE
BODY_CODE = make_uscc(1, authority="1", org_type="1")  # the regulator's code, as samples give it


@pytest.fixture(autouse=True)
def business_date():
    with clock.frozen(TODAY):
        yield


regulator, centre = imports.regulator, imports.centre  # the shared fixtures


@pytest.fixture(autouse=True)
def items():
    CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                       provider=None)  # fmt: skip
    CatalogItemFactory(code="administrative-licence", record_format=RecordFormat.LICENCE,
                       provider=None)  # fmt: skip


def send(tmp_path, department, rows, *, name="p.csv", kind="penalties", fields=None):
    header = fields or (samples.LICENCE_FIELDS if kind == "licences" else samples.PENALTY_FIELDS)
    if name.endswith(".json"):
        path = samples.write_json(tmp_path / name, rows)
    elif name.endswith(".xlsx"):
        path = samples.write_xlsx(tmp_path / name, header, rows)
    else:
        path = samples.write_csv(tmp_path / name, header, rows)
    return services.import_file(actor="test", kind=kind, path=path, department=department)


def counted(job):
    return (job.rows_done, job.accepted, job.inserted, job.already_recorded, job.quarantined)


def accounts_for_every_row(job):
    return job.rows_done == job.accepted + job.quarantined and (
        job.accepted == job.inserted + job.already_recorded
    )


def told(job):
    return {
        row.row_number: (row.outcome, [reason["code"] for reason in row.reasons])
        for row in job.report_rows.all()
    }


def by_another(rows):
    return {row: ("by_another", [BY_ANOTHER]) for row in rows}


@pytest.fixture
def recorded(tmp_path, regulator):
    """The regulator's penalty 1 (its code given), recorded."""
    job = send(tmp_path, regulator, [samples.penalty(1)], name="own.csv")
    assert counted(job) == (1, 1, 1, 0, 0)
    return CreditRecord.objects.get()


def test_the_same_decision_sent_by_another_department_is_recorded_once(tmp_path, centre, recorded):
    job = send(tmp_path, centre, [samples.penalty(1, CF_SJLY=CENTRE, BZ="转报")])
    assert counted(job) == (1, 1, 0, 1, 0) and accounts_for_every_row(job)
    assert job.quarantined_by_reason == {} and job.late == 0  # the regulator's, counted there
    assert told(job) == by_another([1])
    (reason,) = job.report_rows.get().reasons
    assert reason["message"] == MESSAGES[BY_ANOTHER].format(department=REGULATOR)
    assert REGULATOR in reason["message"]
    assert list(CreditRecord.objects.values_list("pk", flat=True)) == [recorded.pk]


@pytest.mark.parametrize(
    "changes",
    [{"CF_CFJGDM": ""}, {"CF_CFJGDM": "无", "CF_CFJG": "杭州市 市场监督管理局"},
     {"CF_CFJGDM": "", "CF_CFJG": "杭州市市場監督管理局"}, {"CF_CFJG": "杭州市市场监管部门"}],
    ids=["no-code", "no-code-spaced-name", "traditional-name", "same-code-other-name"],
)  # fmt: skip
def test_the_same_body_by_code_or_else_by_its_folded_name(tmp_path, centre, recorded, changes):
    """By the code where both rows give one (whatever the name says), else by the name."""
    job = send(tmp_path, centre, [samples.penalty(1, **changes)])
    assert counted(job) == (1, 1, 0, 1, 0)
    assert told(job) == by_another([1])
    assert CreditRecord.objects.count() == 1


def test_the_older_edition_without_the_code_column(tmp_path, centre, recorded):
    """The older template has no code column: its body is told by its name."""
    row = dict.fromkeys(samples.OLD_PENALTY_FIELDS, "")
    row.update(CF_WSH="杭市监处罚〔2026〕1号", CF_CFLB1="罚款", CF_XDR_MC="杭州示例1号科技有限公司",
               CF_XDR_SHXYM=make_uscc(1), CF_FR="李四", CF_JG="罚款人民币壹万元",
               CF_JDRQ="2026/11/02", CF_XZJG=REGULATOR, CF_ZT="0")  # fmt: skip
    job = send(tmp_path, centre, [row], fields=samples.OLD_PENALTY_FIELDS)
    assert (job.edition, counted(job)) == ("old", (1, 1, 0, 1, 0))
    assert told(job) == by_another([1])


@pytest.mark.parametrize(
    "changes",
    [{"CF_CFJG": "杭州市西湖区市场监督管理局", "CF_CFJGDM": ""},
     {"CF_CFJGDM": make_uscc(2, authority="1", org_type="1")},
     {"CF_CFJG": "杭州市生态环境局", "CF_CFJGDM": "无"},
     {"CF_JDRQ": "2026-11-03"}],
    ids=["other-body-by-name", "other-body-by-code", "other-body-no-codes", "other-date"],
)  # fmt: skip
def test_another_body_or_another_date_is_another_decision(tmp_path, centre, recorded, changes):
    job = send(tmp_path, centre, [samples.penalty(1, **changes)])
    assert counted(job) == (1, 1, 1, 0, 0) and job.report_rows.count() == 0
    assert CreditRecord.objects.filter(department=centre).count() == 1


def test_the_regulator_sending_it_again_is_told_as_ever(tmp_path, regulator, centre, recorded):
    """Already recorded, with no report row; one that says otherwise differs."""
    again = send(tmp_path, regulator, [samples.penalty(1, BZ="再次报送")], name="again.csv")
    assert counted(again) == (1, 1, 0, 1, 0) and again.report_rows.count() == 0
    differs = send(tmp_path, regulator, [samples.penalty(1, CF_NR_FK="2")], name="fine.csv")
    assert counted(differs) == (1, 0, 0, 0, 1)
    assert told(differs) == {1: ("quarantined", ["recorded-decision-differs"])}


def test_a_department_holding_the_decision_itself_is_answered_by_its_own_record(
    tmp_path, regulator, centre, recorded
):
    """Both departments hold it (recorded before they were told apart): the centre's own record
    answers its row, already recorded, or differing, as for any department."""
    first = send(tmp_path, centre, [samples.penalty(1, CF_JDRQ="2026-11-03")], name="c.csv")
    assert first.inserted == 1
    CreditRecord.objects.filter(department=centre).update(decision_date=recorded.decision_date)
    again = send(tmp_path, centre, [samples.penalty(1)], name="c2.csv")
    assert counted(again) == (1, 1, 0, 1, 0) and again.report_rows.count() == 0
    differs = send(tmp_path, centre, [samples.penalty(1, CF_NR_FK="2")], name="c3.csv")
    assert told(differs) == {1: ("quarantined", ["recorded-decision-differs"])}


def test_the_regulator_sending_after_the_centre_is_told_the_same(tmp_path, regulator, centre):
    """Whoever sends first records it: the decision maker sending later is told who did."""
    first = send(tmp_path, centre, [samples.penalty(1)], name="c.csv")
    assert first.inserted == 1
    job = send(tmp_path, regulator, [samples.penalty(1)], name="own.csv")
    assert counted(job) == (1, 1, 0, 1, 0)
    assert CENTRE in job.report_rows.get().reasons[0]["message"]


def test_a_revoked_decision_forwarded_stays_revoked(tmp_path, centre, recorded):
    """A record revoked on a founded objection stays revoked when another department forwards
    its decision, as when its own department sends it again (R6): accepted, already recorded,
    the report row saying it was revoked on the platform; nothing stored or published."""
    CreditRecord.objects.update(revoked_on=TODAY)
    rows = [samples.penalty(1, CF_SJLY=CENTRE, BZ="转报", CF_JDRQ="2026/11/02", CF_NR_FK="1.0")]
    job = send(tmp_path, centre, rows)
    assert counted(job) == (1, 1, 0, 1, 0) and accounts_for_every_row(job)
    assert told(job) == by_another([1])
    message = job.report_rows.get().reasons[0]["message"]
    assert REGULATOR in message and "撤销" in message and TODAY.isoformat() in message
    assert list(CreditRecord.objects.values_list("pk", flat=True)) == [recorded.pk]


@pytest.mark.parametrize(
    "changes", [{"CF_NR_FK": "0.5"}, {"CF_NR": "罚款人民币伍仟元"}], ids=["fine", "content"]
)
def test_the_corrected_decision_forwarded_is_stored(tmp_path, centre, recorded, changes):
    """What differs from the revoked decision is the corrected one: stored."""
    CreditRecord.objects.update(revoked_on=TODAY)
    job = send(tmp_path, centre, [samples.penalty(1, **changes)])
    assert counted(job) == (1, 1, 1, 0, 0) and job.report_rows.count() == 0


def test_the_regulators_corrected_record_answers_before_its_revoked_one(
    tmp_path, regulator, centre, recorded
):
    """The regulator corrected its decision: the corrected one forwarded is recorded, the wrong
    one forwarded stays revoked."""
    CreditRecord.objects.update(revoked_on=TODAY)
    corrected = send(tmp_path, regulator, [samples.penalty(1, CF_NR_FK="0.5")], name="fix.csv")
    assert corrected.inserted == 1
    job = send(tmp_path, centre, [samples.penalty(1, CF_NR_FK="0.5"), samples.penalty(1)])
    assert counted(job) == (2, 2, 0, 2, 0) and told(job) == by_another([1, 2])
    assert "撤销" in job.report_rows.get(row_number=2).reasons[0]["message"]
    assert CreditRecord.objects.filter(department=centre).count() == 0


def test_a_file_of_every_kind_and_the_same_file_sent_again(tmp_path, regulator, centre, recorded):
    """Report rows and counters add up, and the file sent again (a new job, as a row was
    quarantined) tells every row as its first job did, storing nothing more."""
    send(tmp_path, regulator, [samples.penalty(3, person=True)], name="person.csv")
    rows = [
        samples.penalty(1),  # the regulator's: by another department
        samples.penalty(2),  # new
        samples.penalty(1),  # repeats row 1: by another department as well
        samples.penalty(4, CF_JDRQ=""),  # quarantined
        samples.penalty(3, person=True, CF_CFJGDM=""),  # the regulator's, a person's
        samples.penalty(5, CF_CFJG="杭州市西湖区市场监督管理局", CF_CFJGDM=""),  # new
    ]
    job = send(tmp_path, centre, rows)
    assert counted(job) == (6, 5, 2, 3, 1) and accounts_for_every_row(job)
    assert job.quarantined_by_reason == {"required": 1}
    assert told(job) == {**by_another([1, 3, 5]), 4: ("quarantined", ["required"])}
    assert CreditRecord.objects.filter(department=centre).count() == 2
    lines = list(selectors.report_lines(job))
    assert [line[1] for line in lines[1:]] == [
        "已由其他部门归集，未重复入库", "已由其他部门归集，未重复入库", "未入库",
        "已由其他部门归集，未重复入库",
    ]  # fmt: skip

    again = send(tmp_path, centre, rows)
    assert again.pk != job.pk
    assert counted(again) == (6, 5, 0, 5, 1) and accounts_for_every_row(again)
    assert told(again) == told(job)
    assert CreditRecord.objects.count() == 4


def test_a_code_for_review_stays_beside_it(tmp_path, regulator, centre):
    """A row whose subject's code is kept for review keeps that note in the report, and is
    counted among the codes for review as any accepted row."""
    code = make_uscc(9)
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    wrong = code[:17] + alphabet[(alphabet.index(code[17]) + 1) % len(alphabet)]
    own = send(tmp_path, regulator, [samples.penalty(9, CF_XDR_SHXYM=wrong)], name="own.csv")
    assert (own.inserted, own.identifiers_for_review) == (1, 1)
    job = send(tmp_path, centre, [samples.penalty(9, CF_XDR_SHXYM=wrong)])
    assert counted(job) == (1, 1, 0, 1, 0) and job.identifiers_for_review == 1
    outcome, codes = told(job)[1]
    assert outcome == "by_another" and codes[-1] == BY_ANOTHER and len(codes) == 2


def test_a_licence_from_json_and_from_excel(tmp_path, regulator, centre):
    own = send(tmp_path, regulator, [samples.licence(1), samples.licence(2)], name="own.csv",
               kind="licences")  # fmt: skip
    assert own.inserted == 2
    from_json = send(tmp_path, centre, [samples.licence(1, XK_XKJGDM="")], name="c.json",
                     kind="licences")  # fmt: skip
    assert counted(from_json) == (1, 1, 0, 1, 0) and told(from_json) == by_another([1])
    rows = [samples.licence(2, XK_XKJG="杭州市 市场监督管理局"), samples.licence(3)]
    from_excel = send(tmp_path, centre, rows, name="c.xlsx", kind="licences")
    assert counted(from_excel) == (2, 2, 1, 1, 0) and told(from_excel) == by_another([1])
    assert CreditRecord.objects.count() == 3


def test_a_person_named_in_the_report_is_registered_as_such(tmp_path, regulator, centre):
    """The report row of a person's decision names a natural person (R14)."""
    send(tmp_path, regulator, [samples.penalty(7, person=True)], name="own.csv")
    job = send(tmp_path, centre, [samples.penalty(7, person=True)])
    row = job.report_rows.get()
    assert row.names_natural_person and row.outcome == "by_another"
    assert make_citizen_id(7) not in str(row.values)


def test_the_api_job_and_its_report(tmp_path, regulator, centre, recorded):
    """The centre's system uploads: the job counts the row as already recorded, and the report
    it downloads names the row, why, and the department that recorded the decision."""
    token, _ = tokens.create_token(actor="test", user=tokens.system_account(centre))
    client = Client(headers={"Authorization": f"Bearer {token}"})
    path = samples.write_csv(tmp_path / "c.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(1), samples.penalty(2)])  # fmt: skip
    upload = SimpleUploadedFile("c.csv", path.read_bytes(), content_type="text/csv")
    answer = client.post("/api/v1/imports", {"kind": "penalties", "file": upload})
    assert answer.status_code == 201, answer.content
    job = answer.json()
    assert (job["rows"], job["accepted"], job["inserted"], job["already_recorded"]) == (2, 2, 1, 1)
    assert (job["quarantined"], job["quarantined_by_reason"]) == (0, {})
    report = client.get(job["report_url"])
    assert report.status_code == 200
    lines = list(csv.reader(io.StringIO(b"".join(report.streaming_content).decode("utf-8-sig"))))
    assert len(lines) == 2  # the header and row 1
    number, outcome, code, message = lines[1][:4]
    assert (number, outcome, code) == ("1", "已由其他部门归集，未重复入库", BY_ANOTHER)
    assert message == MESSAGES[BY_ANOTHER].format(department=REGULATOR)


def test_the_import_list_offers_the_report_of_rows_recorded_elsewhere(tmp_path, centre, recorded):
    """The back office's list of imports offers a job's report whenever the report names a row:
    one whose only row was recorded by another department (0 quarantined, 0 for review) too,
    as the job's own page does."""
    job = send(tmp_path, centre, [samples.penalty(1, CF_SJLY=CENTRE)])
    assert (job.quarantined, job.identifiers_for_review, job.report_rows.count()) == (0, 0, 1)
    clean = send(tmp_path, centre, [samples.penalty(2)], name="clean.csv")
    client = Client()
    client.force_login(OfficerFactory(department=centre).user)
    listed = client.get("/office/imports/").content.decode()
    assert f"/office/imports/{job.pk}/report.csv" in listed
    assert f"/office/imports/{job.pk}/report.csv" in (
        client.get(f"/office/imports/{job.pk}/").content.decode()
    )
    assert f"/office/imports/{clean.pk}/report.csv" not in listed  # nothing to report


RECORD_HEADER = ["ITEM", "SUBJECT_NAME", "SUBJECT_KIND", "USCC", "DOCUMENT_NUMBER",
                 "DECISION_DATE", "ISSUING_BODY"]  # fmt: skip


@pytest.fixture
def black_entry(regulator):
    """The regulator's black-list entry of subject 1, decided under 杭市监信〔2026〕1号."""
    CatalogItemFactory(code="serious-dishonesty", info_kind=InfoKind.SERIOUS_DISHONESTY,
                       provider=None, publication_months_max=36)  # fmt: skip
    return ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.BLACK, recognizing_department=regulator),
        subject__identifier=make_uscc(1), state=EntryState.EFFECTIVE,
        decision_document_number="杭市监信〔2026〕1号", effective_on=dt.date(2026, 11, 2),
    )  # fmt: skip


def list_decision(entry):
    return [{
        "ITEM": "serious-dishonesty", "SUBJECT_NAME": entry.subject.name, "SUBJECT_KIND": "法人",
        "USCC": entry.subject.identifier, "DOCUMENT_NUMBER": entry.decision_document_number,
        "DECISION_DATE": "2026-11-02", "ISSUING_BODY": REGULATOR,
    }]  # fmt: skip


def test_a_listing_decision_is_stored_for_its_recognizing_department(
    tmp_path, regulator, centre, black_entry
):
    """The record a list entry follows is its recognizing department's (``listing_records``):
    sent by that department, it is stored even when another department recorded the decision
    first, so that the entry finds it (to stop it when it ends, R4); sent on by another
    department afterwards, it is the regulator's."""
    rows = list_decision(black_entry)
    path = samples.write_csv(tmp_path / "centre.csv", RECORD_HEADER, rows)
    first = services.import_file(actor="t", kind="records", path=path, department=centre)
    assert first.inserted == 1
    path = samples.write_csv(tmp_path / "own.csv", RECORD_HEADER, rows)
    own = services.import_file(actor="t", kind="records", path=path, department=regulator)
    assert counted(own) == (1, 1, 1, 0, 0) and own.report_rows.count() == 0
    assert CreditRecord.objects.filter(
        department=regulator, document_number=black_entry.decision_document_number,
        subject=black_entry.subject,
    ).exists()  # fmt: skip


def test_a_listing_decision_sent_on_later_is_the_regulators(
    tmp_path, regulator, centre, black_entry
):
    rows = list_decision(black_entry)
    path = samples.write_csv(tmp_path / "own.csv", RECORD_HEADER, rows)
    own = services.import_file(actor="t", kind="records", path=path, department=regulator)
    assert own.inserted == 1
    path = samples.write_csv(tmp_path / "centre.csv", RECORD_HEADER, rows)
    sent_on = services.import_file(actor="t", kind="records", path=path, department=centre)
    assert counted(sent_on) == (1, 1, 0, 1, 0) and told(sent_on) == by_another([1])


# What the other department's row states is compared as a department's own row sent again is
# (``bulk._same_columns``): another catalog item is another decision; the same item stating
# another fine or other penalty types differs, and is never hidden as already recorded.


def test_a_licence_and_a_penalty_under_one_number_are_two_decisions(tmp_path, regulator, centre):
    own = send(tmp_path, regulator, [samples.licence(1, XK_WSH="2026-001")], name="own.csv",
               kind="licences")  # fmt: skip
    assert own.inserted == 1
    job = send(tmp_path, centre, [samples.penalty(1, CF_WSH="2026-001")])
    assert counted(job) == (1, 1, 1, 0, 0) and job.report_rows.count() == 0
    assert CreditRecord.objects.filter(department=centre).count() == 1


@pytest.mark.parametrize(
    "changes", [{"CF_NR_FK": "50"}, {"CF_CFLB": "警告"}], ids=["other-fine", "other-types"]
)
def test_the_same_decision_stating_otherwise_differs(tmp_path, centre, recorded, changes):
    job = send(tmp_path, centre, [samples.penalty(1, **changes)])
    assert counted(job) == (1, 0, 0, 0, 1) and accounts_for_every_row(job)
    assert job.quarantined_by_reason == {"recorded-decision-differs": 1}
    assert told(job) == {1: ("quarantined", ["recorded-decision-differs"])}
    assert REGULATOR in job.report_rows.get().reasons[0]["message"]
    assert list(CreditRecord.objects.values_list("pk", flat=True)) == [recorded.pk]


def test_the_same_fine_written_otherwise_is_the_same_decision(tmp_path, centre, recorded):
    job = send(tmp_path, centre, [samples.penalty(1, CF_NR_FK="1.00")])
    assert counted(job) == (1, 1, 0, 1, 0) and told(job) == by_another([1])


@pytest.mark.parametrize(
    "bodies",
    [("000000000000000000", "杭州市生态环境局"), ("111111111111111111", "杭州市生态环境局"),
     # The last check character right, the organisation code's inside it wrong (GB 11714).
     ("11330100MB1234567E", "杭州市生态环境局"),
     ("无", "无"), ("", "不详"), ("-", "N/A")],
    ids=["zeros-code", "ones-code", "organisation-code-check-wrong", "placeholder-name",
         "unknown-name", "dash-and-na"],
)  # fmt: skip
def test_placeholders_identify_no_body(tmp_path, regulator, centre, bodies):
    """Where no code or name identifies the bodies, they are not known to be one: stored
    (ADR 6: in doubt, twice, never lost)."""
    code, name = bodies
    # A code naming nobody leaves the names, which differ; a name naming nobody, nothing.
    own_name = REGULATOR if name == "杭州市生态环境局" else name
    own = send(tmp_path, regulator, [samples.penalty(1, CF_CFJGDM=code, CF_CFJG=own_name)],
               name="own.csv")  # fmt: skip
    assert own.inserted == 1
    job = send(tmp_path, centre, [samples.penalty(1, CF_CFJGDM=code, CF_CFJG=name)])
    assert counted(job) == (1, 1, 1, 0, 0) and job.report_rows.count() == 0


# A listing decision stored twice (the centre sent it first, the regulator's own copy stored
# for its entry) stops and resumes as one: the other department's copy of the same decision
# follows the entry's record (R4, 000 §十.3, §十一.3).

EXITED = dt.date(2026, 11, 21)


def both_copies(tmp_path, regulator, centre, entry, *, centre_changes=None):
    rows = list_decision(entry)
    centre_rows = [{**rows[0], **(centre_changes or {})}]
    path = samples.write_csv(tmp_path / "centre.csv", RECORD_HEADER, centre_rows)
    assert services.import_file(actor="t", kind="records", path=path, department=centre).inserted
    path = samples.write_csv(tmp_path / "own.csv", RECORD_HEADER, rows)
    assert services.import_file(actor="t", kind="records", path=path,
                                department=regulator).inserted  # fmt: skip
    return CreditRecord.objects.get(department=centre)


def stops(record):
    record.refresh_from_db()
    return (record.publication_ended_on, record.sharing_stopped_on)


def decision(entry, exited_on=EXITED):
    from xinyong.catalog import listing_records

    return listing_records.Decision(
        entry.list.recognizing_department_id, entry.decision_document_number, entry.subject_id,
        exited_on,
    )  # fmt: skip


def test_the_other_copy_stops_and_resumes_with_the_entrys_record(
    tmp_path, regulator, centre, black_entry
):
    from xinyong.catalog import listing_records

    copy = both_copies(tmp_path, regulator, centre, black_entry)
    own = CreditRecord.objects.get(department=regulator)
    assert copy.published_on is not None and stops(copy) == (None, None)
    listing_records.stop_records([decision(black_entry)])
    assert stops(own) == stops(copy) == (EXITED, EXITED)
    listing_records.resume_records(decision(black_entry), TODAY)
    assert stops(own) == stops(copy) == (None, None)


def test_another_bodys_decision_under_the_number_does_not_stop(
    tmp_path, regulator, centre, black_entry
):
    from xinyong.catalog import listing_records

    copy = both_copies(tmp_path, regulator, centre, black_entry,
                       centre_changes={"ISSUING_BODY": "杭州市生态环境局"})  # fmt: skip
    listing_records.stop_records([decision(black_entry)])
    assert stops(CreditRecord.objects.get(department=regulator)) == (EXITED, EXITED)
    assert stops(copy) == (None, None)


def test_the_daily_job_stops_a_copy_missed(tmp_path, regulator, centre, black_entry):
    from xinyong.catalog import listing_records

    copy = both_copies(tmp_path, regulator, centre, black_entry)
    black_entry.state, black_entry.exited_on = EntryState.EXITED, EXITED
    black_entry.save(update_fields=["state", "exited_on"])
    day = dt.date(2026, 11, 23)
    listing_records.stop_missed(day)
    assert stops(CreditRecord.objects.get(department=regulator)) == stops(copy) == (day, day)


def test_the_entrys_record_arriving_after_the_exit_stops_the_copy(
    tmp_path, regulator, centre, black_entry
):
    black_entry.state, black_entry.exited_on = EntryState.EXITED, dt.date(2026, 11, 10)
    black_entry.save(update_fields=["state", "exited_on"])
    copy = both_copies(tmp_path, regulator, centre, black_entry)
    own = CreditRecord.objects.get(department=regulator)
    assert stops(own) == stops(copy) == (dt.date(2026, 11, 10), dt.date(2026, 11, 10))


END = {"CF_CFLB": "罚款", "CF_GSJZQ": "2027-06-30"}
DIFFERS = "recorded-decision-differs"


def test_another_stated_end_differs_from_another_departments_record(tmp_path, regulator, centre):
    """The end of publication a decision states is part of it (its window is worked out from
    it, R8, R9): the regulator sending its decision with another end than the centre recorded
    is told so, naming the centre and the field; the centre's record keeps its window."""
    send(tmp_path, centre, [samples.penalty(1, **END)], name="c.csv")
    recorded = CreditRecord.objects.get()
    assert recorded.publication_ends_on == dt.date(2027, 6, 30)
    job = send(tmp_path, regulator, [samples.penalty(1, **END | {"CF_GSJZQ": "2027-12-31"})])
    assert counted(job) == (1, 0, 0, 0, 1) and accounts_for_every_row(job)
    assert job.quarantined_by_reason == {DIFFERS: 1}
    assert told(job) == {1: ("quarantined", [DIFFERS])}
    message = job.report_rows.get().reasons[0]["message"]
    assert CENTRE in message and "公示截止期" in message
    assert "2027-12-31" in message and "2027-06-30" in message
    assert list(CreditRecord.objects.values_list("pk", "publication_ends_on")) == [
        (recorded.pk, dt.date(2027, 6, 30))
    ]


@pytest.mark.parametrize(
    ("end", "fields"),
    [("2027/6/30", None), ("2027-12-31", [f for f in samples.PENALTY_FIELDS if f != "CF_GSJZQ"])],
    ids=["written-otherwise", "no-column"],
)  # fmt: skip
def test_an_end_the_same_or_unstated_is_the_same_decision(tmp_path, regulator, centre, end, fields):
    """The same end written otherwise, or a file without the column, which states nothing. An
    empty cell states none, and differs (``test_ingest_unstated_across_departments``)."""
    send(tmp_path, centre, [samples.penalty(1, **END)], name="c.csv")
    job = send(tmp_path, regulator, [samples.penalty(1, **END | {"CF_GSJZQ": end})], fields=fields)
    assert counted(job) == (1, 1, 0, 1, 0) and told(job) == by_another([1])


def test_a_licence_with_another_expiry_differs_across_departments(tmp_path, regulator, centre):
    send(tmp_path, centre, [samples.licence(1)], name="c.csv", kind="licences")
    rows = [samples.licence(1, XK_YXQZI="2030-11-01")]
    job = send(tmp_path, regulator, rows, kind="licences")
    assert counted(job) == (1, 0, 0, 0, 1) and job.quarantined_by_reason == {DIFFERS: 1}
    message = job.report_rows.get().reasons[0]["message"]
    assert CENTRE in message and "有效期至" in message and "2030-11-01" in message
    assert CreditRecord.objects.get().publication_ends_on == dt.date(2031, 11, 1)
