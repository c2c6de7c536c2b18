"""The admin's searches by document number find the number however it is typed (R9, R4;
``core.document_numbers``).

A record stores its number in the canonical form, and an entry keeps its decision's number as
written beside that form as its key. An officer types the number as the paper in front of them
writes it: 杭市监罚[2026]1号, a court's （2026）, full-width digits, spaces around the brackets.
Matched only as typed, none of those found the record or the entry; the search also reads the
canonical form of what was typed, through the key column. Another number (11号, another year)
is still another, and the other fields are still searched as typed.
"""

import pytest
from django.contrib import admin

from tests.factories import CreditRecordFactory, ListEntryFactory, SubjectFactory
from tests.integration.test_admin_search_reads import found
from xinyong.catalog.models import CreditRecord
from xinyong.listings.models import ListEntry

pytestmark = pytest.mark.django_db

TYPED = [
    "杭市监罚〔2026〕1号",
    "杭市监罚[2026]1号",
    "杭市监罚（2026）1号",
    "杭市监罚(2026)1号",
    "杭市监罚【2026】1号",
    "杭市监罚〔２０２６〕１号",
    "杭市监罚 〔2026〕 1号",
    "杭市监罚 [2026] 1号",
]
OTHERS = ["杭市监罚[2026]11号", "杭市监罚（2025）1号", "余市监罚[2026]1号"]


@pytest.fixture
def record():
    CreditRecordFactory(document_number="杭市监罚〔2026〕11号")  # another number
    return CreditRecordFactory(
        document_number="杭市监罚〔2026〕1号", content={"CF_WSH": "杭市监罚[2026]1号"}
    )


@pytest.mark.parametrize("typed", TYPED)
def test_a_record_is_found_however_its_number_is_typed(record, typed):
    assert found(CreditRecord, typed) == {record.pk}


@pytest.mark.parametrize("typed", OTHERS)
def test_another_number_is_not_found(record, typed):
    assert record.pk not in found(CreditRecord, typed)


def test_with_the_subjects_code_every_word_still_counts(record):
    code = record.subject.identifier
    assert found(CreditRecord, f"杭市监罚[2026]1号 {code}") == {record.pk}
    assert found(CreditRecord, f"杭市监罚[2026]1号 {SubjectFactory().identifier}") == set()


def test_the_admin_lists_the_record_number_as_written(record):
    listed = admin.site._registry[CreditRecord]
    column = listed.list_display[0]
    shown = getattr(listed, column)(record) if hasattr(listed, column) else None
    assert shown == "杭市监罚[2026]1号"


@pytest.fixture
def entry():
    ListEntryFactory(decision_document_number="（2026）浙01执11号")
    return ListEntryFactory(decision_document_number="（2026）浙01执1号")


@pytest.mark.parametrize(
    "typed", ["（2026）浙01执1号", "(2026)浙01执1号", "〔2026〕浙01执1号", "[2026]浙01执1号",
              "（２０２６）浙０１执１号", "( 2026 ) 浙01执1号"],
)  # fmt: skip
def test_an_entry_is_found_however_its_decision_number_is_typed(entry, typed):
    assert found(ListEntry, typed) == {entry.pk}


def test_an_entry_is_not_found_by_another_number(entry):
    assert entry.pk not in found(ListEntry, "(2026)浙01执11号")
    assert entry.pk not in found(ListEntry, "(2025)浙01执1号")


def test_an_entry_is_still_found_by_a_part_of_its_subjects_name():
    company = SubjectFactory(name="丰通供应链有限公司")
    entry = ListEntryFactory(subject=company, decision_document_number="JS[2026]12号")
    assert found(ListEntry, "丰通供") == {entry.pk}
    assert found(ListEntry, "丰通 JS〔2026〕12号") == {entry.pk}
