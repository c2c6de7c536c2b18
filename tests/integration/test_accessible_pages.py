"""Accessibility of the pages' HTML (GB/T 37668-2019, WCAG 2.1 AA): unique ids, labels and
errors tied to their fields, a way past the menu, headings."""

import datetime as dt
import re

import pytest
from django.test import Client

from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory, UserFactory
from tests.html_checks import dangling_references, duplicate_ids, zh
from xinyong.core import clock
from xinyong.listings.models import ListKind

pytestmark = pytest.mark.django_db
D = dt.date


ERROR = zh("Error:")  # 错误：
SKIP = zh("Skip to the main content")  # 跳到主要内容


@pytest.fixture
def black_list():
    return ListDefinitionFactory(kind=ListKind.BLACK)


@pytest.fixture
def officer_client(client, black_list):
    client.force_login(OfficerFactory(department=black_list.recognizing_department).user)
    return client


def test_the_forms_of_an_entry_under_verification_have_their_ownids(officer_client, black_list):
    """Two forms ask for a finding: each label names its own form's field."""
    from xinyong.access.models import SubjectAccount
    from xinyong.remedies import services as remedies

    entry = ListEntryFactory(list=black_list, in_publicity=True)
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=entry.subject)
    with clock.frozen(D(2026, 10, 13)):
        remedies.object_to_entry(entry.pk, actor=account, grounds="处罚决定已被撤销")
        html = officer_client.get(f"/office/entries/{entry.pk}/").content.decode()
    assert 'data-action="reject"' in html and 'data-action="uphold"' in html
    assert duplicate_ids(html) == []
    assert dangling_references(html) == []
    reject = html[html.index('data-action="reject"') :]
    reject = reject[: reject.index("</form>")]
    assert 'for="id_reject_finding"' in reject and 'id="id_reject_finding"' in reject


def test_a_failed_entry_action_keeps_its_ownids(officer_client, black_list):
    entry = ListEntryFactory(list=black_list, effective=True)
    response = officer_client.post(
        f"/office/entries/{entry.pk}/object/", {"version": entry.version, "objector": "  "}
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert duplicate_ids(html) == []
    assert dangling_references(html) == []


# -- errors tied to their fields -------------------------------------------------------------


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S)[1].strip()


def _failed_form(html: str, *fields: str) -> None:
    """A summary at the top says the form was not sent, the title says it first, and each
    field's message carries the id the field's ``aria-describedby`` names."""
    assert _title(html).startswith(ERROR)
    assert 'role="alert" data-error="summary"' in html
    assert duplicate_ids(html) == []
    assert dangling_references(html) == []
    for field in fields:
        assert re.search(
            rf'id="id_{field}"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="id_{field}"',
            html,
        ) or (f'aria-describedby="id_{field}_error"' in html), field
        assert f'id="id_{field}_error"' in html


@pytest.fixture
def red():
    definition = ListDefinitionFactory(kind=ListKind.RED, name="纳税信用A级名单")
    return ListEntryFactory(list=definition, effective=True)


def test_a_report_with_a_mistake_ties_each_message_to_its_field(client, red):
    answer = client.post(
        f"/reports/entries/{red.pk}/",
        {"facts": "", "evidence": "", "reporter_name": "王某", "reporter_contact": "12345"},
    )
    assert answer.status_code == 422
    _failed_form(answer.content.decode(), "facts", "reporter_contact")


def test_the_report_form_asks_for_the_reporters_name_as_a_name(client, red):
    html = client.get(f"/reports/entries/{red.pk}/").content.decode()
    assert re.search(r'<input[^>]*name="reporter_name"[^>]*autocomplete="name"', html)


def test_a_lookup_with_a_mistake_ties_each_message_to_its_field(client):
    html = client.post("/reports/lookup/", {"number": "", "code": ""}).content.decode()
    _failed_form(html, "number", "code")


def test_a_decision_on_a_report_with_a_mistake_ties_each_message_to_its_field(red):
    from xinyong.reports import services

    report = services.receive_report(
        red.pk, facts="该主体存在失信行为", evidence="", reporter_name="王某",
        reporter_contact="13812345678",
    ).report  # fmt: skip
    office = Client()
    office.force_login(OfficerFactory(department=red.list.recognizing_department).user)
    html = office.post(f"/office/reports/{report.pk}/", {"reasons": ""}).content.decode()
    _failed_form(html, "reasons")
    assert 'id="id_founded_error"' in html
    decision = html[html.index('data-form="decide"') :]
    assert re.search(r"<fieldset[^>]*>\s*<legend>", decision[: decision.index('name="founded"')])


@pytest.mark.parametrize("path", ["/login/", "/office/login/"])
def test_a_failed_log_in_says_so_as_an_alert(client, path):
    html = client.post(path, {"username": "nobody", "password": "wrong"}).content.decode()
    assert _title(html).startswith(ERROR)
    assert re.search(r'<p class="message error"[^>]*role="alert"[^>]*>用户名或密码错误。', html)


def _credit_record():
    from tests.factories import CatalogItemFactory, CreditRecordFactory, SubjectFactory
    from xinyong.catalog.models import RecordFormat

    item = CatalogItemFactory(record_format=RecordFormat.PENALTY, name="行政处罚信息")
    content = {"CF_SY": "未按规定公示年度报告", "CF_YJ": "《企业信息公示暂行条例》第八条",
               "CF_NR": "警告", "CF_CFLB": "警告"}  # fmt: skip
    return CreditRecordFactory(
        subject=SubjectFactory(), catalog_item=item, title="未按规定公示年度报告",
        published_on=D(2026, 9, 3), publication_ends_on=D(2027, 9, 1),
        sharing_ends_on=D(2027, 9, 1), content=content,
    )  # fmt: skip


@pytest.fixture
def record_office(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    record = _credit_record()
    office = Client()
    office.force_login(OfficerFactory(department=record.department).user)
    return record, office


def test_registering_a_paper_objection_names_its_help_and_its_errors(record_office):
    record, office = record_office
    with clock.frozen(D(2026, 11, 16)):
        page = office.get(f"/office/records/{record.pk}/objection/").content.decode()
        assert dangling_references(page) == []
        failed = office.post(f"/office/records/{record.pk}/objection/", {"grounds": " "})
    _failed_form(failed.content.decode(), "grounds")


def test_deciding_a_record_objection_with_a_mistake_ties_the_message_to_its_field(record_office):
    from xinyong.access.models import SubjectAccount
    from xinyong.remedies import record_objections

    record, office = record_office
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=record.subject)
    with clock.frozen(D(2026, 11, 16)):
        objection = record_objections.object_to_record(record.pk, actor=account, grounds="有误")
        html = office.post(f"/office/record-objections/{objection.pk}/",
                           {"finding": "unfounded", "outcome": "correct", "statement": ""},
                           ).content.decode()  # fmt: skip
    _failed_form(html, "statement")


def test_a_subjects_objection_with_a_mistake_ties_the_message_to_its_field(record_office):
    from xinyong.access.models import SubjectAccount

    record, _ = record_office
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=record.subject)
    client = Client()
    client.force_login(account)
    with clock.frozen(D(2026, 11, 16)):
        html = client.post(f"/my/records/{record.pk}/objection/", {"grounds": " "}).content.decode()
    _failed_form(html, "grounds")


# -- a way past the menu, headings -----------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/login/", "/office/login/"])
def test_the_first_thing_on_a_page_skips_to_its_main_content(client, path):
    html = client.get(path).content.decode()
    body = html[html.index("<body>") + len("<body>") :].lstrip()
    assert body.startswith(f'<a href="#main" class="skip-link">{SKIP}</a>')
    assert '<main id="main">' in html


def test_the_home_page_has_a_first_level_heading(client):
    assert "<h1" in client.get("/").content.decode()


@pytest.mark.parametrize("base", ["portal", "office"])
def test_a_refusal_page_has_a_title_and_a_heading(rf, base):
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    from xinyong.core.errors import XinyongError

    request = rf.get("/")
    request.user = AnonymousUser()
    error = XinyongError("access-denied", "无权访问", status=403)
    html = render_to_string(f"{base}/refused.html", {"error": error}, request=request)
    assert re.search(r"<h1[^>]*>", html)
    assert _title(html).startswith(f"{ERROR}无权访问")
