"""The listing procedure through its services, with real dates (R1–R6, R15)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from tests.factories import (
    CatalogItemFactory,
    LinkedPersonFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    meeting_of,
)
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.audit.selectors import verify_chain
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import documents, selectors, services
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.notifications import entry_changed

pytestmark = pytest.mark.django_db
D = dt.date
PROPOSED = D(2026, 9, 21)


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK, validity_value=3, monitoring_months=12)


@pytest.fixture
def officer(black_list):
    return OfficerFactory(department=black_list.recognizing_department).user


@pytest.fixture
def signer(black_list):
    return OfficerFactory(department=black_list.recognizing_department, signer=True).user


def tick(day: str) -> None:
    call_command("tick", "--date", day, stdout=io.StringIO())


def publicized(list_definition, officer, subject=None, day=PROPOSED) -> ListEntry:
    with clock.frozen(day):
        entry = services.propose_listing(
            actor=officer, list_definition=list_definition,
            subject=subject or SubjectFactory(), facts="未按期整改", basis="某条例第十条",
        )  # fmt: skip
        services.notify_subject(entry.pk, actor=officer, **meeting_of(entry.pk))
        return services.start_publicity(entry.pk, actor=officer)


def test_a_full_cycle_with_real_dates(black_list, officer, signer):
    entry = publicized(black_list, officer)
    assert entry.state == EntryState.IN_PUBLICITY
    assert entry.publicity_ends_on == D(2026, 10, 26)  # 20 working days across National Day
    assert not entry.publicity_ends_provisional

    tick("2026-10-26")
    entry.refresh_from_db()
    assert entry.state == EntryState.IN_PUBLICITY  # the last day still belongs to publicity
    tick("2026-10-27")
    entry.refresh_from_db()
    assert entry.state == EntryState.AWAITING_SIGNATURE  # never signed by the job

    with clock.frozen(D(2026, 10, 27)):
        entry = services.sign_decision(entry.pk, actor=signer, version=entry.version)
    assert entry.state == EntryState.EFFECTIVE
    assert (entry.effective_on, entry.valid_until) == (D(2026, 10, 27), D(2029, 10, 27))

    tick("2029-10-27")
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    tick("2029-10-28")
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason, entry.exited_on) == (
        EntryState.EXITED, ExitReason.EXPIRED, D(2029, 10, 28),
    )  # fmt: skip
    kinds = list(entry.announcements.order_by("id").values_list("kind", flat=True))
    assert kinds == ["publicity", "decision", "exit"]
    history = list(entry.events.order_by("id").values_list("action", "to_state"))
    assert history == [
        ("propose", "draft"), ("notify", "notified"), ("start_publicity", "in_publicity"),
        ("end_publicity", "awaiting_signature"), ("sign", "effective"), ("exit", "exited"),
    ]  # fmt: skip
    assert entry.events.get(action="sign").data["decision_document"].startswith("列入决定书")
    monitoring = ListEntry.objects.filter(origin=entry)
    assert not monitoring.exists()  # no key-monitoring list is defined in this test
    assert verify_chain().ok


def test_a_late_job_exits_on_the_day_the_rule_gives(black_list, officer, signer):
    entry = ListEntryFactory(list=black_list, effective=True, valid_until=D(2026, 3, 1))
    tick("2026-03-20")
    entry.refresh_from_db()
    assert entry.exited_on == D(2026, 3, 2)
    assert entry.events.get().business_date == D(2026, 3, 2)


def test_the_tick_twice_changes_nothing_the_second_time(black_list, officer):
    publicized(black_list, officer)
    ListEntryFactory(list=black_list, effective=True, valid_until=D(2026, 1, 1))
    tick("2026-10-27")
    audit_rows, events = AuditEntry.objects.count(), ListEntry.objects.values_list("version")
    before = sorted(events)
    tick("2026-10-27")
    assert AuditEntry.objects.count() == audit_rows
    assert sorted(ListEntry.objects.values_list("version")) == before


def test_signing_during_publicity_is_refused(black_list, officer, signer):
    entry = publicized(black_list, officer)
    with clock.frozen(D(2026, 10, 27)), pytest.raises(XinyongError, match="transition-not"):
        services.sign_decision(entry.pk, actor=signer)


def test_an_officer_without_the_signing_role_cannot_sign(black_list, officer):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    with clock.frozen(D(2026, 10, 27)), pytest.raises(XinyongError) as refused:
        services.sign_decision(entry.pk, actor=officer)
    assert refused.value.code == "signing-role-required"


def test_a_department_system_signs_only_through_a_token_created_to_sign(black_list):
    """The guard reads the token the call came with, not the system account's officer row."""
    system = tokens.system_account(black_list.recognizing_department)
    plain, _ = tokens.create_token(actor="test", user=system)
    signing, _ = tokens.create_token(actor="test", user=system, can_sign=True)
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    with clock.frozen(D(2026, 10, 27)):
        plain_account = tokens.authenticate(plain).user
        assert selectors.possible_actions(entry, plain_account, D(2026, 10, 27)) == [
            "object", "reject",
        ]  # fmt: skip
        with pytest.raises(XinyongError) as refused:
            services.sign_decision(entry.pk, actor=plain_account)
        assert refused.value.code == "signing-role-required"
        signed = services.sign_decision(entry.pk, actor=tokens.authenticate(signing).user)
    assert signed.state == EntryState.EFFECTIVE


def test_another_departments_officer_cannot_act(black_list):
    stranger = OfficerFactory(signer=True).user
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    with clock.frozen(D(2026, 10, 27)), pytest.raises(XinyongError) as refused:
        services.sign_decision(entry.pk, actor=stranger)
    assert (refused.value.code, refused.value.status) == ("entry-not-found", 404)


def test_a_stale_version_is_refused(black_list, signer):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    with clock.frozen(D(2026, 10, 27)), pytest.raises(XinyongError) as refused:
        services.sign_decision(entry.pk, actor=signer, version=entry.version + 1)
    assert refused.value.code == "version-conflict"
    entry.refresh_from_db()
    assert entry.state == EntryState.AWAITING_SIGNATURE
    assert not AuditEntry.objects.exists()


def test_blacklisting_ends_red_list_entries_in_the_same_transaction(black_list, signer):
    subject = SubjectFactory()
    red = ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.RED)
    black = ListEntryFactory(subject=subject, list=black_list, awaiting_signature=True)
    with clock.frozen(D(2026, 10, 27)):
        services.sign_decision(black.pk, actor=signer)
    red.refresh_from_db()
    assert (red.state, red.exit_reason, red.exited_on) == (
        EntryState.EXITED, ExitReason.BLACKLISTED, D(2026, 10, 27),
    )  # fmt: skip
    assert red.announcements.get(kind=Announcement.Kind.EXIT)


def test_a_failed_blacklisting_leaves_the_red_entry(black_list, signer, monkeypatch):
    subject = SubjectFactory()
    red = ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.RED)
    black = ListEntryFactory(subject=subject, list=black_list, awaiting_signature=True)

    def broken(entry, measures=()):
        raise RuntimeError("announcement channel down")

    monkeypatch.setattr(documents, "decision_announcement", broken)
    with clock.frozen(D(2026, 10, 27)), pytest.raises(RuntimeError):
        services.sign_decision(black.pk, actor=signer)
    red.refresh_from_db()
    black.refresh_from_db()
    assert red.state == EntryState.EFFECTIVE
    assert black.state == EntryState.AWAITING_SIGNATURE
    assert not AuditEntry.objects.exists()


def test_a_red_candidate_on_a_black_list_is_refused():
    subject = SubjectFactory()
    ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.BLACK)
    red_list = ListDefinitionFactory(kind=ListKind.RED)
    officer = OfficerFactory(department=red_list.recognizing_department).user
    with pytest.raises(XinyongError) as refused:
        services.propose_listing(
            actor=officer, list_definition=red_list, subject=subject, facts="守信", basis="依据"
        )
    assert refused.value.code == "red-candidate-blacklisted"


def test_a_black_entry_past_its_validity_no_longer_bars_a_red_candidate():
    """A black entry counts through the last day of its validity (R2, R4): the next day a red
    proposal is taken, whether or not the daily job has yet exited the black entry."""
    subject = SubjectFactory()
    ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.BLACK,
                     valid_until=D(2026, 11, 1))  # fmt: skip
    red_list = ListDefinitionFactory(kind=ListKind.RED)
    officer = OfficerFactory(department=red_list.recognizing_department).user

    def propose(day):
        with clock.frozen(day):
            return services.propose_listing(
                actor=officer, list_definition=red_list, subject=subject, facts="守信",
                basis="依据",
            )  # fmt: skip

    with pytest.raises(XinyongError) as refused:
        propose(D(2026, 11, 1))
    assert refused.value.code == "red-candidate-blacklisted"
    assert propose(D(2026, 11, 2)).state == EntryState.DRAFT


def test_a_red_candidate_blacklisted_after_its_proposal_is_refused_at_signing():
    """Checked again at signing: black-listed during its publicity, it never takes effect (R2);
    the refusal changes nothing."""
    red_list = ListDefinitionFactory(kind=ListKind.RED)
    signer = OfficerFactory(department=red_list.recognizing_department, signer=True).user
    candidate = ListEntryFactory(list=red_list, awaiting_signature=True)
    ListEntryFactory(subject=candidate.subject, effective=True, list__kind=ListKind.BLACK)
    with pytest.raises(XinyongError) as refused:
        services.sign_decision(candidate.pk, actor=signer)
    assert refused.value.code == "red-candidate-blacklisted"
    candidate.refresh_from_db()
    assert (candidate.state, candidate.effective_on) == (EntryState.AWAITING_SIGNATURE, None)


def test_black_lists_only_in_the_four_categories(officer, black_list):
    black_list.domain.dishonesty_category = None
    black_list.domain.save()
    with pytest.raises(XinyongError, match="black-list-outside-categories"):
        services.propose_listing(
            actor=officer, list_definition=black_list, subject=SubjectFactory(), facts="f",
            basis="b",
        )  # fmt: skip


def test_an_objection_suspends_the_candidacy_until_verified(black_list, officer, signer):
    entry = publicized(black_list, officer)
    with clock.frozen(D(2026, 9, 25)):
        entry = services.record_objection(
            entry.pk, actor=officer, objector="当事人", grounds="事实认定有误"
        )
    assert entry.state == EntryState.UNDER_VERIFICATION
    assert entry.verification_due_on == D(2026, 10, 15)  # 20 days, 10-15 is a working day
    tick("2026-10-27")
    entry.refresh_from_db()
    assert entry.state == EntryState.UNDER_VERIFICATION  # the job never passes over it
    with clock.frozen(D(2026, 10, 10)):
        entry = services.uphold_after_verification(entry.pk, actor=officer, finding="异议不成立")
    assert entry.state == EntryState.IN_PUBLICITY
    tick("2026-10-27")
    entry.refresh_from_db()
    assert entry.state == EntryState.AWAITING_SIGNATURE


def test_a_founded_objection_corrects_the_candidacy_in_public(black_list, officer):
    entry = publicized(black_list, officer)
    with clock.frozen(D(2026, 9, 25)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
        entry = services.reject_listing(entry.pk, actor=officer, finding="异议成立")
    assert entry.state == EntryState.REJECTED
    correction = entry.announcements.get(kind=Announcement.Kind.CORRECTION)
    assert correction.follows == entry.announcements.get(kind=Announcement.Kind.PUBLICITY)
    assert correction.channel == entry.channel


def test_a_publicized_candidacy_withdrawn_is_withdrawn_in_public(black_list, officer):
    """The publicity notice does not stand uncorrected: the withdrawal follows it on its
    channel (001 §8, R4)."""
    entry = publicized(black_list, officer)
    with clock.frozen(D(2026, 9, 28)):
        entry = services.withdraw_listing(entry.pk, actor=officer, reason="决定不予列入")
    assert entry.state == EntryState.WITHDRAWN
    withdrawal = entry.announcements.get(kind=Announcement.Kind.CORRECTION)
    assert withdrawal.follows == entry.announcements.get(kind=Announcement.Kind.PUBLICITY)
    assert (withdrawal.channel, withdrawal.published_on) == (entry.channel, D(2026, 9, 28))
    assert withdrawal.title == f"关于撤回拟列入{black_list.name}公示的公告"
    assert "2026年9月21日发布的拟列入" in withdrawal.body and "现予撤回" in withdrawal.body


def test_a_candidacy_withdrawn_before_publicity_announces_nothing(black_list, officer):
    with clock.frozen(PROPOSED):
        entry = services.propose_listing(
            actor=officer, list_definition=black_list, subject=SubjectFactory(), facts="事实",
            basis="依据",
        )  # fmt: skip
        services.notify_subject(entry.pk, actor=officer, **meeting_of(entry.pk))
        entry = services.withdraw_listing(entry.pk, actor=officer, reason="决定不予列入")
    assert entry.state == EntryState.WITHDRAWN
    assert not entry.announcements.exists()


def test_an_organisations_black_entry_names_its_persons(black_list, signer):
    company = SubjectFactory()
    representative = LinkedPersonFactory(organisation=company).person
    entry = ListEntryFactory(subject=company, list=black_list, awaiting_signature=True)
    with clock.frozen(D(2026, 10, 27)):
        services.sign_decision(entry.pk, actor=signer)
    assert list(entry.persons.values_list("person", "role")) == [
        (representative.pk, "legal_representative")
    ]
    assert list(selectors.effective_entries_naming(representative.pk)) == [entry]
    with clock.frozen(D(2027, 1, 4)):
        services.exit_entry(entry.pk, actor=signer, reason=ExitReason.REPAIRED)
    assert not selectors.effective_entries_naming(representative.pk).exists()


def test_leaving_a_black_list_starts_key_monitoring(black_list, officer):
    monitoring = ListDefinitionFactory(
        kind=ListKind.KEY_MONITORING, domain=black_list.domain, validity_value=None,
        recognizing_department=black_list.recognizing_department,
        legal_basis="《某省社会信用条例》第二十一条",
    )  # fmt: skip
    entry = ListEntryFactory(list=black_list, effective=True)
    with clock.frozen(D(2027, 3, 1)):
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.REPAIRED)
    monitored = ListEntry.objects.get(origin=entry)
    assert monitored.list.kind == ListKind.KEY_MONITORING
    assert (monitored.effective_on, monitored.valid_until) == (D(2027, 3, 1), D(2028, 3, 1))
    assert monitored.basis == monitoring.legal_basis


def test_a_black_entry_never_leaves_on_request(black_list, officer):
    entry = ListEntryFactory(list=black_list, effective=True)
    with pytest.raises(XinyongError, match="exit-reason-not-allowed"):
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.REQUESTED)


def test_a_provisional_publicity_end_is_recomputed_when_the_calendar_loads(
    black_list, officer, tmp_path
):
    entry = publicized(black_list, officer, day=D(2026, 12, 15))
    assert entry.publicity_ends_provisional
    notice = tmp_path / "2027.csv"
    notice.write_text("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-04,holiday,元旦\n")
    call_command("calendar", "load", str(notice), stdout=io.StringIO())
    entry.refresh_from_db()
    assert not entry.publicity_ends_provisional
    assert entry.publicity_ends_on == D(2027, 1, 14)


def test_notifications_go_out_only_after_commit(
    black_list, officer, django_capture_on_commit_callbacks
):
    received = []
    entry_changed.connect(lambda **kw: received.append(kw["action"]), weak=False, dispatch_uid="t")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            publicized(black_list, officer)
        assert received == ["propose", "notify", "start_publicity"]
    finally:
        entry_changed.disconnect(dispatch_uid="t")


def test_an_objection_to_an_effective_entry_suspends_its_measures(black_list, officer):
    entry = ListEntryFactory(list=black_list, effective=True)
    with clock.frozen(D(2026, 11, 2)):
        entry = services.record_objection(
            entry.pk, actor=officer, objector="当事人", grounds="有误"
        )
    assert (entry.state, entry.verification_due_on) == (EntryState.EFFECTIVE, D(2026, 11, 23))
    assert entry.is_suspended_by_objection
    assert entry.events.get(action="object").to_state == EntryState.EFFECTIVE
    with clock.frozen(D(2026, 11, 10)):
        entry = services.uphold_after_verification(entry.pk, actor=officer, finding="不成立")
    assert not entry.is_suspended_by_objection


def test_a_court_list_keeps_its_measures_during_an_objection(officer, black_list):
    black_list.objection_suspends_measures = False
    black_list.save()
    entry = ListEntryFactory(list=black_list, effective=True)
    with clock.frozen(D(2026, 11, 2)):
        entry = services.record_objection(
            entry.pk, actor=officer, objector="当事人", grounds="有误"
        )
    assert not entry.is_suspended_by_objection


def test_published_texts_write_their_dates_as_official_documents_do(black_list, officer, signer):
    """Notices, decisions and announcements date as GB/T 9704-2012 asks: 2026年9月21日, not
    ISO; and a public text cites no clause of ours (a reader cannot look it up)."""
    entry = publicized(black_list, officer)
    notice = entry.announcements.get().body
    assert "公示期：2026年9月21日至2026年10月26日。" in notice
    tick("2026-10-27")
    with clock.frozen(D(2026, 10, 27)):
        signed = services.sign_decision(entry.pk, actor=signer)
    # No number given: numbered in the department's name, never by an internal code.
    department = black_list.recognizing_department.name
    assert signed.decision_document_number == f"{department}〔2026〕{entry.pk}号"
    document = entry.events.get(action="sign").data["decision_document"]
    assert "生效日期：2026年10月27日，有效期至2029年10月27日。" in document
    with clock.frozen(D(2026, 11, 2)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED)
    texts = dict(entry.announcements.values_list("kind", "body"))
    assert "生效日期：2026年10月27日，有效期至2029年10月27日。" in texts["decision"]
    assert "移出日期：2026年11月2日。" in texts["exit"]
    assert "现予更正，并恢复其名誉。" in texts["correction"]
    assert not any("§" in text or "-10-" in text for text in [notice, *texts.values()])


def test_a_founded_objection_to_an_effective_entry_corrects_it(black_list, officer):
    entry = ListEntryFactory(list=black_list, effective=True)
    with clock.frozen(D(2026, 11, 2)):
        services.record_objection(entry.pk, actor=officer, objector="当事人", grounds="有误")
        entry = services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED)
    assert (entry.state, entry.verification_due_on) == (EntryState.EXITED, None)
    kinds = set(entry.announcements.values_list("kind", flat=True))
    assert {"correction", "exit"} <= kinds
    # The subject is told: the listing corrected, the apology, and its remedies (R6).
    told = entry.events.get(action="exit").data["objection_result"]
    assert "予以更正" in told and "书面致歉" in told and "行政复议" in told


def test_an_exit_with_no_objection_open_tells_no_objection_result(black_list, officer):
    entry = ListEntryFactory(list=black_list, effective=True)
    with clock.frozen(D(2026, 11, 2)):
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.CORRECTED)
    assert "objection_result" not in entry.events.get(action="exit").data


@pytest.mark.parametrize(("masked", "shows_name"), [(True, False), (False, True)])
def test_announcements_mask_a_person_per_the_catalog_item(black_list, officer, masked, shows_name):
    """The court's defaulter list publishes names where its legal basis requires (R5, 001 §4)."""
    black_list.catalog_item = CatalogItemFactory(mask_personal_data=masked)
    black_list.save()
    person = SubjectFactory(natural_person=True, name="欧阳娜娜")
    entry = publicized(black_list, officer, subject=person)
    body = entry.announcements.get().body
    assert ("欧阳娜娜" in body) is shows_name
    assert ("欧阳某" in body) is masked
    # A stored text never holds a citizen ID in full (R14); the portal's page shows it where
    # the legal basis requires.
    assert person.reveal_identifier() not in body and person.identifier in body
    assert person.reveal_identifier()[6:14] not in body  # the birth date stays hidden


def test_announcements_mask_a_person_when_the_list_names_no_catalog_item(black_list, officer):
    person = SubjectFactory(natural_person=True, name="欧阳娜娜")
    body = publicized(black_list, officer, subject=person).announcements.get().body
    assert "欧阳某" in body and "欧阳娜娜" not in body and person.reveal_identifier() not in body


@pytest.mark.parametrize("kind", [ListKind.RED, ListKind.BLACK])
def test_a_red_or_black_list_publicizes_at_least_20_working_days(kind):
    """The database refuses 19 and takes 20 (R1); other lists set their own publicity."""
    assert ListDefinitionFactory(kind=kind, publicity_workdays=20).publicity_workdays == 20
    with pytest.raises(IntegrityError), transaction.atomic():
        ListDefinitionFactory(kind=kind, publicity_workdays=19)
    assert ListDefinitionFactory(kind=ListKind.KEY_ATTENTION, publicity_workdays=5)
