"""The officer's entry page lists the entry's repair applications (R8) and the reports against
it (R7), each linking to its own page, for those whom the matrix lets open those pages (R14)."""

import datetime as dt

import pytest
from django.test import Client

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    UserFactory,
)
from xinyong.access import matrix
from xinyong.core import clock
from xinyong.listings.models import ListKind
from xinyong.remedies.models import RepairApplication, RepairState
from xinyong.reports import services as reports

pytestmark = pytest.mark.django_db
D = dt.date


def _officer_page(entry, department=None):
    office = Client()
    office.force_login(
        OfficerFactory(department=department or entry.list.recognizing_department).user
    )
    with clock.frozen(D(2026, 11, 20)):
        return office.get(f"/office/entries/{entry.pk}/")


def _application(entry, submitted_on, **fields):
    return RepairApplication.objects.create(
        subject=entry.subject, entry=entry, department=entry.list.recognizing_department,
        account=UserFactory(), corrected="已缴清罚款", submitted_on=submitted_on, **fields,
    )  # fmt: skip


@pytest.fixture
def black():
    return ListEntryFactory(effective=True, list=ListDefinitionFactory(kind=ListKind.BLACK))


@pytest.fixture
def red():
    return ListEntryFactory(effective=True, list=ListDefinitionFactory(kind=ListKind.RED))


def test_the_entry_page_lists_its_repair_applications_with_links(black):
    rejected = _application(
        black, D(2026, 10, 12), state=RepairState.REJECTED, decided_on=D(2026, 10, 20)
    )
    open_one = _application(black, D(2026, 11, 16))
    _application(ListEntryFactory(effective=True, list=black.list), D(2026, 11, 17))  # another
    answer = _officer_page(black)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert html.count("data-repair-link=") == 2
    for application in (open_one, rejected):
        assert f'href="/office/repairs/{application.pk}/"' in html
    assert html.index(f'data-repair="{open_one.pk}"') < html.index(f'data-repair="{rejected.pk}"')
    assert "2026-11-16" in html and "已提交" in html
    assert "2026-10-12" in html and "不予修复" in html and "2026-10-20" in html
    assert 'data-table="reports"' not in html and "暂无举报" not in html  # a black list


def test_a_repairable_entry_without_applications_says_so(black):
    assert "暂无信用修复申请" in _officer_page(black).content.decode()


def test_the_red_entry_page_lists_the_reports_against_it_without_the_reporter(red):
    with clock.frozen(D(2026, 11, 10)):
        receipt = reports.receive_report(
            red.pk, facts="该企业存在偷税行为", evidence="", reporter_name="王举报人",
            reporter_contact="13812345678",
        )  # fmt: skip
    html = _officer_page(red).content.decode()
    report = receipt.report
    assert f'href="/office/reports/{report.pk}/"' in html
    assert report.number in html and "2026-11-10" in html
    assert "王举报人" not in html and "13812345678" not in html
    assert "信用修复申请" not in html  # a red list takes no repair


def test_a_red_entry_without_reports_says_so(red):
    assert "暂无举报" in _officer_page(red).content.decode()


def test_another_department_sees_no_entry_and_no_links(black):
    application = _application(black, D(2026, 11, 16))
    answer = _officer_page(black, department=ListDefinitionFactory().recognizing_department)
    assert answer.status_code == 404
    assert f"/office/repairs/{application.pk}/" not in answer.content.decode()


@pytest.fixture
def repairs_closed_to_recognizing_officers(tmp_path, monkeypatch):
    """A matrix in which recognizing officers may open entries but not repairs or reports."""
    rows = []
    for line in matrix.MATRIX_PATH.read_text("utf-8").splitlines():
        if line.startswith(("office:repair,GET,", "office:reports:report,GET,")):
            cells = line.split(",")
            cells[4] = "deny"  # the recognizing_officer column
            line = ",".join(cells)
        rows.append(line)
    closed = tmp_path / "matrix.csv"
    closed.write_text("\n".join(rows) + "\n", "utf-8")
    monkeypatch.setattr(matrix, "MATRIX_PATH", closed)
    matrix.load.cache_clear()
    yield
    matrix.load.cache_clear()


def test_the_lists_follow_the_rows_of_the_pages_they_link_to(
    black, red, repairs_closed_to_recognizing_officers
):
    application = _application(black, D(2026, 11, 16))
    with clock.frozen(D(2026, 11, 10)):
        receipt = reports.receive_report(
            red.pk, facts="该企业存在偷税行为", evidence="", reporter_name="王举报人",
            reporter_contact="13812345678",
        )  # fmt: skip
    for entry in (black, red):
        answer = _officer_page(entry)
        assert answer.status_code == 200
        html = answer.content.decode()
        assert 'data-section="remedies"' not in html
        assert f"/office/repairs/{application.pk}/" not in html
        assert f"/office/reports/{receipt.report.pk}/" not in html
