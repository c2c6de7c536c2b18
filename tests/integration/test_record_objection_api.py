"""Objections to credit records over the API, for the recording department's own system, with
the rights the office pages give (R6): its own objections only, each with its evidence and the
fields a correction may change; registered on paper; decided once, correcting or revoking;
every answer naming a person registered (R14)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import subject_remedies as shared
from tests.factories import (
    CatalogItemFactory,
    CreditRecordFactory,
    OfficerFactory,
    SubjectFactory,
)
from tests.subject_remedies import PDF, account_of
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry, QueryRegistration
from xinyong.catalog.models import RecordFormat
from xinyong.core import clock
from xinyong.remedies import record_objections
from xinyong.remedies.models import RecordObjection

pytestmark = pytest.mark.django_db
D = dt.date
DAY = D(2026, 11, 16)
stored_files = shared.stored_files  # the shared fixture


def _record(subject=None):
    item = CatalogItemFactory(record_format=RecordFormat.PENALTY)
    return CreditRecordFactory(
        subject=subject or SubjectFactory(name="杭州某某科技有限公司"), catalog_item=item,
        content={"CF_SY": "未按规定公示年度报告", "CF_YJ": "第八条"}, title="年报",
        published_on=D(2026, 9, 3), publication_ends_on=D(2027, 9, 1),
        sharing_ends_on=D(2027, 9, 1),
    )  # fmt: skip


def _objected(record, files=()):
    user = account_of(record.subject)
    with clock.frozen(DAY):
        return record_objections.object_to_record(
            record.pk, actor=user, grounds="事实有误", files=files
        )


def _api(department) -> Client:
    user = OfficerFactory(department=department).user
    token, _ = tokens.create_token(actor="test", user=user)
    return Client(headers={"Authorization": f"Bearer {token}"})


def _post(client, path, **payload):
    with clock.frozen(DAY):
        return client.post(
            f"/api/v1/record-objections{path}", payload, content_type="application/json"
        )


def _get(client, path=""):
    with clock.frozen(DAY):
        return client.get(f"/api/v1/record-objections{path}")


def test_the_department_lists_reads_and_downloads_its_own():
    record = _record()
    evidence = SimpleUploadedFile("复议决定书.pdf", PDF, content_type="application/pdf")
    objection = _objected(record, files=[evidence])
    api = _api(record.department)
    listed = _get(api).json()
    assert [(o["id"], o["state"], o["due_on"]) for o in listed["items"]] == [
        (objection.pk, "verifying", str(objection.due_on))
    ]
    one = _get(api, f"/{objection.pk}").json()
    assert one["grounds"] == "事实有误" and one["evidence"][0]["name"] == "复议决定书.pdf"
    facts = {"key": "CF_SY", "label": "违法事实", "value": "未按规定公示年度报告"}
    assert facts in one["correctable"]
    file = _get(api, f"/{objection.pk}/evidence/{one['evidence'][0]['id']}")
    assert file.status_code == 200 and b"".join(file.streaming_content) == PDF
    stranger = _api(OfficerFactory().department)
    assert _get(stranger).json()["items"] == []
    assert _get(stranger, f"/{objection.pk}").status_code == 404


def test_deciding_over_the_api_corrects_once_and_says_what_is_refused():
    record = _record()
    objection = _objected(record)
    api = _api(record.department)
    unused = _post(api, f"/{objection.pk}/decide", finding="unfounded", statement="维持",
                   outcome="revoke")  # fmt: skip
    assert unused.status_code == 422 and unused.json()["code"] == "outcome-unused"
    wrong = _post(api, f"/{objection.pk}/decide", finding="founded", statement="成立",
                  outcome="correct", corrections={"CF_WSH": "新文号"})  # fmt: skip
    assert wrong.status_code == 422 and wrong.json()["code"] == "correction-field-not-allowed"
    done = _post(api, f"/{objection.pk}/decide", finding="founded", statement="依据有误",
                 outcome="correct", corrections={"CF_YJ": "第十条"})  # fmt: skip
    assert done.status_code == 200
    body = done.json()
    assert (body["state"], body["outcome"], body["correctable"]) == ("founded", "correct", [])
    assert body["corrections"]["CF_YJ"]["after"] == "第十条" and "书面致歉" in body["result_letter"]
    again = _post(api, f"/{objection.pk}/decide", finding="unfounded", statement="维持")
    assert again.status_code == 409
    record.refresh_from_db()
    assert record.content["CF_YJ"] == "第十条"
    assert AuditEntry.objects.filter(action="remedies.record_objection.founded").count() == 1


@pytest.mark.parametrize(
    "corrections",
    [{"CF_YJ": "\ud800"}, {"title": "\udfff摘要"}, {"CF_YJ": "第\x00十条"}, {"\ud800": "第十条"}],
    ids=["lone-surrogate", "lone-surrogate-in-title", "nul", "lone-surrogate-key"],
)
def test_a_correction_that_is_no_storable_text_is_refused_and_leaves_it_open(corrections):
    """A lone surrogate or a NUL is valid JSON but no text a record or a letter can hold: a
    422 saying so, as for any other text of a request (R6), never a 500 nor a stored NUL."""
    record = _record()
    objection = _objected(record)
    refused = _post(_api(record.department), f"/{objection.pk}/decide", finding="founded",
                    statement="依据有误", outcome="correct", corrections=corrections)  # fmt: skip
    assert refused.status_code == 422, refused.content
    assert refused.json()["code"] == "invalid-request"
    assert "无法保存" in refused.json()["message"]
    objection.refresh_from_db()
    record.refresh_from_db()
    assert (objection.state, objection.result_letter) == ("verifying", "")
    assert (record.title, record.content["CF_YJ"]) == ("年报", "第八条")


def test_a_paper_objection_is_registered_for_the_departments_own_record_only():
    record = _record()
    api = _api(record.department)
    blank = _post(api, "", record_id=record.pk, grounds="  ")
    assert blank.status_code == 422
    made = _post(api, "", record_id=record.pk, grounds="金额有误")
    assert made.status_code == 200 and made.json()["registered_by"]
    twice = _post(api, "", record_id=record.pk, grounds="再次")
    assert twice.status_code == 409 and twice.json()["code"] == "objection-pending"
    other = _record()
    assert _post(api, "", record_id=other.pk, grounds="有误").status_code == 404
    assert RecordObjection.objects.count() == 1


def test_every_answer_naming_a_person_is_registered():
    record = _record(SubjectFactory(natural_person=True, name="许某某"))
    objection = _objected(record)
    api = _api(record.department)
    _get(api)
    _get(api, f"/{objection.pk}")
    assert sorted(QueryRegistration.objects.values_list("kind", flat=True)) == [
        "entry_list", "entry_read",
    ]  # fmt: skip
