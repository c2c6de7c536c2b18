"""Which API token screened, to the token, as for a check (R14).

A department's tokens all act as its one system account: a batch screening registers the token
that uploaded it (on its job), and the download of its result the token that took it (on the
registration), so that a leaked token's screening of many subjects is told from the system's
own. The registry shows the token's public prefix for those rows, on the page and in the CSV.
A screening run from the command line has no token.
"""

import csv
import io

import pytest
from django.core.management import call_command
from django.test import Client

from tests.factories import DepartmentFactory, OfficerFactory, ScenarioFactory, make_citizen_id
from tests.integration import test_query_registration_review as review
from xinyong.api import tokens
from xinyong.audit.models import QueryKind, QueryRegistration
from xinyong.measures.models import ScreeningJob

pytestmark = pytest.mark.django_db

reviewer, reviewer_client = review.reviewer, review.reviewer_client
purpose_list = review.purpose_list
business_date_is_the_real_one = review.business_date_is_the_real_one

SCENARIO = "government_procurement"


@pytest.fixture
def finance(tmp_path, settings):
    settings.VAR_DIR = tmp_path
    ScenarioFactory(code=SCENARIO, name="政府采购")
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


@pytest.fixture
def account(finance):
    return OfficerFactory(department=finance).user


def client_with_token(user) -> tuple[Client, str]:
    """A client calling with a new token of ``user``, and the token's public prefix."""
    token, record = tokens.create_token(actor="test", user=user, scenarios=[SCENARIO])
    return Client(headers={"Authorization": f"Bearer {token}"}), record.prefix


def upload(api: Client) -> str:
    sent = io.BytesIO(f"code\n{make_citizen_id(7)}\n".encode())  # a person nobody is
    sent.name = "list.csv"
    answer = api.post("/api/v1/screenings", {"scenario": SCENARIO, "file": sent})
    assert answer.status_code == 202, answer.json()
    return answer.json()["id"]


def download(api: Client, job_id: str) -> None:
    answer = api.get(f"/api/v1/screenings/{job_id}/result")
    assert answer.status_code == 200
    b"".join(answer.streaming_content)


def test_each_screening_job_registers_the_token_that_uploaded_it(account):
    system, system_prefix = client_with_token(account)
    leaked, leaked_prefix = client_with_token(account)
    jobs = [upload(system), upload(leaked)]
    made = [ScreeningJob.objects.select_related("token").get(pk=pk) for pk in jobs]
    assert [job.token.prefix for job in made] == [system_prefix, leaked_prefix]
    assert len({(job.user_id, job.department_id) for job in made}) == 1


def test_a_command_line_screening_has_no_token(tmp_path, finance):
    source = tmp_path / "in.csv"
    source.write_text(f"code\n{make_citizen_id(7)}\n", encoding="utf-8")
    call_command("screen", str(source), "-o", str(tmp_path / "out.csv"), "--scenario", SCENARIO,
                 "--department", "czj", "--no-progress", stdout=io.StringIO())  # fmt: skip
    assert ScreeningJob.objects.get().token is None
    assert QueryRegistration.objects.get().token is None


def test_a_results_download_registers_the_token_that_took_it(account):
    system, system_prefix = client_with_token(account)
    leaked, leaked_prefix = client_with_token(account)
    job_id = upload(system)
    call_command("screen", "--run-pending", stdout=io.StringIO())
    download(leaked, job_id)
    download(system, job_id)
    registered = QueryRegistration.objects.select_related("token").order_by("at", "id")
    assert [r.kind for r in registered] == [QueryKind.EXPORT, QueryKind.EXPORT]
    assert [r.token.prefix for r in registered] == [leaked_prefix, system_prefix]


def test_the_registry_shows_a_downloads_token_on_the_page_and_in_the_export(
    account, reviewer_client, business_date_is_the_real_one
):
    system, system_prefix = client_with_token(account)
    leaked, leaked_prefix = client_with_token(account)
    job_id = upload(system)
    call_command("screen", "--run-pending", stdout=io.StringIO())
    download(leaked, job_id)
    download(system, job_id)
    made = {
        str(r.pk): r.token.prefix
        for r in QueryRegistration.objects.select_related("token").filter(kind=QueryKind.EXPORT)
    }
    assert sorted(made.values()) == sorted([system_prefix, leaked_prefix])
    page = review.page(reviewer_client, kind=QueryKind.EXPORT)
    assert {row.ref: row.token for row in page.context["rows"]} == made
    assert system_prefix in page.content.decode() and leaked_prefix in page.content.decode()
    answer = reviewer_client.get("/office/queries/export.csv", {"kind": QueryKind.EXPORT})
    rows = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    column, ref, actor = (rows[0].index(name) for name in ("接口令牌", "编号", "账号"))
    # The reviewer's own export is registered too, from a page: no token.
    assert {row[ref]: row[column] for row in rows[1:] if row[actor] != "reviewer"} == made
    assert {row[column] for row in rows[1:] if row[actor] == "reviewer"} <= {""}
