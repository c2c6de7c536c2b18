"""The portal's double publicity (双公示): licences and penalties shown while their window runs,
persons masked and never found by a search (R9, R8, R5, R14, 001 §4)."""

import datetime as dt

import pytest
from django.test import Client

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, make_citizen_id, make_uscc
from xinyong.catalog import services
from xinyong.catalog.models import CreditRecord, Disclosure, RecordFormat
from xinyong.core import clock

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


@pytest.fixture
def penalty_item(department):
    return CatalogItemFactory(
        code="administrative-penalty", record_format=RecordFormat.PENALTY, provider=None,
        disclosure=Disclosure.PUBLIC, mask_personal_data=True,
    )  # fmt: skip


@pytest.fixture
def licence_item(department):
    return CatalogItemFactory(
        code="administrative-licence", record_format=RecordFormat.LICENCE, provider=None,
        disclosure=Disclosure.PUBLIC, mask_personal_data=True,
    )  # fmt: skip


def imported(tmp_path, department, kind, header, rows):
    path = samples.write_csv(tmp_path / f"{kind}.csv", header, rows)
    with clock.frozen(TODAY):
        services.import_file(actor="test", kind=kind, path=path, department=department)
    return {r.document_number: r for r in CreditRecord.objects.all()}


def page(url, **params):
    with clock.frozen(TODAY):
        return Client().get(url, params)


@pytest.fixture
def penalties(tmp_path, department, penalty_item):
    return imported(tmp_path, department, "penalties", samples.PENALTY_FIELDS, [
        samples.penalty(1, CF_SY="经查，法定代表人李四指使员工销售超过保质期的食品"),
        samples.penalty(2, person=True),
    ])  # fmt: skip


def test_penalties_are_listed_with_their_summary_and_persons_masked(penalties):
    answer = page("/double-publicity/penalties/")
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "杭州示例1号科技有限公司" in text and make_uscc(1) in text
    assert "杭市监处罚〔2026〕1号" in text and "罚款" in text
    person = make_citizen_id(2)
    assert "张2" not in text and person not in text
    assert person[:6] + "********" + person[-4:] in text


def test_a_penalty_page_shows_the_national_fields_and_no_persons_id(penalties):
    record = penalties["杭市监处罚〔2026〕1号"]
    text = page(f"/double-publicity/penalties/{record.pk}/").content.decode()
    for label, value in [
        ("违法行为类型", "销售超过保质期的食品"),
        ("处罚依据", "食品安全法"),
        ("处罚内容", "罚款人民币壹万元"),
        ("处罚机关", samples.AUTHORITY),
    ]:
        assert label in text and value in text
    representative_id = make_citizen_id(50_001)
    assert representative_id not in text and representative_id[:6] + "********" not in text
    assert "李四" not in text  # the legal representative, named in a field and in the facts
    assert "法定代表人" in text


def test_numbers_are_masked_on_a_record_that_names_no_person(tmp_path, department, penalty_item):
    """An organisation's penalty with no legal representative and no linked person still has
    the mobile numbers and citizen IDs (also written in groups) in its texts masked (R5)."""
    facts = "经办人王五，手机13812345678，身份证号330106 19870520 0018"
    records = imported(tmp_path, department, "penalties", samples.PENALTY_FIELDS, [
        samples.penalty(3, CF_FRDB="", CF_FR_ZJLX="", CF_FR_ZJHM="", CF_SY=facts),
    ])  # fmt: skip
    record = records["杭市监处罚〔2026〕3号"]
    text = page(f"/double-publicity/penalties/{record.pk}/").content.decode()
    assert "13812345678" not in text and "19870520" not in text
    assert "138****5678" in text and "330106********0018" in text


def test_a_search_finds_organisations_and_never_a_person(penalties):
    assert (
        "杭市监处罚〔2026〕1号"
        in page("/double-publicity/penalties/", q="示例1号").content.decode()
    )
    by_code = page("/double-publicity/penalties/", q=make_uscc(1).lower()).content.decode()
    assert "杭市监处罚〔2026〕1号" in by_code
    for query in ("张2", make_citizen_id(2)):
        text = page("/double-publicity/penalties/", q=query).content.decode()
        assert "杭市监处罚〔2026〕2号" not in text


@pytest.mark.parametrize(
    "change",
    [
        {"publication_ends_on": TODAY - dt.timedelta(days=1)},  # past its window, job not run
        {"publication_ended_on": TODAY},  # stopped by the daily job (终止公示)
        {"published_on": None},  # never published (a minor penalty)
        {"published_on": TODAY + dt.timedelta(days=1)},  # not yet
    ],
)
def test_a_record_outside_its_window_is_not_shown(penalties, change):
    record = penalties["杭市监处罚〔2026〕1号"]
    CreditRecord.objects.filter(pk=record.pk).update(**change)
    assert "杭市监处罚〔2026〕1号" not in page("/double-publicity/penalties/").content.decode()
    assert page(f"/double-publicity/penalties/{record.pk}/").status_code == 404


def test_the_last_day_of_the_window_is_still_public(penalties):
    record = penalties["杭市监处罚〔2026〕1号"]
    CreditRecord.objects.filter(pk=record.pk).update(publication_ends_on=TODAY)
    assert page(f"/double-publicity/penalties/{record.pk}/").status_code == 200


def test_an_item_not_disclosed_to_the_public_is_not_shown(penalties, penalty_item):
    penalty_item.disclosure = Disclosure.ON_REQUEST
    penalty_item.save()
    assert "杭市监处罚〔2026〕1号" not in page("/double-publicity/penalties/").content.decode()


def test_where_the_legal_basis_requires_it_a_person_is_shown(penalties, penalty_item):
    penalty_item.mask_personal_data = False
    penalty_item.save()
    assert make_citizen_id(2) in page("/double-publicity/penalties/").content.decode()


def test_licences_have_their_own_register(tmp_path, department, licence_item):
    records = imported(tmp_path, department, "licences", samples.LICENCE_FIELDS,
                       [samples.licence(7)])  # fmt: skip
    text = page("/double-publicity/licences/").content.decode()
    assert "杭州示例7号餐饮有限公司" in text and "食品经营许可证" in text
    record = records["杭市监许〔2026〕7号"]
    detail = page(f"/double-publicity/licences/{record.pk}/").content.decode()
    assert "许可编号" in detail and "JY13301060000007" in detail
    assert page(f"/double-publicity/penalties/{record.pk}/").status_code == 404
    assert page("/double-publicity/other/").status_code == 404


def test_pages_go_on_without_a_total(tmp_path, department, penalty_item, monkeypatch):
    from xinyong.portal import views

    monkeypatch.setattr(views, "RECORDS_PER_PAGE", 2)
    imported(tmp_path, department, "penalties", samples.PENALTY_FIELDS,
             [samples.penalty(n) for n in range(1, 6)])  # fmt: skip
    first = page("/double-publicity/penalties/").content.decode()
    assert 'rel="next"' in first and 'rel="prev"' not in first
    last = page("/double-publicity/penalties/", page="3").content.decode()
    assert 'rel="next"' not in last and 'rel="prev"' in last
    assert "杭市监处罚〔2026〕1号" in last  # newest collected first: the file's first row last


def test_a_page_past_the_last_one_listed_shows_the_last_and_says_to_search(
    tmp_path, department, penalty_item, monkeypatch
):
    """Deep pages cost the database every row before them: the register pages as far as
    ``PUBLIC_PAGES`` and a search narrows the rest; a page asked for beyond it shows the last."""
    from xinyong.portal import views

    monkeypatch.setattr(views, "RECORDS_PER_PAGE", 2)
    monkeypatch.setattr(views, "PUBLIC_PAGES", 2)
    imported(tmp_path, department, "penalties", samples.PENALTY_FIELDS,
             [samples.penalty(n) for n in range(1, 6)])  # fmt: skip
    assert "pages-limited" not in page("/double-publicity/penalties/").content.decode()
    for asked in ("2", "3", "12000", "99999999999999999999"):
        last = page("/double-publicity/penalties/", page=asked).content.decode()
        assert "第 2 页" in last and "杭市监处罚〔2026〕3号" in last
        assert 'rel="next"' not in last and 'rel="prev"' in last
        assert 'data-note="pages-limited" data-pages="2"' in last  # and says to search


def test_a_page_asks_the_same_of_the_database_whatever_its_rows(tmp_path, department, penalty_item):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert page("/double-publicity/penalties/").status_code == 200
        return len(captured)

    imported(tmp_path, department, "penalties", samples.PENALTY_FIELDS, [samples.penalty(1)])
    one = queries()
    (tmp_path / "more").mkdir()
    imported(tmp_path / "more", department, "penalties", samples.PENALTY_FIELDS,
             [samples.penalty(n) for n in range(2, 8)])  # fmt: skip
    assert queries() == one


@pytest.mark.parametrize("register", ["penalties", "licences"])
def test_the_registers_head_the_document_number_as_a_decisions_not_a_listings(
    tmp_path, department, penalty_item, licence_item, register
):
    """A penalty or a licence is decided, not recognized: its number is the decision's
    文书号, not the 认定文书号 of a list entry."""
    if register == "penalties":
        imported(tmp_path, department, "penalties", samples.PENALTY_FIELDS, [samples.penalty(1)])
    else:
        imported(tmp_path, department, "licences", samples.LICENCE_FIELDS, [samples.licence(1)])
    text = page(f"/double-publicity/{register}/").content.decode()
    head = text[text.index("<thead>") : text.index("</thead>")]
    assert "<th>文书号</th>" in head and "认定" not in head
