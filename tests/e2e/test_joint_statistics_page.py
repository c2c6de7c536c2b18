"""The credit office reads the joint reward and punishment statistics and exports them (R11,
003 §七), in a real browser."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group

from tests.factories import (
    DepartmentFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
    ScenarioFactory,
)
from xinyong.access.roles import REVIEWER_GROUP
from xinyong.api.tokens import system_account
from xinyong.core import clock
from xinyong.listings.models import ListKind
from xinyong.measures import checks, services
from xinyong.measures.models import Check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


class Granted:
    scenarios = ("government_procurement",)


def test_the_reviewer_groups_the_figures_and_exports_them(live_server, page, tmp_path):
    procurement = ScenarioFactory(code="government_procurement", name="政府采购")
    bar = MeasureFactory(code="bar-procurement", name="限制参加政府采购", list_kinds=["black"],
                         targets=["organisation"])  # fmt: skip
    bar.scenarios.add(procurement)
    finance = system_account(DepartmentFactory(implementing=True, name="财政厅"))
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK,
                             list__domain__name="市场监管")  # fmt: skip
    with clock.frozen(dt.date(2026, 11, 2)):
        made = checks.check_by_code(
            actor=finance, token=Granted(), scenario=procurement.code,
            code=entry.subject.reveal_identifier(),
        )  # fmt: skip
        services.report_feedback(
            actor=finance, check_id=made.check_id, business_reference="ZFCG-1", outcome="",
            measures=[services.ReportedMeasure("bar-procurement", True)],
        )  # fmt: skip
    assert Check.objects.count() == 1
    reviewer = OfficerFactory(department=DepartmentFactory(credit_office=True),
                              user__username="reviewer")  # fmt: skip
    reviewer.user.groups.add(Group.objects.get_or_create(name=REVIEWER_GROUP)[0])

    page.goto(f"{live_server.url}/office/login/?next=/office/joint/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/office/joint/")
    page.fill("#id_since", "2026-01-01")
    page.fill("#id_until", "2026-11-30")
    page.select_option("#id_by", "domain")
    page.click("form.joint-filter button[type=submit]")
    page.wait_for_selector("table.joint-statistics")
    row = page.locator("table.joint-statistics tbody tr").inner_text()
    assert "市场监管" in row
    assert page.locator("[data-figure=cases]").inner_text().startswith("1 件")
    assert page.locator("[data-figure=listed]").inner_text() == "1"
    assert "100.0%" in page.locator("[data-figure=share]").inner_text()

    with page.expect_download() as download:
        page.click("a[data-export]")
    saved = tmp_path / "joint.csv"
    download.value.save_as(saved)
    rows = list(csv.reader(io.StringIO(saved.read_text(encoding="utf-8-sig"))))
    assert rows[0][0] == "领域" and rows[1][0] == "市场监管" and rows[1][-1] == "1"
