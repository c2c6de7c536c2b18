"""An officer looks a person up with a purpose; a reviewer finds that look-up, filters, exports
(R14), in a real browser."""

import csv
import io

import pytest
from django.contrib.auth.models import Group

from tests.factories import DepartmentFactory, OfficerFactory, SubjectFactory
from xinyong.audit import purposes
from xinyong.audit.models import QueryKind, QueryPurpose, QueryRegistration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def log_in(page, base_url: str, username: str, then: str) -> None:
    page.goto(f"{base_url}/office/login/?next={then}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base_url + then)


def test_a_look_up_is_registered_and_reviewed(live_server, page, browser, tmp_path):
    purposes.ensure_built_in(QueryPurpose)  # an earlier browser test emptied the tables
    OfficerFactory(department=DepartmentFactory(code="scjg"), user__username="scjg_officer")
    reviewer = OfficerFactory(department=DepartmentFactory(credit_office=True, code="xyb"),
                              user__username="reviewer")  # fmt: skip
    reviewer.user.groups.add(Group.objects.get_or_create(name="credit_reviewer")[0])
    person = SubjectFactory(natural_person=True, name="王小明")

    log_in(page, live_server.url, "scjg_officer", "/office/subjects/")
    page.fill("#id_query", person.reveal_identifier())
    page.click("form.subject-search button[type=submit]")
    assert "王小明" not in page.content()  # no purpose chosen: nothing shows
    page.select_option("#id_purpose", "regulatory_supervision")
    page.fill("#id_query", person.reveal_identifier())
    page.fill("#id_purpose_detail", "杭市监检〔2026〕3号")
    page.click("form.subject-search button[type=submit]")
    page.wait_for_selector("dd[data-kind=natural_person]")
    assert "王小明" in page.content()
    assert QueryRegistration.objects.get().kind == QueryKind.SUBJECT_PAGE

    reviewer_page = browser.new_context(locale="zh-CN").new_page()
    log_in(reviewer_page, live_server.url, "reviewer", "/office/queries/")
    reviewer_page.fill("#id_account", "scjg_officer")
    reviewer_page.click("form.query-filter button[type=submit]")
    reviewer_page.wait_for_selector("tr[data-kind=subject_page]")
    row = reviewer_page.locator("tr[data-kind=subject_page]").inner_text()
    assert "scjg_officer" in row and "杭市监检〔2026〕3号" in row and "王某" in row
    assert "王小明" not in reviewer_page.content()  # the reviewer sees whom, masked

    with reviewer_page.expect_download() as download:
        reviewer_page.click("a[data-export]")
    saved = tmp_path / "queries.csv"
    download.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert [row[3] for row in rows[1:]] == ["scjg_officer"]
    export = QueryRegistration.objects.get(kind=QueryKind.EXPORT)
    assert (export.actor, export.purpose_id) == ("reviewer", purposes.QUERY_REVIEW)
    reviewer_page.context.close()
