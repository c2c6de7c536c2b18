"""``xinyong demo``: realistic data that keeps the platform's own rules.

A small load (300 subjects) on a fixed business date; every test reads what it left behind.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from xinyong.access.models import SubjectAccount
from xinyong.audit.models import AuditEntry
from xinyong.calendars.selectors import work_calendar
from xinyong.catalog.models import CreditRecord
from xinyong.catalog.publication import workdays_late
from xinyong.catalog.selectors import timeliness
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.identifiers import check_identifier
from xinyong.demo import remedy_texts, sample_files
from xinyong.listings import selectors
from xinyong.listings.decision_records import EntryNotRepairable
from xinyong.listings.models import (
    EntryState,
    ExitReason,
    ListDefinition,
    ListEntry,
    ListEntryEvent,
    ListKind,
)
from xinyong.listings.workflow import EXIT_REASONS
from xinyong.measures import statistics
from xinyong.measures.models import (
    Check,
    CheckFeedback,
    Measure,
    MeasureOutcome,
    Scenario,
    TypicalCase,
    TypicalCaseState,
)
from xinyong.remedies import evidence, record_objections, repairs
from xinyong.remedies.models import (
    ExitRequestState,
    MaterialKind,
    ObjectionEvidence,
    OnlineObjection,
    RecordObjection,
    RecordObjectionEvidence,
    RedListExitRequest,
    RepairApplication,
    RepairMaterial,
    RepairState,
)
from xinyong.reports.models import RedListReport, ReportState
from xinyong.reports.services import reporter_of
from xinyong.subjects.models import IdentifierStatus, LinkedPerson, Officer, Subject, SubjectKind

BUSINESS_DATE = dt.date(2026, 9, 21)
SUBJECTS = 300


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    """The evidence and materials the demo sends are files: kept in a scratch data directory."""
    settings.VAR_DIR = tmp_path


def load(*args: str) -> str:
    out = io.StringIO()
    call_command(
        "demo", "--subjects", str(SUBJECTS), "--seed", "7", "--date", BUSINESS_DATE.isoformat(),
        *args, stdout=out,
    )  # fmt: skip
    return out.getvalue()


@pytest.fixture
def demo(db) -> Iterator[str]:
    """The demo's printed output, with the business date frozen while the test runs."""
    with clock.frozen(BUSINESS_DATE):
        yield load()


def test_loads_the_four_kinds_with_linked_persons(demo):
    kinds = set(Subject.objects.values_list("kind", flat=True))
    assert kinds == set(SubjectKind.values)
    assert Subject.objects.count() == SUBJECTS
    organisations = Subject.objects.exclude(kind=SubjectKind.NATURAL_PERSON)
    representatives = LinkedPerson.objects.filter(role=LinkedPerson.Role.LEGAL_REPRESENTATIVE)
    assert representatives.count() == organisations.count()
    assert not representatives.exclude(person__kind=SubjectKind.NATURAL_PERSON).exists()
    assert CreditRecord.objects.filter(document_number__contains="〔").exists()


def test_licences_and_penalties_carry_their_publication_as_an_import_stores_it(demo):
    """Due 7 working days after the decision, late by the working days past it (a collection
    on a rest day as the next working day); most on time, some late, so the timeliness figures
    show something (R9)."""
    calendar = work_calendar()
    double = CreditRecord.objects.filter(
        catalog_item__code__in=["administrative-licence", "administrative-penalty"]
    )
    assert double.exists() and not double.filter(publication_due_on=None).exists()
    for record in double:
        assert record.publication_due_on == calendar.add_workdays(record.decision_date, 7).date
        if record.published_on is not None:
            late = workdays_late(calendar, record.publication_due_on, record.published_on)
            assert record.workdays_late == late
    assert double.filter(workdays_late=0).count() > double.filter(workdays_late__gt=0).count() > 0
    assert not double.filter(catalog_item__code="administrative-penalty", tier="").exists()
    assert sum(row["late"] for row in timeliness()) > 0


def test_every_state_and_every_exit_reason_appears(demo):
    assert set(ListEntry.objects.values_list("state", flat=True)) == set(EntryState.values)
    reasons = set(
        ListEntry.objects.filter(state=EntryState.EXITED).values_list("exit_reason", flat=True)
    )
    assert reasons == set(ExitReason.values)


def test_exit_reasons_fit_the_list_kind(demo):
    for kind, reason in ListEntry.objects.filter(state=EntryState.EXITED).values_list(
        "list__kind", "exit_reason"
    ):
        assert reason in EXIT_REASONS[kind], (kind, reason)


def test_identifiers_valid_pass_their_check_and_review_ones_fail(demo):
    statuses = {s.reveal_identifier(): s.identifier_status for s in Subject.objects.all()}
    for identifier, status in statuses.items():
        check = check_identifier(identifier)
        if status == IdentifierStatus.VALID:
            assert check.is_valid, (identifier, check.code)
        else:
            assert not check.is_valid and check.needs_review, (identifier, check.code)
    assert IdentifierStatus.REVIEW in statuses.values()


def test_no_subject_is_on_a_red_and_a_black_list_at_once(demo):
    effective = ListEntry.objects.filter(state=EntryState.EFFECTIVE)
    red = set(effective.filter(list__kind=ListKind.RED).values_list("subject", flat=True))
    black = set(effective.filter(list__kind=ListKind.BLACK).values_list("subject", flat=True))
    assert red and black and not red & black
    # R2 at work: a red entry ended, reason blacklisted, when the black entry took effect.
    blacklisted = ListEntry.objects.filter(exit_reason=ExitReason.BLACKLISTED)
    for entry in blacklisted:
        assert ListEntry.objects.filter(
            subject=entry.subject, list__kind=ListKind.BLACK, effective_on=entry.exited_on
        ).exists()


def test_publicity_ends_after_the_lists_working_days(demo):
    calendar = work_calendar()
    in_publicity = ListEntry.objects.filter(state=EntryState.IN_PUBLICITY).select_related("list")
    assert in_publicity.filter(list__kind__in=[ListKind.RED, ListKind.BLACK]).exists()
    for entry in in_publicity:
        deadline = calendar.add_workdays(entry.publicity_starts_on, entry.list.publicity_workdays)
        assert entry.publicity_ends_on == deadline.date
        assert entry.publicity_ends_provisional == deadline.provisional
        assert entry.publicity_starts_on <= BUSINESS_DATE <= entry.publicity_ends_on
    red_black = in_publicity.filter(list__kind__in=[ListKind.RED, ListKind.BLACK])
    for entry in red_black:
        assert entry.publicity_ends_on == calendar.add_workdays(entry.publicity_starts_on, 20).date


def test_dates_fit_each_state(demo):
    for entry in ListEntry.objects.select_related("list"):
        assert entry.proposed_on <= BUSINESS_DATE
        if entry.state in (EntryState.EFFECTIVE, EntryState.EXITED):
            assert entry.effective_on <= BUSINESS_DATE
            if entry.publicity_ends_on:
                assert entry.publicity_ends_on < entry.effective_on
            # Signed decisions carry a document; the platform's own entries (R3) do not.
            assert bool(entry.decision_document_number) == (entry.list.publicity_workdays > 0)
        if entry.state == EntryState.EFFECTIVE:
            assert entry.valid_until is None or entry.valid_until >= BUSINESS_DATE
            assert entry.exited_on is None and not entry.exit_reason
        if entry.state == EntryState.EXITED:
            assert entry.effective_on < entry.exited_on <= BUSINESS_DATE
        if entry.state == EntryState.AWAITING_SIGNATURE:
            assert entry.publicity_ends_on < BUSINESS_DATE
        if entry.state == EntryState.UNDER_VERIFICATION:
            assert entry.verification_due_on >= BUSINESS_DATE
        if entry.state in (EntryState.DRAFT, EntryState.NOTIFIED):
            assert entry.publicity_starts_on is None


def test_history_follows_the_state(demo):
    entry = ListEntry.objects.filter(state=EntryState.EFFECTIVE, list__kind=ListKind.BLACK).first()
    steps = list(ListEntryEvent.objects.filter(entry=entry).values_list("to_state", flat=True))
    assert steps[0] == EntryState.DRAFT and steps[-1] == EntryState.EFFECTIVE
    assert EntryState.IN_PUBLICITY in steps


def test_reference_data_follows_the_rules(demo):
    assert not Measure.objects.filter(legal_basis="").exists()
    assert Measure.objects.filter(type=Measure.Type.REWARD).exists()
    assert {"government_procurement", "fiscal_funds", "administrative_approval", "honours",
            "financing", "public_resource_trading", "high_consumption"} <= set(
        Scenario.objects.values_list("code", flat=True)
    )  # fmt: skip
    black = ListDefinition.objects.filter(kind=ListKind.BLACK)
    assert not black.filter(domain__dishonesty_category__isnull=True).exists()
    assert not black.filter(publicity_workdays__lt=20).exists()
    court = ListDefinition.objects.get(name="失信被执行人名单")
    assert court.objection_suspends_measures is False
    assert ListDefinition.objects.filter(kind=ListKind.BLACK, repairable=False).exists()


def test_every_list_kind_a_measure_follows_from_has_a_list_in_its_domains(demo):
    """A measure that names a list kind follows from that kind's lists in its domains (R10):
    the demo's list has none that names a kind no list of its domains has (P08–P10 named the
    big-data warning list, kept in 社会信用综合监管, without that domain)."""
    lists = set(ListDefinition.objects.values_list("kind", "domain_id"))
    for measure in Measure.objects.prefetch_related("domains"):
        domains = {d.pk for d in measure.domains.all()}
        for kind in measure.list_kinds:
            assert any(k == kind and (not domains or d in domains) for k, d in lists), (
                measure.code, kind,
            )  # fmt: skip


def test_the_printed_log_ins_work(demo):
    password = re.search(r"username:\s+admin\s+password: (\S+)", demo).group(1)
    assert "http://127.0.0.1:8000/admin/" in demo and "http://127.0.0.1:8000/office/" in demo
    signed_in = RequestFactory().post("/office/login/")  # log-in throttling wants the request
    for username in ("admin", "scjg_officer", "scjg_signer", "cz_officer"):
        assert Client().login(request=signed_in, username=username, password=password), username
        assert Officer.objects.filter(user__username=username, user__is_staff=True).exists()
    assert Officer.objects.get(user__username="scjg_signer").can_sign
    client = Client()
    client.login(request=signed_in, username="scjg_officer", password=password)
    assert client.get("/admin/").status_code == 200


def test_one_audit_row_per_load(demo):
    rows = AuditEntry.objects.filter(action="demo.load")
    assert rows.count() == 1
    assert rows.get().after["counts"]["subjects"] == SUBJECTS


def remedy_rows() -> dict[str, list]:
    objections = OnlineObjection.objects.values_list("entry__list__code", "event__reason")
    repairs = RepairApplication.objects.values_list("state", "submitted_on", "corrected")
    reports = RedListReport.objects.values_list("state", "received_on", "facts")
    on_records = RecordObjection.objects.values_list("state", "received_on", "grounds")
    rulings = EntryNotRepairable.objects.values_list(
        "entry__decision_document_number", "recorded_on", "reason"
    )
    exit_requests = RedListExitRequest.objects.values_list(
        "state", "received_on", "decided_on", "statement", "closed_reason"
    )
    return {"objections": sorted(objections), "repairs": sorted(repairs),
            "reports": sorted(reports), "record_objections": sorted(on_records),
            "rulings": sorted(rulings), "exit_requests": sorted(exit_requests)}  # fmt: skip


def stored_files() -> set[str]:
    names = set(ObjectionEvidence.objects.values_list("stored_name", flat=True))
    names |= set(RecordObjectionEvidence.objects.values_list("stored_name", flat=True))
    return names | set(RepairMaterial.objects.values_list("stored_name", flat=True))


def files_on_disk() -> set[str]:
    root = evidence.storage().path("")
    return {str(path.relative_to(root)) for path in Path(root).rglob("*") if path.is_file()}


def test_a_second_load_refuses_then_reset_reloads_the_same_data(
    demo, django_capture_on_commit_callbacks
):
    identifiers = sorted(Subject.objects.values_list("identifier", flat=True))
    checks = Check.objects.count()
    remedies = remedy_rows()
    assert files_on_disk() == stored_files()
    with clock.frozen(BUSINESS_DATE):
        refused = load()
        assert "already loaded" in refused
        assert Subject.objects.count() == SUBJECTS
        assert remedy_rows() == remedies
        with django_capture_on_commit_callbacks(execute=True):
            reloaded = load("--reset")
    assert "Deleted the previous demo data" in reloaded
    assert sorted(Subject.objects.values_list("identifier", flat=True)) == identifiers
    assert AuditEntry.objects.filter(action="demo.load").count() == 2
    assert AuditEntry.objects.filter(action="demo.reset").count() == 1
    assert Check.objects.count() == checks  # the earlier load's checks went with its subjects
    assert Measure.objects.filter(code="P01").count() == 1  # reference data updated in place
    # The same objections, repairs and reports again; the earlier load's files are gone.
    assert remedy_rows() == remedies
    assert files_on_disk() == stored_files()


def test_checks_and_reports_of_this_year_give_the_joint_statistics_figures(demo):
    """Implementing departments checked and reported on working days of this year before the
    business date, through the platform's own check and report (R11, 003 §七)."""
    checks = Check.objects.all()
    assert checks.count() > CheckFeedback.objects.count() > 0
    calendar = work_calendar()
    for made in checks:
        day = made.created_at.astimezone(clock.CHINA).date()
        assert made.as_of == day and calendar.is_workday(day)
        assert dt.date(BUSINESS_DATE.year, 1, 1) <= day < BUSINESS_DATE
    for outcome in MeasureOutcome.objects.select_related("feedback__check_record"):
        made = outcome.feedback.check_record
        assert made.as_of <= outcome.reported_on < BUSINESS_DATE
        assert outcome.measure.code in {m["code"] for m in made.response["measures"]}
        assert outcome.entries.exists()
        # Checked once listed: no measure seems applied before its entry took effect.
        assert all(e.effective_on <= made.as_of for e in outcome.entries.all())
    share = statistics.case_share(None, statistics.Period.asked(until=BUSINESS_DATE))
    assert share["cases"] > 0 and share["listed_red_black"] > 0
    published = TypicalCase.objects.filter(state=TypicalCaseState.PUBLISHED)
    assert published.exists()
    assert all(case.published_on <= BUSINESS_DATE for case in published)
    portal = Client().get("/cases/").content.decode()
    assert all(case.title in portal for case in published)


def test_too_few_subjects_is_refused(db):
    with pytest.raises(CommandError):
        call_command("demo", "--subjects", "3", stdout=io.StringIO())


REQUIRED_SCENARIOS = {
    "government_procurement", "fiscal_funds", "administrative_approval", "honours", "financing",
    "public_resource_trading", "high_consumption",
}  # fmt: skip


def test_the_printed_api_token_calls_the_check_api(demo):
    """A newcomer can check at once: the demo ends with a token line (the checks issue)."""
    assert set(Scenario.objects.values_list("code", flat=True)) >= REQUIRED_SCENARIOS
    line = demo.strip().splitlines()[-1]
    match = re.fullmatch(r"API token \((.+)\): (xy_\S+)", line)
    assert match, line
    blacklisted = (
        ListEntry.objects.filter(state=EntryState.EFFECTIVE, list__kind=ListKind.BLACK,
                                 verification_due_on=None)
        .exclude(subject__kind=SubjectKind.NATURAL_PERSON)
        .first()
    )  # fmt: skip
    client = Client(headers={"Authorization": f"Bearer {match.group(2)}"})
    with clock.frozen(BUSINESS_DATE):
        answer = client.post(
            "/api/v1/checks",
            {
                "subject": blacklisted.subject.reveal_identifier(),
                "scenario": "government_procurement",
            },
            content_type="application/json",
        )
    assert answer.status_code == 200, answer.json()
    assert answer.json()["entries"]


# -- objections, credit repair and reports, made through the services ---------------------------


def audit_actions(obj) -> list[str]:
    rows = AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
    return list(rows.order_by("seq").values_list("action", flat=True))


def after_signature(entry: ListEntry) -> list[ListEntryEvent]:
    """The entry's events once it took effect: the ones the demo made through the services."""
    events = list(entry.events.order_by("id"))
    signed = max(i for i, event in enumerate(events) if event.action == "sign")
    return events[signed + 1 :]


def test_online_objections_under_verification_founded_and_unfounded(demo):
    """R6: the subject objects from its account with evidence; the deadline is 20 days from
    receipt on the work calendar (R15); measures are suspended meanwhile; the department
    decides within it and the subject is told the result."""
    calendar = work_calendar()
    objections = {o.account.username: o for o in OnlineObjection.objects.select_related("entry")}
    assert set(objections) == {"zhuti_company", "zhuti_corrected", "zhuti_objecting"}
    for sent in objections.values():
        received = sent.event.business_date
        assert calendar.is_workday(received) and received < BUSINESS_DATE
        assert sent.entry.effective_on < received and sent.evidence.count() == 2
    pending = objections["zhuti_objecting"].entry
    received = objections["zhuti_objecting"].event.business_date
    assert pending.state == EntryState.EFFECTIVE and pending.is_suspended_by_objection
    assert pending.verification_due_on == calendar.add_days(received, 20).date >= BUSINESS_DATE
    for login, outcome in (("zhuti_company", "uphold"), ("zhuti_corrected", "exit")):
        entry, received = objections[login].entry, objections[login].event.business_date
        decided = entry.events.get(action=outcome)
        due = calendar.add_days(received, 20).date
        assert received < decided.business_date <= due and entry.verification_due_on is None
        assert calendar.is_workday(decided.business_date)
        assert "核实结论" in decided.data["objection_result"]
    corrected = objections["zhuti_corrected"].entry
    assert (corrected.state, corrected.exit_reason) == (EntryState.EXITED, ExitReason.CORRECTED)
    assert "致歉" in corrected.events.get(action="exit").data["objection_result"]
    assert corrected.announcements.filter(kind="correction").exists()
    assert objections["zhuti_company"].entry.state == EntryState.EFFECTIVE


def test_evidence_and_materials_are_valid_files_in_the_data_directory(demo):
    magic = {"application/pdf": b"%PDF-1.4", "image/png": b"\x89PNG\r\n\x1a\n"}
    rows = [*ObjectionEvidence.objects.all(), *RepairMaterial.objects.all(),
            *RecordObjectionEvidence.objects.all()]  # fmt: skip
    assert {row.content_type for row in rows} == set(magic)
    for row in rows:
        with evidence.storage().open(row.stored_name) as stored:
            body = stored.read()
        assert body.startswith(magic[row.content_type]) and len(body) == row.size
        if row.content_type == "application/pdf":
            assert body.rstrip().endswith(b"%%EOF")


def test_repair_applications_submitted_accepted_and_rejected(demo):
    """R8: entries on repairable lists and penalties past their minimum; the required materials
    each time; reasons on every decision; an accepted entry exits early as repaired, an accepted
    record stops being published and shared that day."""
    applications = list(
        RepairApplication.objects.select_related("entry__list", "record").order_by("id")
    )
    states = {(a.state, "entry" if a.entry_id else "record") for a in applications}
    assert states == {
        (RepairState.SUBMITTED, "entry"), (RepairState.REJECTED, "entry"),
        (RepairState.ACCEPTED, "entry"), (RepairState.REJECTED, "record"),
        (RepairState.ACCEPTED, "record"),
    }  # fmt: skip
    calendar = work_calendar()
    for application in applications:
        kinds = set(application.materials.values_list("kind", flat=True))
        assert {MaterialKind.FULFILMENT, MaterialKind.COMMITMENT} <= kinds
        assert application.submitted_on <= BUSINESS_DATE and application.corrected
        if application.entry_id:
            assert application.entry.list.repairable
            assert application.entry.effective_on < application.submitted_on
        else:
            assert application.record.publication_min_ends_on < application.submitted_on
        if application.state != RepairState.SUBMITTED:
            assert application.submitted_on < application.decided_on < BUSINESS_DATE
            assert calendar.is_workday(application.decided_on) and application.reasons
    accepted = [a for a in applications if a.state == RepairState.ACCEPTED]
    for application in accepted:
        if application.entry_id:
            entry = application.entry
            assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.REPAIRED)
            assert entry.exited_on == application.decided_on
        else:
            record = application.record
            assert record.publication_ended_on == application.decided_on
            assert record.sharing_stopped_on == application.decided_on


def test_an_especially_serious_black_entry_is_ruled_not_repairable(demo):
    """R8: on a black list that takes repair, the signing officer ruled especially serious
    entries not repairable, each with its reason, through the office's own signature: the
    ruling, the signature's history and audit row and the decision notice that states it are
    the service's, and the notice is on the portal. A repair application for one is refused
    with the reason."""
    ruled = list(EntryNotRepairable.objects.select_related("entry__list", "entry__subject"))
    assert ruled
    for ruling in ruled:
        entry = ruling.entry
        assert entry.list.kind == ListKind.BLACK and entry.list.repairable
        assert entry.state == EntryState.EFFECTIVE and ruling.recorded_on == entry.effective_on
        assert "情节特别严重" in ruling.reason
        signed = entry.events.get(action="sign")
        assert (signed.actor, signed.business_date) == ("scjg_signer", entry.effective_on)
        assert work_calendar().is_workday(signed.business_date)
        assert signed.data["not_repairable"] == {"reason": ruling.reason}
        assert audit_actions(entry) == ["listing.sign"]
        notice = entry.announcements.get(kind="decision")
        assert notice.follows.kind == "publicity"
        page = Client().get(f"/announcements/{notice.pk}/").content.decode()
        assert f"经认定不适用信用修复（{ruling.reason}）" in page
        # The decision's serious-dishonesty record, as every other black entry's.
        assert CreditRecord.objects.filter(
            subject=entry.subject, document_number=entry.decision_document_number
        ).exists()
    entry, reason = ruled[0].entry, ruled[0].reason
    user = get_user_model().objects.create_user("zhuti_ruled_out")
    SubjectAccount.objects.create(user=user, subject=entry.subject)
    materials = {
        kind: [sample_files.upload(name, caption) for name, caption in files]
        for kind, files in remedy_texts.ENTRY_MATERIALS.items()
    }
    with clock.frozen(BUSINESS_DATE), pytest.raises(XinyongError) as refused:
        repairs.apply_for_entry(entry.pk, actor=user, corrected="已整改", materials=materials)
    assert refused.value.code == "not-repairable" and reason in refused.value.message
    assert not RepairApplication.objects.filter(entry=entry).exists()


def test_no_record_of_an_ended_entry_is_public_or_shared_after_its_exit(demo):
    """R4, R8, 000 §十.3: the record a listing's decision rests on stops with the entry, from
    its exit day, however it ended (found wrong, repaired, expired): no longer public nor
    shared, so the subject is offered neither an objection nor a repair of it (the entry's
    remedies were its own). One of an entry in force is public and shared."""
    ended, in_force = 0, 0
    entries = ListEntry.objects.exclude(decision_document_number="").select_related("list")
    for entry in entries.filter(state__in=[EntryState.EXITED, EntryState.EFFECTIVE]):
        records = CreditRecord.objects.filter(
            department_id=entry.list.recognizing_department_id, subject_id=entry.subject_id,
            document_number=entry.decision_document_number, revoked_on=None,
        ).select_related("catalog_item")  # fmt: skip
        for record in records:
            if entry.exited_on is None:
                in_force += 1
                assert repairs.public_on(record, BUSINESS_DATE), record
                assert repairs.shared_on(record, BUSINESS_DATE), record
                continue
            ended += 1
            assert record.sharing_stopped_on == entry.exited_on, (entry.exit_reason, record)
            assert record.publication_ended_on in (None, entry.exited_on)
            assert not repairs.public_on(record, BUSINESS_DATE)
            assert not repairs.shared_on(record, BUSINESS_DATE)
            assert record_objections.unused(record, BUSINESS_DATE) is not None
            assert repairs.record_refusal(record, BUSINESS_DATE) is not None
    assert ended and in_force
    reasons = ListEntry.objects.filter(
        state=EntryState.EXITED, list__kind=ListKind.BLACK
    ).exclude(decision_document_number="").values_list("exit_reason", flat=True)  # fmt: skip
    assert {ExitReason.CORRECTED, ExitReason.REPAIRED, ExitReason.EXPIRED} <= set(reasons)


def test_objections_to_records_corrected_and_under_verification(demo):
    """R6: the subject objects online to a penalty with evidence and the city bureau corrects
    its facts within 20 days; a paper objection registered at the counter is still being
    verified on the business date, and the public register says so."""
    calendar = work_calendar()
    objections = {o.state: o for o in RecordObjection.objects.select_related("record")}
    assert set(objections) == {"founded", "verifying"}
    corrected, pending = objections["founded"], objections["verifying"]
    assert corrected.account.username == "zhuti_record" and corrected.evidence.count() == 2
    assert corrected.received_on < corrected.decided_on <= corrected.due_on < BUSINESS_DATE
    assert calendar.is_workday(corrected.decided_on) and corrected.outcome == "correct"
    assert corrected.record.content["CF_SY"].endswith("当事人已在检查当场改正。")
    assert "书面致歉" in corrected.result_letter
    assert pending.account is None and pending.registered_by == "hzscjg_officer"
    assert pending.due_on >= BUSINESS_DATE
    assert pending.record.subject_id != corrected.record.subject_id
    for objection in objections.values():
        assert objection.record.department.code == "hangzhou-scjg"
        assert objection.record.is_published and objection.record.is_shared
    assert pending.record.catalog_item.code == "administrative-licence"
    shown = Client().get(f"/double-publicity/licences/{pending.record.pk}/").content.decode()
    assert 'data-field="under-objection"' in shown


def test_reports_received_founded_and_unfounded(demo):
    """R7: anyone reports a red-list entry in force; a founded report ends it, announced; an
    unfounded one leaves it; the reporter, a demo person, is kept sealed."""
    reports = {report.state: report for report in RedListReport.objects.select_related("entry")}
    assert set(reports) == {ReportState.RECEIVED, ReportState.FOUNDED, ReportState.UNFOUNDED}
    persons = set(Subject.objects.filter(kind=SubjectKind.NATURAL_PERSON).values_list("name"))
    for report in reports.values():
        assert report.entry.list.kind == ListKind.RED and report.received_on < BUSINESS_DATE
        reporter = reporter_of(report)
        assert (reporter["name"],) in persons and reporter["name"] not in report.reporter_sealed
        assert reporter["contact"].endswith("@example.com")
    founded = reports[ReportState.FOUNDED]
    assert (founded.entry.state, founded.entry.exit_reason) == (
        EntryState.EXITED, ExitReason.REPORTED
    )  # fmt: skip
    assert founded.entry.exited_on == founded.decided_on
    assert founded.entry.announcements.filter(kind="exit", published_on=founded.decided_on)
    assert reports[ReportState.RECEIVED].entry.state == EntryState.EFFECTIVE


def test_requests_to_leave_a_red_list_pending_done_and_closed(demo):
    """R4, 000 §十.2: subjects asked from their own accounts to leave the market regulator's red
    list. One request waits on the business date, on the department's worklist as an exit on
    the subject's request; the officer exited one at its request, announced, the request done
    with that exit; the daily job ended the third by expiry while it waited, closing it with the
    reason the subject reads."""
    calendar = work_calendar()
    requests = {
        request.account.username: request
        for request in RedListExitRequest.objects.select_related(
            "entry__list__recognizing_department", "account", "exit_event"
        )
    }
    assert set(requests) == {"zhuti_leaving", "zhuti_left", "zhuti_expired"}
    for request in requests.values():
        entry = request.entry
        assert entry.list.kind == ListKind.RED
        assert entry.list.recognizing_department.code == "zj-scjg"
        assert SubjectAccount.objects.get(user=request.account).subject_id == entry.subject_id
        assert entry.effective_on < request.received_on < BUSINESS_DATE
        assert calendar.is_workday(request.received_on) and request.statement
    pending = requests["zhuti_leaving"]
    assert pending.state == ExitRequestState.PENDING and pending.entry.is_in_force
    assert pending.entry.verification_due_on is None
    officer = get_user_model().objects.get(username="scjg_officer")
    with clock.frozen(BUSINESS_DATE):
        tasks = [item.task for item in selectors.worklist(officer, BUSINESS_DATE)
                 if item.entry == pending.entry]  # fmt: skip
        assert selectors.worklist_counts(officer).get("exit_on_request") == 1
    assert tasks == ["exit_on_request"]
    done = requests["zhuti_left"]
    entry, exit_event = done.entry, done.exit_event
    assert done.state == ExitRequestState.DONE
    assert (entry.state, entry.exit_reason, entry.exited_on) == (
        EntryState.EXITED, ExitReason.REQUESTED, done.decided_on,
    )  # fmt: skip
    assert exit_event == entry.events.get(action="exit") and exit_event.actor == "scjg_officer"
    assert done.received_on < done.decided_on < BUSINESS_DATE
    assert calendar.is_workday(done.decided_on)
    assert entry.announcements.filter(kind="exit", published_on=done.decided_on).exists()
    closed = requests["zhuti_expired"]
    entry = closed.entry
    assert closed.state == ExitRequestState.CLOSED and closed.exit_event is None
    assert (entry.state, entry.exit_reason) == (EntryState.EXITED, ExitReason.EXPIRED)
    assert closed.received_on <= entry.valid_until < entry.exited_on == closed.decided_on
    assert entry.exited_on == entry.valid_until + dt.timedelta(days=1) < BUSINESS_DATE
    assert "因有效期届满移出，退出红名单申请随之终止办理" in closed.closed_reason
    assert entry.announcements.filter(kind="exit", published_on=entry.exited_on).exists()
    decided = {ExitRequestState.DONE: ["remedies.red_list_exit.done"],
               ExitRequestState.CLOSED: ["remedies.red_list_exit.close"]}  # fmt: skip
    for request in requests.values():
        expected = ["remedies.red_list_exit.request", *decided.get(request.state, [])]
        assert audit_actions(request) == expected
    # Each printed log-in reads its request on its own page.
    password = re.search(r"username:\s+zhuti_leaving\s+password: (\S+)", demo).group(1)
    for username, request in requests.items():
        own = Client()
        assert own.login(request=RequestFactory().post("/login/"), username=username,
                         password=password), username  # fmt: skip
        with clock.frozen(BUSINESS_DATE):
            page = own.get("/my/").content.decode()
        assert f'data-exit-request="{request.state}"' in page, username


def test_the_audit_trail_holds_one_row_per_action(demo):
    for entry in ListEntry.objects.filter(online_objections__isnull=False).distinct():
        events = after_signature(entry)
        assert [f"listing.{event.action}" for event in events] == audit_actions(entry)
    decided = {RepairState.ACCEPTED: ["remedies.repair.accept"],
               RepairState.REJECTED: ["remedies.repair.reject"]}  # fmt: skip
    for application in RepairApplication.objects.all():
        expected = ["remedies.repair.apply", *decided.get(application.state, [])]
        assert audit_actions(application) == expected
    repaired = ListEntry.objects.get(repair_applications__state=RepairState.ACCEPTED)
    assert audit_actions(repaired)[-1:] == ["listing.exit"]
    decisions = {ReportState.FOUNDED: ["report.found"], ReportState.UNFOUNDED: ["report.dismiss"]}
    for report in RedListReport.objects.all():
        assert audit_actions(report) == ["report.receive", *decisions.get(report.state, [])]
    counted = Counter(
        AuditEntry.objects.filter(action__startswith="remedies.").values_list("action", flat=True)
    )
    assert counted["remedies.repair.apply"] == RepairApplication.objects.count()


def test_the_printed_subjects_see_their_objection_and_repair(demo):
    """The demo's company log-in shows an objection found unfounded and a repair being handled;
    the officers who decided see the applications in the back office."""
    password = re.search(r"username:\s+zhuti_company\s+password: (\S+)", demo).group(1)
    signed_in = RequestFactory().post("/login/")
    company = Client()
    assert company.login(request=signed_in, username="zhuti_company", password=password)
    page = company.get("/my/").content.decode()
    assert 'data-objection="decided"' in page and 'data-repair="submitted"' in page
    for username in ("zhuti_objecting", "zhuti_corrected", "zhuti_repaired", "zhuti_penalty",
                     "zhuti_record"):  # fmt: skip
        assert re.search(rf"username:\s+{username}\s+password:", demo), username
        assert Client().login(request=signed_in, username=username, password=password)
    for officer, shown in (("scjg_officer", "submitted"), ("hzscjg_officer", "accepted")):
        client = Client()
        client.login(request=RequestFactory().post("/office/login/"), username=officer,
                     password=password)  # fmt: skip
        assert client.get("/office/repairs/").status_code == 200, officer
        department = Officer.objects.get(user__username=officer).department
        assert RepairApplication.objects.filter(department=department, state=shown).exists()


def test_submission_list_updates_on_time_late_overdue_and_open(demo):
    """R13: the credit office registered two changes; each concerned department owes its update
    by the 15th working day; one confirmed on time, one late by the working days counted, one is
    overdue on the business date, and the latest change's duties are open. A reset keeps them."""
    from xinyong.submissions.models import ChangeOfLawOrDuty, UpdateDuty

    calendar = work_calendar()
    revised, changed = ChangeOfLawOrDuty.objects.order_by("effective_on")
    assert revised.registered_by == "xyb_admin" and revised.kind == "law_revised"
    duties = {d.department.code: d for d in UpdateDuty.objects.filter(change=revised)}
    assert duties["zj-scjg"].confirmed_on <= duties["zj-scjg"].due_on
    assert duties["zj-scjg"].workdays_late == 0 and duties["zj-scjg"].items_updated.exists()
    late = duties["zj-czt"]
    assert late.confirmed_on > late.due_on and late.workdays_late > 0
    assert late.confirmed_by == "cz_officer" and calendar.is_workday(late.confirmed_on)
    overdue = duties["hangzhou-scjg"]
    assert overdue.confirmed_on is None and overdue.due_on < BUSINESS_DATE
    assert duties["zj-scjg"].due_on == calendar.add_workdays(revised.effective_on, 15).date
    open_ones = UpdateDuty.objects.filter(change=changed)
    assert {d.confirmed_on for d in open_ones} == {None}
    assert all(d.due_on >= BUSINESS_DATE for d in open_ones)
    assert "submission_changes" in demo


def test_the_decisions_texts_read_the_entries_repair_rulings_at_once(db, monkeypatch):
    """Each notice's text says whether its entry may be repaired (R8): the demo's notices read
    the entries' own rulings in one query, not one per entry (a load of 100,000 subjects writes
    some 9,000 decisions)."""
    from xinyong.demo import history, loader

    read = []

    def notices(plans, entries):
        with CaptureQueriesContext(connection) as captured:
            chains = history.announcements(plans, entries)
        read.extend(captured)
        return chains

    monkeypatch.setattr(loader, "announcements", notices)
    with clock.frozen(BUSINESS_DATE):
        load()
    table = EntryNotRepairable._meta.db_table
    assert len([q for q in read if f'FROM "{table}"' in q["sql"]]) == 1
