"""Who checked, to the token, and what free text a department sends is kept masked (R14).

Two tokens of one department's system act as the same account: each check registers which
token made it (by its row, whose public prefix the registry shows; never anything that gives
the token back), so that a leaked token's checks are told from the system's own. A citizen ID
written in a name decision's reason or in a business reference is masked before it is kept
or answered. A department no longer implementing decides on no name.
"""

import csv
import io
import uuid

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import DepartmentFactory, ScenarioFactory, SubjectFactory, make_citizen_id
from tests.integration import test_query_registration_review as review
from xinyong.api.models import ApiToken
from xinyong.api.tokens import TOKEN_PREFIX
from xinyong.measures.models import Check, CheckFeedback, NameDecision
from xinyong.subjects.name_index import reset_index

pytestmark = pytest.mark.django_db

# The registry's reviewer and purposes (autouse), and the business date on the real day.
reviewer, reviewer_client = review.reviewer, review.reviewer_client
purpose_list = review.purpose_list
business_date_is_the_real_one = review.business_date_is_the_real_one

CITIZEN_ID = "11010519491231002X"
SCENARIO = "government_procurement"


@pytest.fixture(autouse=True)
def fresh_index():
    reset_index()
    yield
    reset_index()


@pytest.fixture
def department():
    ScenarioFactory(code=SCENARIO)
    SubjectFactory(name="杭州恒泰科技有限公司")
    SubjectFactory(name="恒泰科技（宁波）有限公司")
    return DepartmentFactory(implementing=True)


def cli_client(department) -> tuple[Client, str]:
    """A client calling with a token made by ``xinyong token create``, and its prefix."""
    out = io.StringIO()
    call_command("token", "create", "--department", department.code, "--scenario", SCENARIO,
                 stdout=out, stderr=io.StringIO())  # fmt: skip
    token = out.getvalue().strip()
    prefix = ApiToken.objects.get(prefix=token[len(TOKEN_PREFIX) :][:8]).prefix
    return Client(headers={"Authorization": f"Bearer {token}"}), prefix


def by_name(api):
    return api.post("/api/v1/checks", {"name": "恒泰科技有限公司", "scenario": SCENARIO},
                    content_type="application/json").json()  # fmt: skip


def decide(api, body, reason="核实营业执照"):
    return api.post(f"/api/v1/checks/{body['check_id']}/decisions",
                    {"candidate": body["candidates"][0]["candidate"], "same_subject": True,
                     "reason": reason}, content_type="application/json")  # fmt: skip


@pytest.mark.parametrize("written", [CITIZEN_ID, "110105-19491231-002X", "110105 19491231 002X"])
def test_a_citizen_id_in_a_decisions_reason_is_kept_and_answered_masked(department, written):
    api, _ = cli_client(department)
    answered = decide(api, by_name(api), f"法定代表人身份证号{written}与投标文件一致")
    assert answered.status_code == 201
    kept = NameDecision.objects.get().reason
    for text in (kept, answered.json()["reason"]):
        assert "19491231" not in text
        assert text.startswith("法定代表人身份证号110105") and text.endswith("002X与投标文件一致")


@pytest.mark.parametrize("written", ["110105-19491231-002X", "110105 19491231 002X"])
def test_a_citizen_id_in_a_business_reference_is_kept_masked_however_written(department, written):
    api, _ = cli_client(department)
    body = by_name(api)
    sent = api.post(f"/api/v1/checks/{body['check_id']}/feedback",
                    {"business_reference": f"合同{written}", "measures": []},
                    content_type="application/json")  # fmt: skip
    assert sent.status_code == 201
    for text in (CheckFeedback.objects.get().business_reference, sent.json()["business_reference"]):
        assert "19491231" not in text


def test_each_check_registers_the_token_that_made_it(department):
    system, system_prefix = cli_client(department)
    leaked, leaked_prefix = cli_client(department)
    by_name(system)
    by_name(leaked)
    leaked.post("/api/v1/checks", {"subject": make_citizen_id(1), "scenario": SCENARIO},
                content_type="application/json")  # fmt: skip
    made = Check.objects.order_by("created_at")
    assert [c.token.prefix for c in made] == [system_prefix, leaked_prefix, leaked_prefix]
    assert len({(c.user_id, c.department_id) for c in made}) == 1


def test_the_registry_shows_each_checks_token_on_the_page_and_in_the_export(
    department, reviewer_client, business_date_is_the_real_one
):
    system, system_prefix = cli_client(department)
    leaked, leaked_prefix = cli_client(department)
    made = {by_name(system)["check_id"]: system_prefix, by_name(leaked)["check_id"]: leaked_prefix}
    page = review.page(reviewer_client, kind="check")
    assert {str(uuid.UUID(row.ref)): row.token for row in page.context["rows"]} == made
    assert system_prefix in page.content.decode() and leaked_prefix in page.content.decode()
    answer = reviewer_client.get("/office/queries/export.csv", {"kind": "check"})
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    column, ref = rows[0].index("接口令牌"), rows[0].index("编号")
    assert {str(uuid.UUID(row[ref])): row[column] for row in rows[1:]} == made


def test_a_department_no_longer_implementing_decides_on_no_name(department):
    api, _ = cli_client(department)
    body = by_name(api)
    department.is_implementing = False
    department.save()
    refused = decide(api, body)
    assert refused.status_code == 403
    assert refused.json()["code"] == "implementing-department-required"
    assert not NameDecision.objects.exists()


def test_a_department_no_longer_implementing_still_reports_what_it_did_while_it_was(department):
    # The report is owed for a business done on a check made while implementing, and the
    # cases it counts are the platform's (R11, 003 §七): stopping does not erase them.
    api, _ = cli_client(department)
    body = by_name(api)
    department.is_implementing = False
    department.save()
    sent = api.post(f"/api/v1/checks/{body['check_id']}/feedback",
                    {"business_reference": "ZB-2026-001", "measures": []},
                    content_type="application/json")  # fmt: skip
    assert sent.status_code == 201
