"""A list decision's record imported while an officer's exit of its entry commits stops with the
entry, whichever commits first (R4, R8, 000 §十.3; PostgreSQL's row locks).

Without a lock the two miss each other: the exit's stop does not see the chunk's record, not yet
committed, and the chunk's look-up of ended entries does not see the exit, not yet committed,
so the record would stay public and shared for the rest of its window."""

import datetime as dt

import pytest
from django.db import connection  # noqa: F401 (read by the skipif condition)

from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
)
from tests.races import first_then, race
from xinyong.catalog import services as catalog
from xinyong.catalog.models import CreditRecord, InfoKind
from xinyong.listings import services
from xinyong.listings.models import ExitReason, ListKind

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
D = dt.date
TODAY = D(2026, 10, 27)  # the day ``race`` runs its calls on
HEADER = ["ITEM", "SUBJECT_NAME", "SUBJECT_KIND", "USCC", "DOCUMENT_NUMBER", "DECISION_DATE",
          "ISSUING_BODY", "VALID_UNTIL"]  # fmt: skip


@pytest.fixture
def setting():
    department = DepartmentFactory(code="zj-scjg", name="浙江省市场监督管理局")
    CatalogItemFactory(code="contract-honour", info_kind=InfoKind.HONOUR, provider=department,
                       publication_months_max=24)  # fmt: skip
    entry = ListEntryFactory(
        list=ListDefinitionFactory(kind=ListKind.RED, recognizing_department=department),
        effective=True, decision_document_number="浙市监信认〔2026〕47号",
        effective_on=D(2026, 9, 1),
    )  # fmt: skip
    return department, entry, OfficerFactory(department=department).user


def _import(tmp_path, department, entry):
    subject = entry.subject
    path = samples.write_csv(tmp_path / "honours.csv", HEADER, [{
        "ITEM": "contract-honour", "SUBJECT_NAME": subject.name, "SUBJECT_KIND": "法人",
        "USCC": subject.identifier, "DOCUMENT_NUMBER": entry.decision_document_number,
        "DECISION_DATE": "2026-09-01", "ISSUING_BODY": "浙江省市场监督管理局",
    }])  # fmt: skip
    return lambda: catalog.import_file(actor="t", kind="records", path=path, department=department)


def _exit(entry, officer):
    return lambda: services.exit_entry(entry.pk, actor=officer, reason=ExitReason.REQUESTED)


def _stops(entry):
    record = CreditRecord.objects.get(document_number=entry.decision_document_number)
    return record.publication_ended_on, record.sharing_stopped_on


def test_an_exit_holding_its_entry_makes_the_chunk_wait_and_stop_its_record(tmp_path, setting):
    department, entry, officer = setting
    outcomes = race(*first_then(_exit(entry, officer), _import(tmp_path, department, entry)))
    assert outcomes == ["ok", "ok"]
    assert _stops(entry) == (TODAY, TODAY)


def test_a_chunk_holding_the_entry_makes_the_exit_wait_and_stop_the_record(tmp_path, setting):
    department, entry, officer = setting
    outcomes = race(*first_then(_import(tmp_path, department, entry), _exit(entry, officer)))
    assert outcomes == ["ok", "ok"]
    assert _stops(entry) == (TODAY, TODAY)
