"""What a public page publishes in full stays as written when the persons in its texts are
masked: the organisation's name, the department's, the list's and the legal basis (R5); the
persons and their numbers are masked all the same (DOMAIN.md §4)."""

import datetime as dt
import re

import pytest
from django.test import Client

from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    DepartmentFactory,
    LinkedPersonFactory,
    ListEntryFactory,
    SubjectFactory,
    make_citizen_id,
)
from xinyong.catalog import services
from xinyong.catalog.models import CreditRecord, Disclosure, RecordFormat
from xinyong.core import clock
from xinyong.listings import documents
from xinyong.listings.decision_records import Announcement

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 20)


def _words(html: bytes) -> str:
    return re.sub(r"<[^>]+>", " ", html.decode())


def _shown(entry, title, body):
    announcement = Announcement.objects.create(
        entry=entry, kind=Announcement.Kind.PUBLICITY, channel=entry.channel,
        published_on=D(2026, 9, 21), title=title, body=body,
    )  # fmt: skip
    with clock.frozen(D(2026, 9, 22)):
        page = Client().get(f"/announcements/{announcement.pk}/").content
        listing = Client().get("/announcements/").content
    return _words(page), _words(listing)


def test_an_announcement_keeps_the_department_the_list_and_the_basis_a_given_name_is_in():
    company = SubjectFactory(name="杭州恒泰建筑工程有限公司")
    person = SubjectFactory(natural_person=True, name="张建设")
    LinkedPersonFactory(organisation=company, person=person)
    other = make_citizen_id(99)
    entry = ListEntryFactory(
        subject=company, in_publicity=True, list__name="建设工程领域严重失信主体名单",
        list__recognizing_department__name="杭州市住房和城乡建设局",
        facts=f"经查，法定代表人张建设（身份证{other[:6]} {other[6:10]} {other[10:14]} "
              f"{other[14:]}）擅自施工，建设单位未予制止。",
        basis="《建设工程质量管理条例》第六十四条",
    )  # fmt: skip
    title, body = documents.publicity_notice(entry)
    # A text stored before its facts were masked: the portal masks it again.
    raw_body = body.replace(documents.public_text(entry, entry.facts), entry.facts)
    page, listing = _shown(entry, title, raw_body)
    assert "认定部门：杭州市住房和城乡建设局" in page
    assert "《建设工程质量管理条例》第六十四条" in page
    assert "关于拟列入建设工程领域严重失信主体名单的公示" in page
    assert "关于拟列入建设工程领域严重失信主体名单的公示" in listing
    assert "杭州恒泰建筑工程有限公司" in page
    # The officer's words still mask the person, the given name alone and any ID.
    assert "张建设" not in page and "法定代表人张某" in page and "某单位未予制止" in page
    assert other not in page and other[6:14] not in page.replace(" ", "")


@pytest.fixture
def penalties(tmp_path):
    department = DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)
    CatalogItemFactory(
        code="administrative-penalty", record_format=RecordFormat.PENALTY, provider=None,
        disclosure=Disclosure.PUBLIC, mask_personal_data=True,
    )  # fmt: skip

    def imported(*rows):
        path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, list(rows))
        with clock.frozen(TODAY):
            services.import_file(actor="t", kind="penalties", path=path, department=department)

    return imported


def _penalty_page(n: int) -> str:
    record = CreditRecord.objects.get(document_number=f"杭市监处罚〔2026〕{n}号")
    with clock.frozen(TODAY):
        return _words(Client().get(f"/double-publicity/penalties/{record.pk}/").content)


def test_a_penalty_keeps_the_subject_s_name_and_the_issuing_body(penalties):
    penalties(
        samples.penalty(
            3, CF_XDR_MC="杭州光明建材有限公司", CF_FRDB="李光明",
            CF_SY="经查，杭州光明建材有限公司销售不合格建材，法定代表人李光明（电话0571-87654321）"
                  "对此负责，光明亦知情。",
            CF_YJ="《建设工程质量管理条例》第六十四条", CF_CFJG="杭州市住房和城乡建设局",
        ),
        samples.penalty(4, CF_XDR_MC="杭州市安全设备有限公司", CF_FRDB="王建设",
                        CF_CFJG="杭州市住房和城乡建设局", CF_YJ="《建设工程安全生产管理条例》"),
    )  # fmt: skip
    page = _penalty_page(3)
    assert "经查，杭州光明建材有限公司销售不合格建材，法定代表人李某" in page
    assert "某亦知情" in page and "87654321" not in page and "4321" in page
    assert "杭州某建材有限公司" not in page
    page = _penalty_page(4)
    assert "杭州市住房和城乡建设局" in page and "住房和城乡某局" not in page
    assert "《建设工程安全生产管理条例》" in page
    assert "王建设" not in page
