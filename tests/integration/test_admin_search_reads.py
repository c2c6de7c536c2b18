"""The admin's searches of records and list entries: each field read by its own index (R14).

The same rows as the admin's own search (every word in some field, or the whole term as the
subject's code through its keyed hash), but no test ORed across the join to the subjects,
which no index serves.
"""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from tests.factories import CreditRecordFactory, ListEntryFactory, SubjectFactory
from xinyong.catalog.models import CreditRecord
from xinyong.listings.models import ListEntry

pytestmark = pytest.mark.django_db


def search(model, term: str):
    request = RequestFactory().get("/admin/", {"q": term})
    request.user = get_user_model()(is_superuser=True, is_staff=True)
    admin.autodiscover()
    model_admin = admin.site._registry[model]
    rows, duplicates = model_admin.get_search_results(request, model._default_manager.all(), term)
    return rows, duplicates


def found(model, term: str) -> set[int]:
    return set(search(model, term)[0].values_list("pk", flat=True))


def test_records_are_found_by_document_number_subject_code_or_citizen_id():
    person = SubjectFactory(natural_person=True)
    company = SubjectFactory()
    by_person = CreditRecordFactory(subject=person)
    by_company = CreditRecordFactory(subject=company, document_number="Hz-Case-7")
    CreditRecordFactory()  # another
    assert found(CreditRecord, "hz-case-7") == {by_company.pk}  # any case, as before
    assert found(CreditRecord, company.identifier.lower()) == {by_company.pk}
    assert found(CreditRecord, person.identifier) == {by_person.pk}  # through the keyed hash
    assert found(CreditRecord, by_person.document_number) == {by_person.pk}
    assert found(CreditRecord, "nothing-like-it") == set()
    assert found(CreditRecord, f"Hz-Case-7 {company.identifier}") == {by_company.pk}
    assert found(CreditRecord, f"Hz-Case-7 {person.identifier}") == set()


def test_list_entries_are_found_by_name_code_citizen_id_or_decision_number():
    person = SubjectFactory(natural_person=True)
    company = SubjectFactory(name="丰通供应链有限公司")
    of_person = ListEntryFactory(subject=person)
    of_company = ListEntryFactory(subject=company, decision_document_number="JS-12")
    ListEntryFactory()
    assert found(ListEntry, "丰通供") == {of_company.pk}
    assert found(ListEntry, "js-12") == {of_company.pk}
    assert found(ListEntry, company.identifier) == {of_company.pk}
    assert found(ListEntry, person.identifier) == {of_person.pk}
    assert found(ListEntry, "丰通 供应链") == {of_company.pk}  # every word, in some field
    assert found(ListEntry, "丰通 别的") == set()


@pytest.mark.parametrize("model", [CreditRecord, ListEntry])
def test_no_search_ors_across_the_join_to_the_subjects(model):
    rows, duplicates = search(model, "91330100MA2XXXXX0X")
    sql = str(rows.query).upper()
    assert " OR " not in sql
    assert "UNION" in sql
    assert not duplicates  # no join: the page needs no DISTINCT
