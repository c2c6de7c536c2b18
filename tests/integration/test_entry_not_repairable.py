"""An especially serious entry decided non-repairable on its own (R8, R1, R5).

R8: "The list definition says whether repair is allowed; especially serious entries may be
non-repairable." The officer who signs decides it, with its reason, on a list that allows
repair; from then on the entry takes no repair application and no exit as repaired, and the
decision document (R1: exit conditions and procedure), its public announcement (R5: repair and
exit), the subject's own page and the office's entry page say so. An entry signed without the
decision, and a list that takes no repair at all, are as before.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import not_repairable as shared
from tests import subject_remedies
from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from tests.not_repairable import SERIOUS, SIGNED, sign
from tests.subject_remedies import NAMED, account_of, logged_in
from xinyong.access.models import SubjectAccount
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import selectors, services
from xinyong.listings.decision_records import Announcement, EntryNotRepairable
from xinyong.listings.models import EntryState, ExitReason, ListKind
from xinyong.remedies import repairs
from xinyong.remedies.models import RepairApplication

pytestmark = pytest.mark.django_db
D = dt.date
LATER = D(2026, 11, 16)
# What the decision's texts say of repair (``documents.repair_text``).
RULED_OUT = f"经认定不适用信用修复（{SERIOUS}）"
REPAIRABLE = "可以依法申请信用修复，信用修复后提前移出"
# the shared fixtures
black_list, signer, subject = shared.black_list, shared.signer, shared.subject
stored_files = subject_remedies.stored_files


def ruled_out(black_list, signer, subject, reason=SERIOUS):
    """Ruled out with the reason sent between stray spaces, which the decision trims."""
    return shared.ruled_out(black_list, signer, subject, reason=f"  {reason} ")


def decision_document(entry) -> str:
    return entry.events.get(action="sign").data["decision_document"]


def announcement(entry) -> Announcement:
    return entry.announcements.get(kind=Announcement.Kind.DECISION)


def subject_client(subject) -> Client:
    return logged_in(account_of(subject))


def materials():
    return subject_remedies.materials(names=NAMED)


# --- the decision, recorded and audited ----------------------------------------------------


def test_the_signature_records_the_entry_as_not_repairable_with_its_reason(
    black_list, signer, subject
):
    """R8: decided when the listing is decided, by the officer who signs, with its reason."""
    entry = ruled_out(black_list, signer, subject)
    assert entry.state == EntryState.EFFECTIVE
    kept = EntryNotRepairable.objects.get(entry=entry)
    assert (kept.reason, kept.recorded_on) == (SERIOUS, SIGNED)
    event = entry.events.get(action="sign")
    assert event.data["not_repairable"] == {"reason": SERIOUS}
    # One verb, one audit row: the signature's, whose event above states the decision.
    audited = AuditEntry.objects.get(action="listing.sign")
    assert (audited.object_type, audited.object_id) == ("listings.listentry", str(entry.pk))
    assert audited.actor == signer.get_username()
    assert not AuditEntry.objects.filter(action="listing.not_repairable").exists()


@pytest.mark.parametrize(
    ("decision", "code"),
    [
        ({"not_repairable": True, "not_repairable_reason": "  "}, "not-repairable-reason-required"),
        ({"not_repairable_reason": SERIOUS}, "not-repairable-not-decided"),
    ],
    ids=["no reason", "a reason without the decision"],
)
def test_the_decision_needs_its_reason_and_a_reason_needs_the_decision(
    black_list, signer, subject, decision, code
):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True, subject=subject)
    with pytest.raises(XinyongError) as refused:
        sign(entry, signer, **decision)
    assert (refused.value.code, refused.value.status) == (code, 422)
    entry.refresh_from_db()
    assert entry.state == EntryState.AWAITING_SIGNATURE
    assert not EntryNotRepairable.objects.exists()
    assert not AuditEntry.objects.filter(action__in=["listing.sign", "listing.not_repairable"])


@pytest.mark.parametrize(
    "definition",
    [
        {"kind": ListKind.BLACK, "repairable": False},
        {"kind": ListKind.RED},
        {"kind": ListKind.KEY_MONITORING},
        {"kind": ListKind.KEY_ATTENTION, "repairable": True},
    ],
    ids=["a list without repair", "a red list", "key monitoring", "key attention"],
)
def test_the_decision_is_only_taken_where_the_list_itself_takes_repair(subject, definition):
    """R8, R4: only meaningful on a black list (serious dishonesty, 000 §十.3; key attention
    sits below it) that allows repair."""
    listing = ListDefinitionFactory(**definition)
    signer = OfficerFactory(department=listing.recognizing_department, signer=True).user
    entry = ListEntryFactory(list=listing, awaiting_signature=True, subject=subject)
    with pytest.raises(XinyongError) as refused:
        sign(entry, signer, not_repairable=True, not_repairable_reason=SERIOUS)
    assert (refused.value.code, refused.value.status) == ("not-repairable-not-applicable", 422)
    assert "不适用信用修复" in refused.value.message
    entry.refresh_from_db()
    assert entry.state == EntryState.AWAITING_SIGNATURE
    assert not EntryNotRepairable.objects.exists()


@pytest.mark.parametrize("grounds", [["slight"], ["unintentional"], ["minor", "slight"]])
def test_an_entry_treated_leniently_as_slight_or_unintentional_is_no_especially_serious_case(
    black_list, signer, subject, grounds
):
    """R10 and R8 cannot both hold: dishonesty judged slight or not meant is treated leniently,
    and only an especially serious case may have its repair ruled out."""
    entry = ListEntryFactory(list=black_list, awaiting_signature=True, subject=subject)
    with pytest.raises(XinyongError) as refused:
        sign(entry, signer, not_repairable=True, not_repairable_reason=SERIOUS,
             leniency_grounds=grounds, leniency_statement="从轻认定")  # fmt: skip
    assert (refused.value.code, refused.value.status) == ("not-repairable-with-leniency", 422)
    entry.refresh_from_db()
    assert entry.state == EntryState.AWAITING_SIGNATURE
    assert not EntryNotRepairable.objects.exists()


def test_an_ordinary_entry_is_signed_as_before(black_list, signer, subject):
    entry = sign(ListEntryFactory(list=black_list, awaiting_signature=True), signer)
    assert not EntryNotRepairable.objects.exists()
    assert "not_repairable" not in entry.events.get(action="sign").data
    assert not AuditEntry.objects.filter(action="listing.not_repairable").exists()
    assert REPAIRABLE in decision_document(entry) and REPAIRABLE in announcement(entry).body
    assert "经认定不适用" not in decision_document(entry)


# --- no repair application, no exit as repaired -----------------------------------------


def test_a_repair_application_is_refused_with_the_reason(black_list, signer, subject):
    """R8: the subject is told the entry was decided non-repairable, and why."""
    entry = ruled_out(black_list, signer, subject)
    account = SubjectAccount.objects.create(user=UserFactory(), subject=subject).user
    with clock.frozen(LATER), pytest.raises(XinyongError) as refused:
        repairs.apply_for_entry(entry.pk, actor=account, corrected="已整改", materials=materials())
    assert (refused.value.code, refused.value.status) == ("not-repairable", 422)
    assert "认定" in refused.value.message and SERIOUS in refused.value.message
    assert refused.value.details["reason"] == SERIOUS
    assert not RepairApplication.objects.exists()


def test_the_portal_form_refuses_it_and_the_own_page_says_why(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    client = subject_client(subject)
    with clock.frozen(LATER):
        answer = client.post(
            f"/my/entries/{entry.pk}/repair/", {"corrected": "已整改", **materials()}
        )
        page = client.get("/my/").content.decode()
    assert answer.status_code == 422
    assert SERIOUS in answer.content.decode()
    assert not RepairApplication.objects.exists()
    refusal = page.split(f'id="repair-entry-{entry.pk}"')[1].split("</article>")[0]
    assert 'data-field="repair-refusal"' in refusal and SERIOUS in refusal
    assert 'data-action="repair"' not in refusal
    # The decision document the subject was sent states it in its exit conditions (R1).
    assert RULED_OUT in page


def test_the_own_page_reads_the_decisions_with_the_entries(black_list, signer, subject):
    """The subject's page asks whether each entry is repairable (its objection and repair
    sections): the decisions come with the entries, not one query per entry."""
    for reason in (SERIOUS, "情节特别严重，拒不整改", ""):  # one live entry per list and subject
        listed = ListDefinitionFactory(
            kind=ListKind.BLACK, repairable=True,
            recognizing_department=black_list.recognizing_department,
        )  # fmt: skip
        entry = ListEntryFactory(list=listed, awaiting_signature=True, subject=subject)
        sign(entry, signer, not_repairable=bool(reason), not_repairable_reason=reason)
    client = subject_client(subject)
    with clock.frozen(LATER), CaptureQueriesContext(connection) as captured:
        page = client.get("/my/").content.decode()
    assert page.count("不适用信用修复") >= 2
    table = EntryNotRepairable._meta.db_table
    assert not [q for q in captured if f'FROM "{table}"' in q["sql"]]


def test_the_exit_as_repaired_is_refused_and_never_offered(black_list, signer, subject):
    """R4, R8: an officer cannot end the entry early by repair either."""
    entry = ruled_out(black_list, signer, subject)
    officer = OfficerFactory(department=black_list.recognizing_department).user
    with clock.frozen(LATER):
        offered = selectors.possible_exit_reasons(entry, officer, LATER)
        with pytest.raises(XinyongError) as refused:
            services.exit_entry(entry.pk, actor=officer, reason=ExitReason.REPAIRED, note="已整改")
    assert ExitReason.REPAIRED not in offered and ExitReason.CORRECTED in offered
    assert (refused.value.code, refused.value.status) == ("not-repairable", 422)
    assert SERIOUS in refused.value.message
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE


def test_an_ordinary_entry_on_the_same_list_is_still_repaired(black_list, signer, subject):
    ruled_out(black_list, signer, subject)
    other = sign(ListEntryFactory(list=black_list, awaiting_signature=True), signer)
    officer = OfficerFactory(department=black_list.recognizing_department).user
    with clock.frozen(LATER):
        assert ExitReason.REPAIRED in selectors.possible_exit_reasons(other, officer, LATER)
        assert repairs.entry_refusal(other) is None
        exited = services.exit_entry(
            other.pk, actor=officer, reason=ExitReason.REPAIRED, note="已整改"
        )
    assert exited.exit_reason == ExitReason.REPAIRED


def test_a_list_without_repair_still_refuses_as_a_list(subject):
    """The list's own rule is unchanged: its refusal names the list (R8)."""
    listing = ListDefinitionFactory(kind=ListKind.BLACK, repairable=False)
    signer = OfficerFactory(department=listing.recognizing_department, signer=True).user
    entry = sign(ListEntryFactory(list=listing, awaiting_signature=True, subject=subject), signer)
    with clock.frozen(LATER):
        refused = repairs.entry_refusal(entry)
    assert (refused.code, refused.message) == ("not-repairable", "该名单不适用信用修复")
    assert "移出条件和程序：" in decision_document(entry)
    assert "；不适用信用修复。" in decision_document(entry)


# --- what the texts and pages say -----------------------------------------------------------


def test_the_decision_document_and_its_announcement_say_it(black_list, signer, subject):
    """R1: the exit conditions and procedure; R5: repair and exit, published."""
    entry = ruled_out(black_list, signer, subject)
    document = decision_document(entry)
    assert f"{RULED_OUT}。移出后" in document
    assert REPAIRABLE not in document
    body = announcement(entry).body
    assert RULED_OUT in body and REPAIRABLE not in body
    with clock.frozen(LATER):
        public = Client().get(f"/announcements/{announcement(entry).pk}/")
    assert public.status_code == 200
    assert RULED_OUT in public.content.decode()


def test_the_public_text_masks_a_person_named_in_the_reason(signer, black_list):
    """R5: the reason is an officer's words, published as the facts are: masked."""
    person = SubjectFactory(natural_person=True, name="张建国")
    reason = "张建国情节特别严重"
    entry = ruled_out(black_list, signer, person, reason=reason)
    assert f"经认定不适用信用修复（{reason}）" in decision_document(entry)
    body = announcement(entry).body
    assert "经认定不适用信用修复（张某" in body and "张建国" not in body


def test_the_office_entry_page_says_it_and_offers_no_repair(black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    office = Client()
    office.force_login(OfficerFactory(department=black_list.recognizing_department).user)
    with clock.frozen(LATER):
        html = office.get(f"/office/entries/{entry.pk}/").content.decode()
    assert 'data-field="not-repairable"' in html
    line = html.split('data-field="not-repairable"')[1].split("</dd>")[0]
    assert SERIOUS in line
    assert 'data-table="repairs"' not in html  # no repair applications section
    exit_form = html.split('data-action="exit"')[1].split("</form>")[0]
    assert 'value="repaired"' not in exit_form


def test_an_ordinary_entry_page_has_no_such_line(black_list, signer, subject):
    entry = sign(ListEntryFactory(list=black_list, awaiting_signature=True), signer)
    office = Client()
    office.force_login(OfficerFactory(department=black_list.recognizing_department).user)
    with clock.frozen(LATER):
        html = office.get(f"/office/entries/{entry.pk}/").content.decode()
    assert 'data-field="not-repairable"' not in html
    exit_form = html.split('data-action="exit"')[1].split("</form>")[0]
    assert 'value="repaired"' in exit_form


# --- where the officer decides it: the office form, the API, the admin -------------------


def test_the_office_signing_form_offers_and_carries_the_decision(black_list, signer, subject):
    entry = ListEntryFactory(list=black_list, awaiting_signature=True, subject=subject)
    client = Client()
    client.force_login(signer)
    page = client.get(f"/office/entries/{entry.pk}/").content.decode()
    sign_form = page.split('data-action="sign"')[1].split("</form>")[0]
    assert 'name="not_repairable"' in sign_form and 'name="not_repairable_reason"' in sign_form
    form = {"version": entry.version, "decision_document_number": "黑〔2026〕9号"}
    with clock.frozen(SIGNED):
        refused = client.post(f"/office/entries/{entry.pk}/sign/", {**form, "not_repairable": "on"})
        assert refused.status_code == 422
        assert "须说明理由" in refused.content.decode()
        client.post(
            f"/office/entries/{entry.pk}/sign/",
            {**form, "not_repairable": "on", "not_repairable_reason": SERIOUS},
        )
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    assert EntryNotRepairable.objects.get(entry=entry).reason == SERIOUS


def test_the_office_signing_form_on_a_list_without_repair_does_not_offer_it(subject):
    listing = ListDefinitionFactory(kind=ListKind.BLACK, repairable=False)
    signer = OfficerFactory(department=listing.recognizing_department, signer=True).user
    entry = ListEntryFactory(list=listing, awaiting_signature=True, subject=subject)
    client = Client()
    client.force_login(signer)
    page = client.get(f"/office/entries/{entry.pk}/").content.decode()
    sign_form = page.split('data-action="sign"')[1].split("</form>")[0]
    assert 'name="not_repairable"' not in sign_form
    assert 'name="decision_document_number"' in sign_form


def test_the_api_takes_the_decision_and_shows_it(black_list, subject):
    user = OfficerFactory(department=black_list.recognizing_department, signer=True).user
    token, _ = tokens.create_token(actor="test", user=user, can_sign=True)
    api = Client(headers={"Authorization": f"Bearer {token}"})
    entry = ListEntryFactory(list=black_list, awaiting_signature=True, subject=subject)
    path = f"/api/v1/listings/entries/{entry.pk}/sign"
    with clock.frozen(SIGNED):
        refused = api.post(
            path, {"version": 1, "not_repairable": True}, content_type="application/json"
        )
        assert refused.status_code == 422
        assert refused.json()["code"] == "not-repairable-reason-required"
        signed = api.post(
            path, {"version": 1, "not_repairable": True, "not_repairable_reason": SERIOUS},
            content_type="application/json",
        )  # fmt: skip
    assert signed.status_code == 200, signed.json()
    assert signed.json()["not_repairable_reason"] == SERIOUS
    assert EntryNotRepairable.objects.get(entry=entry).reason == SERIOUS


def test_the_admin_shows_the_decision_read_only(admin_client, black_list, signer, subject):
    entry = ruled_out(black_list, signer, subject)
    page = admin_client.get(f"/admin/listings/listentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert SERIOUS in page.content.decode()
