"""An entry whose validity has ended counts no more from the next day (R4), whether or not the
daily job has yet recorded its exit: the subject's own page and ``GET /api/v1/me``, and the
recognizing department's entry page, say so as checks, screening and the public lists already
act on it; a record's publication likewise (R8)."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils.translation import gettext

from tests.factories import (
    CreditRecordFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from xinyong.access.models import SubjectAccount
from xinyong.api import tokens
from xinyong.catalog.models import PublicationTier
from xinyong.core import clock
from xinyong.listings.models import EntryState
from xinyong.remedies import repairs

pytestmark = pytest.mark.django_db
D = dt.date
LAST_DAY = D(2026, 9, 30)
AWAITING = "Validity ended, awaiting removal from the list"


@pytest.fixture
def person():
    return SubjectFactory(natural_person=True, name="许本人")


@pytest.fixture
def own(person) -> Client:
    user = UserFactory(username="xu")
    SubjectAccount.objects.create(user=user, subject=person)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def entry(person):
    """Effective through 30 September 2026; the daily job has not run since."""
    return ListEntryFactory(subject=person, effective=True, valid_until=LAST_DAY)


def _own_row(client: Client, entry) -> str:
    html = client.get("/my/").content.decode()
    return re.search(rf'<tr data-entry="{entry.pk}">.*?</tr>', html, re.S).group(0)


def _state_cell(row: str) -> str:
    """The state column of a row on ``/my/`` (list, department, state, …)."""
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[2]


def _office_state(entry) -> str:
    office = Client()
    office.force_login(OfficerFactory(department=entry.list.recognizing_department).user)
    page = office.get(f"/office/entries/{entry.pk}/")
    assert page.status_code == 200
    return re.search(r'<dd data-state="[^"]*">([^<]*)</dd>', page.content.decode()).group(1)


def test_the_rule_is_the_day_after_the_last_day_of_validity(entry):
    with clock.frozen(LAST_DAY):
        assert entry.is_in_force and not entry.awaits_expiry
        assert entry.state_label == entry.get_state_display()
    with clock.frozen(LAST_DAY + dt.timedelta(days=1)):
        assert not entry.is_in_force and entry.awaits_expiry
        assert entry.state_label == gettext(AWAITING)
    entry.valid_until = None  # no end: in force until it exits
    with clock.frozen(D(2040, 1, 1)):
        assert entry.is_in_force and not entry.awaits_expiry


def test_an_entry_not_yet_effective_or_already_exited_awaits_nothing(person):
    for trait in ("in_publicity", "exited"):
        entry = ListEntryFactory(subject=person, **{trait: True})
        entry.valid_until = D(2026, 1, 1)
        with clock.frozen(D(2026, 10, 1)):
            assert not entry.is_in_force and not entry.awaits_expiry
            assert entry.state_label == entry.get_state_display()


def test_the_subjects_own_page_no_longer_says_effective(own, entry):
    with clock.frozen(LAST_DAY):
        assert _state_cell(_own_row(own, entry)) == gettext("Effective")
    with clock.frozen(LAST_DAY + dt.timedelta(days=1)):
        cell = _state_cell(_own_row(own, entry))
    assert cell == gettext(AWAITING)
    assert cell != gettext("Effective") and "生效" not in cell


def test_the_own_record_over_the_api_says_it_is_no_longer_in_force(own, entry):
    with clock.frozen(LAST_DAY):
        before = own.get("/api/v1/me").json()["entries"]
    with clock.frozen(LAST_DAY + dt.timedelta(days=1)):
        after = own.get("/api/v1/me").json()["entries"]
    assert [(e["id"], e["state"], e["in_force"]) for e in before] == [(entry.pk, "effective", True)]
    # The state stays the stored one (its exit is recorded by the daily job, with its reason);
    # whether it still counts is told apart, as checks and the public lists read it.
    assert [(e["id"], e["state"], e["in_force"], e["valid_until"]) for e in after] == [
        (entry.pk, "effective", False, "2026-09-30")
    ]


def test_an_entry_in_publicity_is_not_in_force_over_the_api(own, person):
    ListEntryFactory(subject=person, in_publicity=True)
    assert [e["in_force"] for e in own.get("/api/v1/me").json()["entries"]] == [False]


def test_the_api_documents_the_new_field():
    from xinyong.api.main import api

    schema = api.get_openapi_schema()["components"]["schemas"]["OwnEntryOut"]
    assert "in_force" in schema["required"]
    assert "有效期" in schema["properties"]["in_force"]["description"]


def test_the_office_entry_page_no_longer_says_effective(entry):
    with clock.frozen(LAST_DAY):
        assert _office_state(entry) == gettext("Effective")
    with clock.frozen(LAST_DAY + dt.timedelta(days=1)):
        assert _office_state(entry) == gettext(AWAITING)


def test_after_the_daily_job_the_pages_say_exited_as_before(own, entry):
    entry.state, entry.exited_on = EntryState.EXITED, LAST_DAY + dt.timedelta(days=1)
    entry.save(update_fields=["state", "exited_on"])
    with clock.frozen(LAST_DAY + dt.timedelta(days=1)):
        assert _state_cell(_own_row(own, entry)).startswith(gettext("Exited"))
        assert _office_state(entry) == gettext("Exited")
        assert own.get("/api/v1/me").json()["entries"][0]["in_force"] is False


# --- a record's publication over the repair API ------------------------------------------------


def test_a_records_publication_ends_with_its_window_not_with_the_daily_job(settings, tmp_path):
    """Public to 2027-09-01: on 2 September the repair API says it is no longer published,
    as the double-publicity register no longer shows it, before the daily job writes the stop."""
    settings.VAR_DIR = tmp_path
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
    record = CreditRecordFactory(
        subject=SubjectFactory(name="杭州某某餐饮有限公司"), tier=PublicationTier.GENERAL,
        published_on=D(2026, 9, 3), publication_min_ends_on=D(2026, 12, 1),
        publication_ends_on=D(2027, 9, 1), sharing_ends_on=D(2027, 12, 1),
    )  # fmt: skip
    user = UserFactory()
    SubjectAccount.objects.create(user=user, subject=record.subject)
    with clock.frozen(D(2027, 3, 2)):
        application = repairs.apply_for_record(
            record.pk, actor=user, corrected="已缴清罚款",
            materials={
                "fulfilment": [SimpleUploadedFile("a.pdf", pdf, content_type="application/pdf")],
                "commitment": [SimpleUploadedFile("b.pdf", pdf, content_type="application/pdf")],
            },
        )  # fmt: skip
    token, _ = tokens.create_token(
        actor="test", user=OfficerFactory(department=application.department).user
    )
    api = Client(headers={"Authorization": f"Bearer {token}"})

    def published_on(day):
        with clock.frozen(day):
            answer = api.get(f"/api/v1/repairs/{application.pk}")
        assert answer.status_code == 200
        return answer.json()["record"]["is_published"]

    assert published_on(D(2027, 9, 1)) is True
    assert published_on(D(2027, 9, 2)) is False


def test_the_office_subject_page_no_longer_says_effective(entry):
    """The recognizing department's dossier of the subject: the same label as the entry page."""
    office = Client()
    office.force_login(OfficerFactory(department=entry.list.recognizing_department).user)
    for day, label in ((LAST_DAY, "Effective"), (LAST_DAY + dt.timedelta(days=1), AWAITING)):
        with clock.frozen(day):
            page = office.post(
                f"/office/subjects/{entry.subject.pk}/",
                {"purpose": "regulatory_supervision", "purpose_detail": "检查"},
            )
        assert page.status_code == 200
        row = re.search(r'<tr data-state="effective">.*?</tr>', page.content.decode(), re.S)
        assert _state_cell(row.group(0)).startswith(gettext(label))
