"""What the admin shows an officer: Chinese words and ISO dates, the newest audit rows first."""

import re

import pytest
from django.utils import timezone

from tests.factories import OfficerFactory
from xinyong.audit import purposes
from xinyong.audit import services as audit
from xinyong.audit.models import AuditEntry, QueryPurpose, QueryRegistration

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    officer = OfficerFactory(user__is_staff=True, user__is_superuser=True)
    client.force_login(officer.user)
    client.officer = officer
    return client


def results(html: str) -> str:
    """The change list's table, where the rows are."""
    match = re.search(r'<table id="result_list".*?</table>', html, re.S)
    assert match, "no result list"
    return match[0]


def test_the_admin_writes_dates_and_times_in_iso_form(admin_client):
    audit.record(actor=admin_client.officer.user, action="admin.add", obj=("demo", "1"))
    table = results(admin_client.get("/admin/audit/auditentry/").content.decode())
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", table)
    assert "年" not in table


def test_the_audit_trail_lists_the_newest_row_first(admin_client):
    for number in (1, 2, 3):
        audit.record(actor="system", action="admin.add", obj=("demo", f"row-{number}"))
    table = results(admin_client.get("/admin/audit/auditentry/").content.decode())
    assert table.index("row-3") < table.index("row-2") < table.index("row-1")


def visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("url", "chinese"),
    [
        ("/admin/", "登录限制"),
        ("/admin/auth/user/add/", "创建用户后，你可以编辑更多用户选项。"),
        ("/admin/axes/accessattempt/", "尝试时间"),
        ("/admin/axes/accessfailurelog/", "登录失败"),
        ("/admin/axes/accesslog/", "登录日志"),
    ],
)
def test_django_and_axes_pages_read_in_chinese(admin_client, url, chinese):
    text = visible_text(admin_client.get(url).content.decode())
    assert chinese in text
    for english in ("Axes", "Access attempts", "Access logs", "Attempt Time", "Locked Out",
                    "Path", "After you", "Model name"):  # fmt: skip
        assert english not in text, english


def test_the_two_box_selector_speaks_chinese(admin_client):
    catalog = admin_client.get("/admin/jsi18n/").content.decode()
    for msgid, chinese in (("Choose all %s", "选择全部%s"), ("Remove all %s", "移除全部%s")):
        line = re.search(rf'"{re.escape(msgid)}": "([^"]*)"', catalog)
        assert line, msgid
        assert line[1].encode().decode("unicode_escape") == chinese


def test_permissions_are_named_in_chinese(admin_client):
    text = visible_text(admin_client.get("/admin/auth/group/add/").content.decode())
    assert "访问控制 | 信用主体账号 | 可增加信用主体账号" in text
    assert "登录限制 | 登录日志 | 可查看登录日志" in text
    assert "Can add" not in text and "Can view" not in text


def test_the_audit_trail_names_actions_object_types_and_departments(admin_client):
    officer = admin_client.officer
    audit.record(actor=officer.user, action="check.feedback_reported",
                 obj=("measures.checkfeedback", "7"))  # fmt: skip
    audit.record(actor="system", action="listing.sign", obj=("listings.listentry", "8"))
    audit.record(actor="system", action="catalog.tick", obj=("catalog.tick", "2026-11-23"))
    audit.record(actor="system", action="something.new", obj=("nowhere", "9"))
    html = admin_client.get("/admin/audit/auditentry/").content.decode()
    table = visible_text(results(html))
    assert "报送执行反馈" in table and "执行反馈" in table
    assert "名单记录：签发决定" in table
    assert "目录每日处理" in table
    assert officer.department.name in table
    assert "check.feedback_reported" not in table and "measures.checkfeedback" not in table
    assert officer.department.code not in table
    assert "something.new" in table and "nowhere" in table  # an unknown code is still shown
    filters = visible_text(html[html.index('id="changelist-filter"') :])
    assert "报送执行反馈" in filters and "check.feedback_reported" not in filters
    filtered = admin_client.get("/admin/audit/auditentry/?action=listing.sign").content.decode()
    assert "listings.listentry" not in results(filtered) and "8" in visible_text(results(filtered))


def test_an_audit_rows_page_names_its_codes_as_the_list_does(admin_client):
    """The reviewer opening a row reads the action, the object type and the department by
    their names, in the title as in the fields (R14)."""
    officer = admin_client.officer
    audit.record(actor=officer.user, action="listing.sign", obj=("listings.listentry", "8"))
    row = AuditEntry.objects.get()
    text = visible_text(
        admin_client.get(f"/admin/audit/auditentry/{row.pk}/change/").content.decode()
    )
    assert f"#{row.seq} 名单记录：签发决定 名单记录:8" in text
    assert "操作: 名单记录：签发决定" in text and "对象类型: 名单记录" in text
    assert f"部门: {officer.department.name}" in text
    for code in ("listing.sign", "listings.listentry", officer.department.code):
        assert code not in text, code


def test_a_query_registrations_page_names_the_role(admin_client):
    purposes.ensure_built_in(QueryPurpose)
    officer = admin_client.officer
    row = QueryRegistration.objects.create(
        at=timezone.now(), account=officer.user, actor=officer.user.username,
        department=officer.department, role="recognizing_officer", purpose_id="credit_repair",
        kind="subject_page", route="GET /office/subjects/<int:subject_id>/", natural_persons=1,
        rows=1,
    )  # fmt: skip
    html = admin_client.get(f"/admin/audit/queryregistration/{row.pk}/change/").content.decode()
    text = visible_text(html)
    assert "身份: 认定部门经办人员" in text and "recognizing_officer" not in text
    assert f"{timezone.localtime(row.at):%Y-%m-%d %H:%M} {officer.user.username} 主体信息页" in text
    assert "subject_page" not in text


def test_a_measure_names_its_list_kinds_and_targets_by_check_boxes(admin_client):
    from xinyong.measures.models import Measure

    html = admin_client.get("/admin/measures/measure/add/").content.decode()
    for name, code, label in (("list_kinds", "red", "红名单"), ("list_kinds", "black", "严重失信"),
                              ("targets", "organisation", "机构本身")):  # fmt: skip
        assert re.search(rf'type="checkbox" name="{name}" value="{code}"[^>]*>\s*{label}', html)
    assert "取值" not in html and "[]" not in visible_text(html)
    response = admin_client.post(
        "/admin/measures/measure/add/",
        {"code": "bar-procurement", "name": "限制参加政府采购", "content": "依法限制",
         "type": "punishment", "legal_basis": "《政府采购法》第二十二条",
         "list_kinds": ["black", "key_attention"],
         "targets": ["organisation", "legal_representative"],
         "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    measure = Measure.objects.get(code="bar-procurement")
    assert measure.list_kinds == ["black", "key_attention"]
    assert measure.targets == ["organisation", "legal_representative"]
    form = admin_client.get(f"/admin/measures/measure/{measure.pk}/change/").content.decode()
    assert re.search(r'type="checkbox" name="targets" value="organisation"[^>]*checked', form)


def test_a_catalog_item_names_its_subject_kinds_by_check_boxes(admin_client):
    from xinyong.catalog.models import CatalogItem

    html = admin_client.get("/admin/catalog/catalogitem/add/").content.decode()
    for code, label in (("legal_person", "法人"), ("unincorporated", "非法人组织"),
                        ("natural_person", "自然人")):  # fmt: skip
        assert re.search(rf'type="checkbox" name="subject_kinds" value="{code}"[^>]*>\s*{label}',
                         html)  # fmt: skip
    assert "取值" not in html and "[]" not in visible_text(html)
    response = admin_client.post(
        "/admin/catalog/catalogitem/add/",
        {"code": "penalty", "name": "行政处罚信息", "info_kind": "administrative",
         "legal_basis": "《行政处罚法》", "subject_kinds": ["legal_person", "natural_person"],
         "share_scope": "unconditional", "disclosure": "public", "record_format": "",
         "mask_personal_data": "on", "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    item = CatalogItem.objects.get(code="penalty")
    assert item.subject_kinds == ["legal_person", "natural_person"]
    form = admin_client.get(f"/admin/catalog/catalogitem/{item.pk}/change/").content.decode()
    assert re.search(r'type="checkbox" name="subject_kinds" value="natural_person"[^>]*checked',
                     form)  # fmt: skip
