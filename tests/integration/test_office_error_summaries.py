"""The error summary of the office's repair decision and of an entry's actions (GB/T 37668-2019,
WCAG 2.1 3.3.1, 1.3.1): a failed form says so in the page's title and in a summary that alerts,
each of whose links lands on an element the page has, a radio or checkbox group included, and
each message is tied to its field or group."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import (
    CreditRecordFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    SubjectFactory,
    UserFactory,
)
from tests.html_checks import dangling_references, duplicate_ids, ids, zh
from xinyong.access.models import SubjectAccount
from xinyong.catalog.models import PublicationTier
from xinyong.core import clock
from xinyong.listings.models import ListKind

pytestmark = pytest.mark.django_db
D = dt.date
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


ERROR = zh("Error:")  # 错误：


def _summary(html: str) -> str:
    start = html.index('data-error="summary"')
    return html[html.rindex("<div", 0, start) : html.index("</div>", start)]


def _targets(html: str) -> list[str]:
    """The ids the summary's links go to, each checked to be one element's on the page."""
    summary = _summary(html)
    assert 'role="alert"' in summary[: summary.index(">")]
    targets = re.findall(r'<a href="#([^"]*)"', summary)
    present = ids(html)
    assert [target for target in targets if present[target] != 1] == [], targets
    return targets


def _tag(html: str, element_id: str) -> str:
    """The opening tag of the element with ``element_id``."""
    at = html.index(f' id="{element_id}"')
    return html[html.rindex("<", 0, at) : html.index(">", at) + 1]


def _described_by(tag: str) -> list[str]:
    found = re.search(r'aria-describedby="([^"]+)"', tag)
    return found[1].split() if found else []


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S)[1].strip()


def _failed(html: str) -> None:
    assert _title(html).startswith(ERROR)
    assert duplicate_ids(html) == []
    assert dangling_references(html) == []


# -- the repair decision ---------------------------------------------------------------------


@pytest.fixture
def repair(settings, tmp_path):
    """A serious record's open repair application, and an officer of its department."""
    from xinyong.remedies import repairs

    settings.VAR_DIR = tmp_path
    subject = SubjectFactory()
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=subject)
    record = CreditRecordFactory(
        subject=subject, tier=PublicationTier.SERIOUS, is_serious=True,
        published_on=D(2026, 9, 3), publication_min_ends_on=D(2027, 9, 1),
        publication_ends_on=D(2029, 9, 1), sharing_ends_on=D(2029, 9, 1),
    )  # fmt: skip
    materials = {
        kind: [SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf")]
        for kind in ("fulfilment", "commitment")
    }
    with clock.frozen(D(2027, 9, 2)):
        application = repairs.apply_for_record(
            record.pk, actor=account, corrected="已缴清罚款并完成整改", materials=materials
        )
    office = Client()
    office.force_login(OfficerFactory(department=record.department).user)
    return application, office


def test_the_repair_outcomes_error_links_to_its_radio_group(repair):
    """(R8) The outcome's radios are written by hand: the summary's link lands on their
    fieldset, which the message describes."""
    application, office = repair
    with clock.frozen(D(2027, 9, 10)):
        answer = office.post(
            f"/office/repairs/{application.pk}/",
            {"decision": "accept", "outcome": "bogus", "reasons": ""},
        )
    assert answer.status_code == 422
    html = answer.content.decode()
    _failed(html)
    assert _targets(html) == ["id_outcome", "id_reasons"]
    group = _tag(html, "id_outcome")
    assert group.startswith("<fieldset") and 'data-field="outcome"' in group
    assert "id_outcome_error" in _described_by(group)
    assert 'id="id_outcome_error"' in html


def test_a_shortened_day_refused_links_to_the_date(repair):
    """A day the service refuses is said beside the date field the summary links to (R8)."""
    application, office = repair
    with clock.frozen(D(2027, 9, 10)):
        answer = office.post(
            f"/office/repairs/{application.pk}/",
            {"decision": "accept", "outcome": "shorten", "ends_on": "2031-01-01",
             "reasons": "已履行"},
        )  # fmt: skip
    html = answer.content.decode()
    _failed(html)
    assert _targets(html) == ["id_ends_on"]
    assert "id_ends_on_error" in _described_by(_tag(html, "id_ends_on"))


def test_the_report_decisions_radio_error_links_to_its_group():
    """The radios Django writes (R7): the link lands on their group, inside the fieldset."""
    from xinyong.reports import services

    red = ListEntryFactory(list=ListDefinitionFactory(kind=ListKind.RED), effective=True)
    report = services.receive_report(
        red.pk, facts="该主体存在失信行为", evidence="", reporter_name="王某",
        reporter_contact="13812345678",
    ).report  # fmt: skip
    office = Client()
    office.force_login(OfficerFactory(department=red.list.recognizing_department).user)
    html = office.post(f"/office/reports/{report.pk}/", {"reasons": ""}).content.decode()
    _failed(html)
    assert _targets(html) == ["id_founded", "id_reasons"]


# -- an entry's actions ----------------------------------------------------------------------


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK)


@pytest.fixture
def officer(client, black_list):
    client.force_login(OfficerFactory(department=black_list.recognizing_department).user)
    return client


def _action_form(html: str, action: str) -> str:
    form = html[html.index(f'data-action="{action}"') :]
    return form[: form.index("</form>")]


def test_an_entry_page_without_a_failure_has_no_summary(officer, black_list):
    entry = ListEntryFactory(list=black_list, effective=True)
    html = officer.get(f"/office/entries/{entry.pk}/").content.decode()
    assert 'data-error="summary"' not in html
    assert not _title(html).startswith(ERROR)


def test_a_failed_objection_shows_a_summary_linking_its_own_fields(officer, black_list):
    """(R6) The objection's form fails: its summary, in that form, links to that form's own
    fields, its radio group included, each tied to its message."""
    entry = ListEntryFactory(list=black_list, effective=True)
    answer = officer.post(
        f"/office/entries/{entry.pk}/object/",
        {"version": entry.version, "objector_kind": "bogus", "objector": " ", "grounds": ""},
    )
    assert answer.status_code == 422
    html = answer.content.decode()
    _failed(html)
    assert html.count('data-error="summary"') == 1
    assert 'data-error="summary"' in _action_form(html, "object")
    targets = _targets(html)
    assert targets == ["id_object_objector_kind", "id_object_objector", "id_object_grounds"]
    group = _tag(html, "id_object_objector_kind")
    fieldset = html[html.rindex("<fieldset", 0, html.index(group)) :]
    assert "id_object_objector_kind_error" in _described_by(fieldset[: fieldset.index(">") + 1])
    for field in targets[1:]:
        assert f"{field}_error" in _described_by(_tag(html, field))


def test_a_failed_signature_shows_a_summary_linking_its_own_fields(client, black_list):
    """(R1, R10) The signature's form fails: the number and the checkbox group are linked."""
    department = black_list.recognizing_department
    client.force_login(OfficerFactory(department=department, signer=True).user)
    entry = ListEntryFactory(list=black_list, awaiting_signature=True)
    with clock.frozen(D(2026, 10, 27)):
        answer = client.post(
            f"/office/entries/{entry.pk}/sign/",
            {"version": entry.version, "decision_document_number": "",
             "leniency_grounds": ["bogus"]},
        )  # fmt: skip
    assert answer.status_code == 422
    html = answer.content.decode()
    _failed(html)
    assert 'data-error="summary"' in _action_form(html, "sign")
    assert _targets(html) == ["id_sign_decision_document_number", "id_sign_leniency_grounds"]


# -- an objection to a credit record ------------------------------------------------------------


def test_the_record_objections_outcome_error_links_to_its_radio_group(settings, tmp_path):
    """(R6) The founded outcome's radios are written by hand too: an outcome the form refuses
    links to their group, which its message describes."""
    from tests.integration.test_record_objections import DAY, _office, _open, _record

    settings.VAR_DIR = tmp_path
    me = SubjectFactory()
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=me)
    record = _record(me)
    objection = _open(record, account)
    with clock.frozen(DAY):
        html = _office(record).post(f"/office/record-objections/{objection.pk}/", {
            "finding": "founded", "outcome": "bogus", "statement": "成立",
        }).content.decode()  # fmt: skip
    _failed(html)
    assert "id_outcome" in _targets(html)
    group = _tag(html, "id_outcome")
    assert group.startswith("<fieldset") and 'data-field="outcome"' in group
    assert "id_outcome_error" in _described_by(group)
    assert 'id="id_outcome_error"' in html
