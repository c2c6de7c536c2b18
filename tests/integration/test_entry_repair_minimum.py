"""An entry is repaired only after its list's catalog item's minimum publication, counted from
the decision (the day it took effect), as its records are after theirs; a list is not valid for
longer than its item's maximum publication (R8; 国办发〔2025〕22号, 《信用修复管理办法》)."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    DepartmentFactory,
    DomainFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from xinyong.access.models import SubjectAccount
from xinyong.api import tokens
from xinyong.catalog.models import InfoKind, PublicationTier
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import checks as listing_checks
from xinyong.listings import services as listing_services
from xinyong.listings.models import EntryState, ExitReason, ListDefinition
from xinyong.remedies import repairs
from xinyong.remedies.models import RepairApplication, RepairState
from xinyong.remedies.repair_workflow import RepairAction

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
# The factory's effective entry took effect, its decision signed, on 2026-10-27: a serious
# item's 12-month minimum ends on 2027-10-27, and repair is possible from 2027-10-28.
DECIDED = dt.date(2026, 10, 27)
MINIMUM_ENDS = dt.date(2027, 10, 27)
FIRST_DAY = dt.date(2027, 10, 28)


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _item(months_min=12, months_max=36):
    return CatalogItemFactory(
        info_kind=InfoKind.SERIOUS_DISHONESTY, name="严重失信主体名单信息",
        publication_months_min=months_min, publication_months_max=months_max,
    )  # fmt: skip


def _entry(subject, item, **fields):
    definition = ListDefinitionFactory(catalog_item=item, repairable=True)
    return ListEntryFactory(list=definition, subject=subject, effective=True, **fields)


def _record_of(entry, min_ends_on):
    """A serious record that is the entry's decision (same department, number and subject)."""
    return CreditRecordFactory(
        subject=entry.subject, department=entry.list.recognizing_department,
        catalog_item__provider=entry.list.recognizing_department,
        document_number=entry.decision_document_number, decision_date=DECIDED,
        tier=PublicationTier.SERIOUS, is_serious=True, published_on=dt.date(2026, 10, 28),
        publication_min_ends_on=min_ends_on, publication_ends_on=dt.date(2029, 10, 27),
        sharing_ends_on=dt.date(2029, 10, 27),
    )  # fmt: skip


def _materials():
    def pdf(name):
        return SimpleUploadedFile(name, PDF, content_type="application/pdf")

    return {"fulfilment": [pdf("缴款凭证.pdf")], "commitment": [pdf("信用承诺书.pdf")]}


def _subject_client(subject) -> Client:
    user = UserFactory()
    SubjectAccount.objects.create(user=user, subject=subject)
    client = Client()
    client.force_login(user)
    return client


def _apply(client, entry, day):
    with clock.frozen(day):
        return client.post(
            f"/my/entries/{entry.pk}/repair/", {"corrected": "已整改", **_materials()}
        )


def _officer(entry):
    return OfficerFactory(department=entry.list.recognizing_department).user


# --- the first day an entry may be repaired ---------------------------------------------------


@pytest.mark.parametrize(
    ("item_min", "record_min", "first_day"),
    [
        (12, None, FIRST_DAY),  # the item alone sets it
        (12, dt.date(2027, 3, 1), FIRST_DAY),  # the item's minimum is the later
        (12, dt.date(2028, 3, 1), dt.date(2028, 3, 2)),  # the records' minimum is the later
        (None, None, None),  # an item with no minimum: as before, none
        (None, dt.date(2027, 3, 1), dt.date(2027, 3, 2)),  # as before, the records'
        (0, None, dt.date(2026, 10, 28)),  # a minimum of none: the day after the decision
    ],
)
def test_the_first_day_is_the_later_of_the_items_and_the_records_minimum(
    item_min, record_min, first_day
):
    entry = _entry(SubjectFactory(), _item(months_min=item_min))
    if record_min is not None:
        _record_of(entry, record_min)
    assert repairs.entry_repairable_from(entry) == first_day


def test_a_list_without_a_catalog_item_keeps_the_records_minimum_only():
    entry = _entry(SubjectFactory(), None)
    assert repairs.entry_repairable_from(entry) is None
    _record_of(entry, dt.date(2027, 3, 1))
    assert repairs.entry_repairable_from(entry) == dt.date(2027, 3, 2)


# --- the subject's application ----------------------------------------------------------------


def test_the_subject_is_refused_the_day_before_with_the_day_named_and_taken_on_it():
    me = SubjectFactory()
    entry = _entry(me, _item())
    client = _subject_client(me)
    early = _apply(client, entry, MINIMUM_ENDS)
    assert early.status_code == 422
    assert "最短公示期未满，自 2027-10-28 起可以申请信用修复" in early.content.decode()
    assert not RepairApplication.objects.exists()
    with clock.frozen(MINIMUM_ENDS), pytest.raises(XinyongError) as refused:
        repairs.apply_for_entry(
            entry.pk, actor=SubjectAccount.objects.get(subject=me).user, corrected="已整改",
            materials=_materials(),
        )  # fmt: skip
    assert (refused.value.code, refused.value.status) == ("repair-before-minimum", 409)
    assert refused.value.details["repairable_from"] == "2027-10-28"
    assert _apply(client, entry, FIRST_DAY).status_code == 302
    assert RepairApplication.objects.get(entry=entry).submitted_on == FIRST_DAY


def test_a_records_later_minimum_wins_over_the_items():
    me = SubjectFactory()
    entry = _entry(me, _item())
    _record_of(entry, dt.date(2028, 3, 1))
    client = _subject_client(me)
    early = _apply(client, entry, FIRST_DAY)
    assert early.status_code == 422
    assert "自 2028-03-02 起可以申请信用修复" in early.content.decode()
    assert _apply(client, entry, dt.date(2028, 3, 2)).status_code == 302


def test_an_item_with_no_minimum_keeps_todays_behaviour():
    me = SubjectFactory()
    entry = _entry(me, _item(months_min=None))
    assert _apply(_subject_client(me), entry, dt.date(2026, 10, 28)).status_code == 302


# --- the officer's exit as repaired, and the decision on an application -----------------------


def test_the_officer_exits_as_repaired_only_from_the_first_day():
    """The day after the entry took effect, as the day before the minimum ends, is refused
    with the first day; that day it is taken."""
    entry = _entry(SubjectFactory(), _item())
    officer = _officer(entry)
    for day in (dt.date(2026, 10, 28), MINIMUM_ENDS):
        with clock.frozen(day), pytest.raises(XinyongError) as refused:
            listing_services.exit_entry(entry.pk, actor=officer, reason="repaired", note="已修复")
        assert (refused.value.code, refused.value.status) == ("repair-before-minimum", 409)
        assert "自 2027-10-28 起方可以信用修复为由移出" in refused.value.message
        assert refused.value.details["repairable_from"] == "2027-10-28"
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE
    with clock.frozen(FIRST_DAY):
        listing_services.exit_entry(entry.pk, actor=officer, reason="repaired", note="已修复")
    entry.refresh_from_db()
    assert (entry.state, entry.exit_reason, entry.exited_on) == (
        EntryState.EXITED, ExitReason.REPAIRED, FIRST_DAY,
    )  # fmt: skip


def test_the_api_refuses_a_repaired_exit_before_the_items_minimum():
    entry = _entry(SubjectFactory(), _item())
    token, _ = tokens.create_token(actor="test", user=_officer(entry))
    api = Client(headers={"Authorization": f"Bearer {token}"})

    def exit_on(day):
        entry.refresh_from_db()
        with clock.frozen(day):
            return api.post(
                f"/api/v1/listings/entries/{entry.pk}/exit",
                {"reason": "repaired", "note": "已修复", "version": entry.version},
                content_type="application/json",
            )

    early = exit_on(MINIMUM_ENDS)
    assert (early.status_code, early.json()["code"]) == (409, "repair-before-minimum")
    assert "2027-10-28" in early.json()["message"]
    assert exit_on(FIRST_DAY).status_code == 200
    entry.refresh_from_db()
    assert entry.exit_reason == ExitReason.REPAIRED


def test_the_office_form_refuses_a_repaired_exit_before_the_items_minimum():
    entry = _entry(SubjectFactory(), _item())
    office = Client()
    office.force_login(_officer(entry))
    with clock.frozen(MINIMUM_ENDS):
        answer = office.post(
            f"/office/entries/{entry.pk}/exit/",
            {"reason": "repaired", "note": "已修复", "version": entry.version},
        )
    assert answer.status_code == 409
    assert "自 2027-10-28 起方可以信用修复为由移出" in answer.content.decode()
    entry.refresh_from_db()
    assert entry.state == EntryState.EFFECTIVE


def test_an_application_sent_before_its_list_took_an_item_is_accepted_only_from_the_first_day():
    """The list was put under a catalog item with a minimum after the application was sent:
    accepting is held to it, and the application stays open until then."""
    me = SubjectFactory()
    entry = _entry(me, None)
    assert _apply(_subject_client(me), entry, dt.date(2026, 11, 16)).status_code == 302
    ListDefinition.objects.filter(pk=entry.list_id).update(catalog_item=_item())
    application = RepairApplication.objects.get(entry=entry)
    officer = _officer(entry)
    with clock.frozen(MINIMUM_ENDS), pytest.raises(XinyongError) as refused:
        repairs.decide_repair(
            application.pk, actor=officer, action=RepairAction.ACCEPT, reasons="材料齐全"
        )
    assert refused.value.code == "repair-before-minimum"
    assert refused.value.details["repairable_from"] == "2027-10-28"
    application.refresh_from_db()
    assert application.state == RepairState.SUBMITTED
    with clock.frozen(FIRST_DAY):
        repairs.decide_repair(
            application.pk, actor=officer, action=RepairAction.ACCEPT, reasons="材料齐全"
        )
    application.refresh_from_db()
    entry.refresh_from_db()
    assert (application.state, entry.exit_reason) == (RepairState.ACCEPTED, ExitReason.REPAIRED)


# --- a list's validity and its item's maximum -------------------------------------------------


@pytest.mark.parametrize(
    ("value", "unit", "refused"),
    [
        (3, "years", False),
        (5, "years", True),  # the serious tier publishes for 3 years at most
        (36, "months", False),
        (37, "months", True),
        (1095, "days", False),  # 3 years without a 29 February
        (1096, "days", True),  # ends after the maximum when no 29 February falls within
        (None, "years", True),  # until the exit: no end at all
    ],
)
def test_a_lists_validity_beyond_its_items_maximum_is_refused(value, unit, refused):
    definition = ListDefinitionFactory.build(
        catalog_item=_item(), validity_value=value, validity_unit=unit, domain=DomainFactory(),
        recognizing_department=DepartmentFactory(),
    )  # fmt: skip
    if not refused:
        definition.full_clean()
        return
    with pytest.raises(ValidationError) as error:
        definition.full_clean()
    assert "validity_value" in error.value.message_dict
    assert "36" in error.value.message_dict["validity_value"][0]


def test_an_item_without_a_maximum_limits_no_validity():
    ListDefinitionFactory.build(
        catalog_item=_item(months_max=None), validity_value=None, domain=DomainFactory(),
        recognizing_department=DepartmentFactory(),
    ).full_clean()  # fmt: skip


def test_a_stored_list_already_too_long_stays_editable_but_its_validity_is_not_lengthened():
    """Its data is not changed under it: another field may be edited; a change of its validity,
    or of its item, must come within the maximum."""
    stored = ListDefinitionFactory(catalog_item=_item(), validity_value=5)
    stored.criteria = "修改后的认定标准"
    stored.full_clean()
    stored.validity_value = 6
    with pytest.raises(ValidationError):
        stored.full_clean()
    stored.validity_value = 3
    stored.full_clean()


def test_the_admin_refuses_a_list_valid_beyond_its_items_maximum():
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", "", "x"))
    department = DepartmentFactory()
    form = {"code": "black-x", "name": "严重失信名单", "kind": "black",
            "domain": DomainFactory().pk, "recognizing_department": department.pk,
            "criteria": "标准", "legal_basis": "依据", "validity_unit": "years",
            "publicity_workdays": 20, "catalog_item": _item().pk}  # fmt: skip
    refused = client.post("/admin/listings/listdefinition/add/", {**form, "validity_value": 5})
    assert refused.status_code == 200
    assert "validity_value" in refused.context["adminform"].form.errors
    made = client.post("/admin/listings/listdefinition/add/", {**form, "validity_value": 3})
    assert made.status_code == 302


def test_the_system_check_names_the_stored_lists_valid_beyond_their_items_maximum():
    item = _item()
    ListDefinitionFactory(code="black-too-long", catalog_item=item, validity_value=5)
    ListDefinitionFactory(code="black-within", catalog_item=item, validity_value=3)
    ListDefinitionFactory(code="no-item", catalog_item=None, validity_value=None)
    found = listing_checks.list_validity_within_publication(None)
    assert [type(w) for w in found] == [CheckWarning]
    assert "black-too-long" in found[0].msg
    assert "black-within" not in found[0].msg and "no-item" not in found[0].msg
