"""A natural person's penalty on the portal shows no address past the district and no mobile,
however the officer wrote them in the facts (R5, R14; DOMAIN.md §4)."""

import datetime as dt

import pytest
from django.test import Client

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory
from xinyong.catalog import services
from xinyong.catalog.models import CreditRecord, Disclosure, RecordFormat
from xinyong.core import clock

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
FACTS = (
    "经查，当事人张2（住杭州市西湖区文三路100号3幢201室，手机138-12345678，"
    "另留186-2026-1234）销售超过保质期的食品"
)


def test_an_anonymous_visitor_sees_no_address_past_the_district_nor_the_mobiles(tmp_path):
    department = DepartmentFactory(code="hz-scjg", name=samples.AUTHORITY)
    CatalogItemFactory(
        code="administrative-penalty", record_format=RecordFormat.PENALTY, provider=None,
        disclosure=Disclosure.PUBLIC, mask_personal_data=True,
    )  # fmt: skip
    row = samples.penalty(2, person=True, CF_SY=FACTS)
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, [row])
    with clock.frozen(TODAY):
        services.import_file(actor="t", kind="penalties", path=path, department=department)
    record = CreditRecord.objects.get(document_number="杭市监处罚〔2026〕2号")
    assert record.content["CF_SY"] == FACTS  # stored as written; masked only where shown

    with clock.frozen(TODAY):
        answer = Client().get(f"/double-publicity/penalties/{record.pk}/")
    assert answer.status_code == 200
    text = answer.content.decode()
    assert "当事人张某（住杭州市西湖区，手机138****5678，另留186****1234）" in text
    for leaked in ("文三路", "3幢", "201室", "12345678", "2026-1234", "张2"):
        assert leaked not in text
