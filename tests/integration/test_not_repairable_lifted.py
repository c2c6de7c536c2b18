"""A ruling that an entry is not repairable, found wrong, is lifted (R8, R10, R6; 000 §十一.3).

R8 lets the officer who signs a black listing rule it especially serious and not repairable.
A ruling that does not fit the behaviour (R10: the severity fits the behaviour) is a wrong
grading of the dishonesty, which the recognizing department corrects, with a written apology
and a public clarification (000 §十一.3). A responsible officer of that department, with the
right to sign, lifts it with a reason while the entry is in force: the ruling is kept and
marked lifted (history is never rewritten), the step is a history event with one audit row,
a correction notice follows the decision notice on its channel (personal data masked), and
from then on the entry takes repair as any other: applications, the exit as repaired, the
pages that said repair was ruled out.
"""

import datetime as dt

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)
from django.test import Client

from tests import not_repairable as shared
from tests import subject_remedies
from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
)
from tests.migration_steps import migrate, migrate_to_latest
from tests.not_repairable import SERIOUS, SIGNED, ruled_out
from tests.races import race
from tests.subject_remedies import NAMED, account_of
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import selectors, services
from xinyong.listings.decision_records import Announcement, EntryNotRepairable
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.listings.tick import run_tick
from xinyong.remedies import repairs
from xinyong.remedies.models import RepairApplication

pytestmark = pytest.mark.django_db
D = dt.date
LIFTED = D(2026, 11, 16)
LATER = D(2026, 11, 20)
WHY = "经复核，伤情鉴定为轻伤，情节并非特别严重，该认定与失信行为的严重程度不相适应"
# the shared fixtures
black_list, signer, subject = shared.black_list, shared.signer, shared.subject
stored_files = subject_remedies.stored_files


def lift(entry, actor, reason=WHY, day=LIFTED, **extra):
    with clock.frozen(day):
        return services.lift_not_repairable(entry.pk, actor=actor, reason=reason, **extra)


def materials():
    return subject_remedies.materials(names=NAMED)


def correction(entry) -> Announcement:
    return entry.announcements.get(kind=Announcement.Kind.RULING_LIFTED)


def nothing_was_lifted(entry) -> None:
    entry.refresh_from_db()
    if EntryNotRepairable.objects.filter(entry=entry).exists():
        kept = EntryNotRepairable.objects.get(entry=entry)
        assert (kept.lifted_on, kept.lifted_reason) == (None, "")
    assert not entry.events.filter(action="lift_not_repairable").exists()
    assert not AuditEntry.objects.filter(action="listing.lift_not_repairable").exists()
    assert not entry.announcements.filter(
        kind__in=(Announcement.Kind.CORRECTION, Announcement.Kind.RULING_LIFTED)
    ).exists()


# --- the service -----------------------------------------------------------------------------


def test_a_signing_officer_lifts_the_ruling_which_is_kept_and_marked(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    lifted = lift(entry, signer, reason=f"  {WHY} ")
    assert (lifted.state, lifted.version) == (EntryState.EFFECTIVE, entry.version + 1)
    kept = EntryNotRepairable.objects.get(entry=entry)
    # The ruling as decided is kept; the lifting is recorded beside it, never in its place.
    assert (kept.reason, kept.recorded_on) == (SERIOUS, SIGNED)
    assert (kept.lifted_on, kept.lifted_reason) == (LIFTED, WHY)
    assert lifted.not_repairable_reason == ""
    assert lifted.not_repairable_lifted == kept
    # The decision document the subject was sent stays as it was written (history).
    assert "经认定不适用信用修复" in entry.events.get(action="sign").data["decision_document"]


def test_the_step_is_a_history_event_with_one_audit_row(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    lift(entry, signer)
    event = entry.events.get(action="lift_not_repairable")
    assert (event.from_state, event.to_state, event.business_date, event.reason) == (
        EntryState.EFFECTIVE, EntryState.EFFECTIVE, LIFTED, WHY,
    )  # fmt: skip
    assert event.actor == signer.get_username()
    assert event.data["not_repairable_lifted"] == {"ruling": SERIOUS, "ruled_on": "2026-10-27"}
    # The subject's correction and written apology (000 §十一.3).
    letter = event.data["result_to_subject"]
    assert subject.name in letter and SERIOUS in letter and WHY in letter
    assert "书面致歉" in letter and "申请信用修复" in letter
    audited = AuditEntry.objects.get(action="listing.lift_not_repairable")
    assert (audited.object_type, audited.object_id) == ("listings.listentry", str(entry.pk))
    assert (audited.actor, audited.reason) == (signer.get_username(), WHY)


def test_a_correction_notice_follows_the_decision_notice_on_its_channel(
    black_list, signer, subject
):
    """R5, R4: a correction is published where the listing was, after its notice."""
    entry = ruled_out(black_list, signer, subject)
    lift(entry, signer)
    decision = entry.announcements.get(kind=Announcement.Kind.DECISION)
    notice = correction(entry)
    assert (notice.channel, notice.published_on, notice.follows) == (
        decision.channel, LIFTED, decision,
    )  # fmt: skip
    assert "不适用信用修复" in notice.title and "更正" in notice.title
    assert f"经认定不适用信用修复（{SERIOUS}）" in notice.body
    assert "现予撤销" in notice.body and WHY in notice.body
    assert entry.decision_document_number in notice.body
    assert "2026年11月16日起" in notice.body and "可以依法申请信用修复" in notice.body
    with clock.frozen(LATER):
        public = Client().get(f"/announcements/{notice.pk}/")
        listed = Client().get("/announcements/?kind=correction").content.decode()
    assert public.status_code == 200 and WHY in public.content.decode()
    assert notice.title in listed


def on_the_portal(notice: Announcement, day: dt.date) -> tuple[bool, bool]:
    """Whether the notice is on the portal's list of announcements, and its page is shown."""
    with clock.frozen(day):
        listed = Client().get("/announcements/").content.decode()
        page = Client().get(f"/announcements/{notice.pk}/")
    return f'data-announcement="{notice.pk}"' in listed, page.status_code == 200


def test_the_correction_notice_goes_with_the_entry_exited_as_repaired(black_list, signer, subject):
    """R8, R5: the notice quotes the decision and the subject's listing, so it is public only
    while the decision notice is; repaired information stops being published."""
    entry = ruled_out(black_list, signer, subject)
    lift(entry, signer)
    notice = correction(entry)
    assert on_the_portal(notice, LATER) == (True, True)
    officer = OfficerFactory(department=black_list.recognizing_department).user
    with clock.frozen(LATER):
        services.exit_entry(entry.pk, actor=officer, reason=ExitReason.REPAIRED, note="已整改")
    later = LATER + dt.timedelta(days=1)
    assert on_the_portal(notice, later) == (False, False)
    assert on_the_portal(entry.announcements.get(kind=Announcement.Kind.EXIT), later)[0]


def test_the_correction_notice_goes_with_the_entry_at_expiry(subject):
    """R5: the publication period is the validity; past it the notice is withdrawn, whether
    the daily job recorded the exit yet."""
    short = ListDefinitionFactory(kind=ListKind.BLACK, validity_value=30, validity_unit="days")
    signer = OfficerFactory(department=short.recognizing_department, signer=True).user
    entry = ruled_out(short, signer, subject)
    lift(entry, signer)
    notice = correction(entry)
    entry.refresh_from_db()
    assert on_the_portal(notice, entry.valid_until) == (True, True)
    past = entry.valid_until + dt.timedelta(days=1)
    assert on_the_portal(notice, past) == (False, False)
    run_tick(past)
    entry.refresh_from_db()
    assert entry.state == EntryState.EXITED
    assert on_the_portal(notice, past) == (False, False)


def test_the_correction_notice_masks_a_person_as_the_facts_are(signer, black_list):
    """R5, 001 §4: the ruling and its lifting are an officer's words, published masked."""
    person = SubjectFactory(natural_person=True, name="张建国")
    entry = ruled_out(black_list, signer, person, reason="张建国情节特别严重")
    lift(entry, signer, reason="张建国系初犯，情节并非特别严重")
    notice = correction(entry)
    assert "张建国" not in notice.title + notice.body
    assert "张某情节特别严重" in notice.body and "张某系初犯" in notice.body
    letter = entry.events.get(action="lift_not_repairable").data["result_to_subject"]
    assert "张建国系初犯" in letter  # the subject's own letter is not masked for it


@pytest.mark.parametrize("reason", ["", "   ", "\n"])
def test_a_lifting_needs_its_reason(black_list, signer, subject, reason):
    entry = ruled_out(black_list, signer, subject)
    with pytest.raises(XinyongError) as refused:
        lift(entry, signer, reason=reason)
    assert (refused.value.code, refused.value.status) == ("lift-reason-required", 422)
    assert "理由" in refused.value.message
    nothing_was_lifted(entry)


def test_an_entry_without_a_ruling_has_nothing_to_lift(black_list, signer, subject):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True, subject=subject)
    with clock.frozen(SIGNED):
        services.sign_decision(entry.pk, actor=signer)
    with pytest.raises(XinyongError) as refused:
        lift(entry, signer)
    assert (refused.value.code, refused.value.status) == ("not-repairable-not-ruled", 409)
    assert "未认定" in refused.value.message
    nothing_was_lifted(entry)


def test_a_ruling_is_lifted_once(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    lift(entry, signer)
    with pytest.raises(XinyongError) as refused:
        lift(entry, signer, reason="再次撤销", day=LATER)
    assert (refused.value.code, refused.value.status) == ("not-repairable-already-lifted", 409)
    assert "2026-11-16" in refused.value.message
    assert entry.events.filter(action="lift_not_repairable").count() == 1
    assert AuditEntry.objects.filter(action="listing.lift_not_repairable").count() == 1
    assert EntryNotRepairable.objects.get(entry=entry).lifted_reason == WHY


def test_an_ended_entry_is_not_lifted(black_list, signer, subject):
    """Only while the entry is in force: once ended there is nothing left to repair (R4)."""
    entry = ruled_out(black_list, signer, subject)
    with clock.frozen(LIFTED):
        services.exit_entry(entry.pk, actor=signer, reason=ExitReason.CORRECTED, note="有误")
    with pytest.raises(XinyongError) as refused:
        lift(entry, signer, day=LATER)
    assert (refused.value.code, refused.value.status) == ("transition-not-allowed", 409)
    entry.refresh_from_db()
    assert not entry.events.filter(action="lift_not_repairable").exists()
    assert EntryNotRepairable.objects.get(entry=entry).lifted_on is None


def test_an_entry_past_its_last_day_is_not_lifted(subject):
    """Past its validity it ended by expiry, whether the daily job recorded it yet (R4)."""
    short = ListDefinitionFactory(kind=ListKind.BLACK, validity_value=10, validity_unit="days")
    signer = OfficerFactory(department=short.recognizing_department, signer=True).user
    entry = ruled_out(short, signer, subject)
    with pytest.raises(XinyongError) as refused:
        lift(entry, signer, day=entry.valid_until + dt.timedelta(days=1))
    assert (refused.value.code, refused.value.status) == ("validity-ended", 409)
    nothing_was_lifted(entry)


def test_only_an_officer_with_the_right_to_sign_lifts_it(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    officer = OfficerFactory(department=black_list.recognizing_department).user
    with pytest.raises(XinyongError) as refused:
        lift(entry, officer)
    assert (refused.value.code, refused.value.status) == ("signing-role-required", 403)
    nothing_was_lifted(entry)


def test_another_departments_signer_does_not_find_the_entry(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    elsewhere = OfficerFactory(signer=True).user
    with pytest.raises(XinyongError) as refused:
        lift(entry, elsewhere)
    assert (refused.value.code, refused.value.status) == ("entry-not-found", 404)
    nothing_was_lifted(entry)


def test_a_stale_version_is_refused(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    with pytest.raises(XinyongError) as refused:
        lift(entry, signer, version=entry.version - 1)
    assert refused.value.code == "version-conflict"
    nothing_was_lifted(entry)


# --- repair is open again ----------------------------------------------------------------------


def test_a_repair_application_refused_before_is_taken_after(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    account = account_of(subject)
    with clock.frozen(LIFTED), pytest.raises(XinyongError) as refused:
        repairs.apply_for_entry(entry.pk, actor=account, corrected="已整改", materials=materials())
    assert refused.value.code == "not-repairable"
    lift(entry, signer)
    with clock.frozen(LATER):
        application = repairs.apply_for_entry(
            entry.pk, actor=account, corrected="已整改", materials=materials()
        )
    assert RepairApplication.objects.get() == application
    assert application.entry_id == entry.pk


def test_the_exit_as_repaired_is_offered_and_taken_after(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    officer = OfficerFactory(department=black_list.recognizing_department).user
    with clock.frozen(LIFTED):
        assert ExitReason.REPAIRED not in selectors.possible_exit_reasons(entry, officer, LIFTED)
    lifted = lift(entry, signer)
    with clock.frozen(LATER):
        assert ExitReason.REPAIRED in selectors.possible_exit_reasons(lifted, officer, LATER)
        exited = services.exit_entry(
            entry.pk, actor=officer, reason=ExitReason.REPAIRED, note="已整改"
        )
    assert exited.exit_reason == ExitReason.REPAIRED


# --- the pages, the API, the admin ---------------------------------------------------------


def test_the_own_page_shows_the_lifting_the_apology_and_offers_repair(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    lift(entry, signer)
    client = Client()
    client.force_login(account_of(subject))
    with clock.frozen(LATER):
        page = client.get("/my/").content.decode()
    row = page.split(f'id="repair-entry-{entry.pk}"')[1].split("</article>")[0]
    assert 'data-field="repair-refusal"' not in row
    assert 'data-action="repair"' in row
    lifted = row.split('data-field="repair-ruling-lifted"')[1].split("</p>")[0]
    assert "2026-11-16" in lifted and WHY in lifted and SERIOUS in lifted
    apology = page.split(f'data-ruling-lifted="{entry.pk}"')[1].split("</details>")[0]
    assert "书面致歉" in apology and WHY in apology
    # Under its own heading: the entry stays in force, only the ruling was lifted.
    lifted_section = page.split('id="rulings-lifted"')[1].split("</section>")[0]
    heading = lifted_section.split("<h2>")[1].split("</h2>")[0]
    assert heading in (
        "已撤销的不适用信用修复认定",
        "Rulings that an entry is not repairable, lifted",
    )
    assert f'data-ruling-lifted="{entry.pk}"' in lifted_section
    assert f'data-correction="{entry.pk}"' not in page
    assert "经核实认定有误并已更正的名单记录" not in page


def test_the_office_entry_page_shows_the_lifting(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    lift(entry, signer)
    office = Client()
    office.force_login(OfficerFactory(department=black_list.recognizing_department).user)
    with clock.frozen(LATER):
        html = office.get(f"/office/entries/{entry.pk}/").content.decode()
    assert 'data-field="not-repairable"' not in html
    line = html.split('data-field="not-repairable-lifted"')[1].split("</dd>")[0]
    assert "2026-11-16" in line and WHY in line and SERIOUS in line
    exit_form = html.split('data-action="exit"')[1].split("</form>")[0]
    assert 'value="repaired"' in exit_form
    assert 'data-section="remedies"' in html  # repair applications, none yet


def test_the_office_form_lifts_the_ruling(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    client = Client()
    client.force_login(signer)
    with clock.frozen(LIFTED):
        page = client.get(f"/office/entries/{entry.pk}/").content.decode()
        form = page.split('data-action="lift_not_repairable"')[1].split("</form>")[0]
        assert "<textarea" in form and 'name="reason"' in form
        entry.refresh_from_db()
        blank = client.post(
            f"/office/entries/{entry.pk}/lift_not_repairable/",
            {"version": entry.version, "reason": "  "},
        )
        assert blank.status_code == 422
        nothing_was_lifted(entry)
        done = client.post(
            f"/office/entries/{entry.pk}/lift_not_repairable/",
            {"version": entry.version, "reason": WHY},
        )
        assert done.status_code == 302
        after = client.get(f"/office/entries/{entry.pk}/").content.decode()
    assert EntryNotRepairable.objects.get(entry=entry).lifted_reason == WHY
    assert 'data-action="lift_not_repairable"' not in after  # lifted once
    assert WHY in after


def test_the_office_form_is_offered_only_where_it_can_succeed(black_list, signer, subject):
    ruled = ruled_out(black_list, signer, subject)
    plain = ListEntryFactory(list=black_list, awaiting_signature=True)
    with clock.frozen(SIGNED):
        services.sign_decision(plain.pk, actor=signer)
    officer = Client()
    officer.force_login(OfficerFactory(department=black_list.recognizing_department).user)
    signing = Client()
    signing.force_login(signer)
    with clock.frozen(LIFTED):
        for client, entry, shown in (
            (signing, ruled, True), (officer, ruled, False), (signing, plain, False),
        ):  # fmt: skip
            html = client.get(f"/office/entries/{entry.pk}/").content.decode()
            assert ('data-action="lift_not_repairable"' in html) is shown
        refused = officer.post(
            f"/office/entries/{ruled.pk}/lift_not_repairable/",
            {"version": ruled.version, "reason": WHY},
        )
    assert refused.status_code == 403
    assert "签发权限" in refused.content.decode()
    nothing_was_lifted(ruled)


def test_the_api_lifts_it_and_shows_it(black_list, subject, signer):
    entry = ruled_out(black_list, signer, subject)
    department = black_list.recognizing_department
    signing, _ = tokens.create_token(
        actor="test", user=OfficerFactory(department=department, signer=True).user, can_sign=True
    )
    plain, _ = tokens.create_token(actor="test", user=OfficerFactory(department=department).user)
    path = f"/api/v1/listings/entries/{entry.pk}"
    with clock.frozen(LIFTED):
        before = Client(headers={"Authorization": f"Bearer {plain}"}).get(path).json()
        assert before["not_repairable_reason"] == SERIOUS
        assert before["not_repairable_lifted"] is None
        refused = Client(headers={"Authorization": f"Bearer {plain}"}).post(
            f"{path}/not-repairable/lift", {"version": entry.version, "reason": WHY},
            content_type="application/json",
        )  # fmt: skip
        assert (refused.status_code, refused.json()["code"]) == (403, "access-denied")
        api = Client(headers={"Authorization": f"Bearer {signing}"})
        blank = api.post(
            f"{path}/not-repairable/lift", {"version": entry.version, "reason": " "},
            content_type="application/json",
        )  # fmt: skip
        assert blank.status_code == 422
        answer = api.post(
            f"{path}/not-repairable/lift", {"version": entry.version, "reason": WHY},
            content_type="application/json",
        )  # fmt: skip
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    assert body["not_repairable_reason"] == ""
    assert body["not_repairable_lifted"] == {
        "ruling": SERIOUS, "ruled_on": "2026-10-27", "lifted_on": "2026-11-16", "reason": WHY,
    }  # fmt: skip
    assert body["history"][-1]["action"] == "lift_not_repairable"


def test_the_admin_shows_the_lifting_read_only(admin_client, black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    lift(entry, signer)
    page = admin_client.get(f"/admin/listings/listentry/{entry.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert SERIOUS in html and WHY in html
    assert 'name="not_repairable-0-lifted_reason"' not in html  # shown, not editable


# --- two officers at once --------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_two_officers_lifting_at_once_lift_it_once(black_list, signer, subject):
    """Both read the ruling as standing; the entry's row makes them take turns, and the second
    finds it lifted: one event, one audit row, one correction notice."""
    entry = ruled_out(black_list, signer, subject)
    other = OfficerFactory(department=black_list.recognizing_department, signer=True).user

    def lifting(actor, reason):
        return lambda: services.lift_not_repairable(entry.pk, actor=actor, reason=reason)

    outcomes = race(lifting(signer, WHY), lifting(other, "情节并非特别严重"))
    assert sorted(outcomes) == ["not-repairable-already-lifted", "ok"], outcomes
    assert entry.events.filter(action="lift_not_repairable").count() == 1
    assert AuditEntry.objects.filter(action="listing.lift_not_repairable").count() == 1
    assert entry.announcements.filter(kind=Announcement.Kind.RULING_LIFTED).count() == 1
    kept = EntryNotRepairable.objects.get(entry=entry)
    assert kept.lifted_on == SIGNED  # the day ``race`` runs on
    assert kept.lifted_reason in (WHY, "情节并非特别严重")


@pytest.mark.django_db(transaction=True)
def test_notices_filed_as_corrections_before_are_marked_by_the_migration(
    black_list, signer, subject
):
    """R5, R8: a lifting notice published before it had a kind of its own goes with the
    decision notice too; other corrections stay corrections."""
    entry = ruled_out(black_list, signer, subject)
    lift(entry, signer)
    lifting = correction(entry).pk
    other = ListEntryFactory(effective=True, list=black_list)
    plain = Announcement.objects.create(
        entry=other, kind=Announcement.Kind.CORRECTION, channel=other.channel,
        published_on=LIFTED, title="关于某公司不适用信用修复认定的更正公告", body="更正",
    )  # fmt: skip
    try:
        apps = migrate([("listings", "0024_not_repairable_lifted")])
        notices = apps.get_model("listings", "Announcement").objects
        assert notices.get(pk=lifting).kind == "correction"
        apps = migrate([("listings", "0025_ruling_lifted_notice")])
    finally:
        migrate_to_latest()  # the test database is left at the latest state whatever happens
    notices = apps.get_model("listings", "Announcement").objects
    assert notices.get(pk=lifting).kind == "ruling-lifted"
    assert notices.get(pk=plain.pk).kind == "correction"
