"""双公示 publishes a decision as it was made (R9): a licence or penalty is shown under the
行政相对人名称 its decision states, not under the name the subject was first recorded with,
a natural person's masked as before (R5, 001 §4)."""

import datetime as dt

import pytest
from django.test import Client

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, make_citizen_id
from xinyong.catalog import services
from xinyong.catalog.models import CreditRecord, Disclosure, RecordFormat
from xinyong.core import clock
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
FIRST_NAME = "杭州示例201号科技有限公司"
NEW_NAME = "杭州测试201贸易有限公司（更名）"


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)


@pytest.fixture(autouse=True)
def items(department):
    for code, record_format in (("administrative-penalty", RecordFormat.PENALTY),
                                ("administrative-licence", RecordFormat.LICENCE)):  # fmt: skip
        CatalogItemFactory(code=code, record_format=record_format, provider=None,
                           disclosure=Disclosure.PUBLIC, mask_personal_data=True)  # fmt: skip


def imported(tmp_path, department, kind, header, rows):
    path = samples.write_csv(tmp_path / f"{kind}-{len(rows)}.csv", header, rows)
    with clock.frozen(TODAY):
        services.import_file(actor="test", kind=kind, path=path, department=department)


def page(url, **params):
    with clock.frozen(TODAY):
        answer = Client().get(url, params)
    assert answer.status_code == 200
    return answer.content.decode()


@pytest.fixture
def renamed(tmp_path, department):
    """Two penalties of one organisation: the first under its old name, the later one under
    the name it has since taken, as each decision states it."""
    imported(tmp_path, department, "penalties", samples.PENALTY_FIELDS,
             [samples.penalty(201, CF_XDR_MC=FIRST_NAME)])  # fmt: skip
    imported(tmp_path, department, "penalties", samples.PENALTY_FIELDS, [
        samples.penalty(201, CF_XDR_MC=NEW_NAME, CF_WSH="杭市监处罚〔2026〕9201号"),
        samples.penalty(3),
    ])  # fmt: skip
    assert Subject.objects.get(name=FIRST_NAME)  # the subject keeps its first-recorded name
    return {r.document_number: r for r in CreditRecord.objects.all()}


def test_a_penalty_page_shows_the_name_its_decision_states(renamed):
    later = renamed["杭市监处罚〔2026〕9201号"]
    assert later.content["CF_XDR_MC"] == NEW_NAME
    text = page(f"/double-publicity/penalties/{later.pk}/")
    assert f"<h1>{NEW_NAME}</h1>" in text
    assert FIRST_NAME not in text
    earlier = renamed["杭市监处罚〔2026〕201号"]
    assert f"<h1>{FIRST_NAME}</h1>" in page(f"/double-publicity/penalties/{earlier.pk}/")


def listed_as(record, name):
    """The register's row of ``record``, its first cell the link to it named ``name``."""
    link = f'<a href="/double-publicity/penalties/{record.pk}/">{name}</a>'
    return f'<tr data-record="{record.pk}"><td>{link}'


def test_the_register_lists_each_penalty_under_its_decisions_name(renamed):
    text = page("/double-publicity/penalties/")
    later, earlier = renamed["杭市监处罚〔2026〕9201号"], renamed["杭市监处罚〔2026〕201号"]
    assert listed_as(later, NEW_NAME) in text
    assert listed_as(earlier, FIRST_NAME) in text


def test_a_licence_is_shown_under_its_decisions_name(tmp_path, department):
    imported(tmp_path, department, "licences", samples.LICENCE_FIELDS,
             [samples.licence(202, XK_XDR_MC=FIRST_NAME)])  # fmt: skip
    imported(tmp_path, department, "licences", samples.LICENCE_FIELDS, [
        samples.licence(202, XK_XDR_MC=NEW_NAME, XK_WSH="杭市监许〔2026〕9202号"),
        samples.licence(4),
    ])  # fmt: skip
    later = CreditRecord.objects.get(document_number="杭市监许〔2026〕9202号")
    assert f"<h1>{NEW_NAME}</h1>" in page(f"/double-publicity/licences/{later.pk}/")
    assert f">{NEW_NAME}</a>" in page("/double-publicity/licences/")


def test_a_person_is_shown_masked_under_the_name_the_decision_states(tmp_path, department):
    """A person recorded as 张205 and penalised as 李205: the page says 李某, and neither name
    appears in full, in the heading nor in the decision's texts."""
    imported(tmp_path, department, "penalties", samples.PENALTY_FIELDS,
             [samples.penalty(205, person=True)])  # fmt: skip
    imported(tmp_path, department, "penalties", samples.PENALTY_FIELDS, [
        samples.penalty(205, person=True, CF_XDR_MC="李205", CF_WSH="杭市监处罚〔2026〕9205号",
                        CF_SY="经查，李205销售超过保质期的食品"),
        samples.penalty(6),
    ])  # fmt: skip
    later = CreditRecord.objects.get(document_number="杭市监处罚〔2026〕9205号")
    assert later.subject.name == "张205"
    text = page(f"/double-publicity/penalties/{later.pk}/")
    assert "<h1>李某</h1>" in text
    assert "李205" not in text and "张205" not in text
    assert make_citizen_id(205) not in text
    listed = page("/double-publicity/penalties/")
    assert listed_as(later, "李某") in listed
    assert "李205" not in listed and "张205" not in listed
