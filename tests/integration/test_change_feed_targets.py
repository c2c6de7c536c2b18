"""The change feed tells a department's system only the changes that could make one of its
measures apply to whom the change concerns (R10, R14: least privilege), by the test a check
applies: a natural person's entry reaches measures that target persons; an organisation's
entry, those that target organisations and those that target a role it names a person in
(落实到人, 004 §二(三)6); a change of one naming, those that target that person's role. A
department whose measures all target organisations is never told of a person's listing."""

import datetime as dt

import pytest

from tests.change_feeds import event, system_client
from tests.check_clients import check
from tests.factories import (
    DepartmentFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
    ScenarioFactory,
    SubjectFactory,
)
from xinyong.audit.models import QueryRegistration
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import ListEntryPerson, ListKind

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"


@pytest.fixture
def procurement():
    return ScenarioFactory(code=SCENARIO)


def _client_with(procurement, *targets):
    """A department's system whose one procurement measure, its own, follows from black lists
    and targets ``targets``."""
    department = DepartmentFactory(implementing=True)
    measure = MeasureFactory(list_kinds=[ListKind.BLACK], targets=list(targets))
    measure.scenarios.add(procurement)
    measure.implementing_departments.add(department)
    return system_client(department, [SCENARIO])


def _listed(subject, **named):
    """``subject`` taking effect on a black list, naming each person of ``named`` by role."""
    entry = ListEntryFactory(effective=True, subject=subject, list__kind=ListKind.BLACK)
    for role, person in named.items():
        ListEntryPerson.objects.create(entry=entry, person=person, role=role)
    event(entry, "sign", from_state="awaiting_signature")
    return entry


def _page(api, since=0):
    page = api.get("/api/v1/changes", {"since": since}).json()
    return [(c["kind"], c["entry_id"]) for c in page["changes"]], page["next"]


def test_a_persons_entry_is_not_told_to_a_department_whose_measures_target_organisations(
    procurement,
):
    api = _client_with(procurement, "organisation")
    person = SubjectFactory(natural_person=True)
    _listed(person)
    # A check of that person by the same department: no measure applies to it.
    answer = check(api, subject=person.reveal_identifier(), scenario=SCENARIO).json()
    assert answer["measures"] == []
    before = QueryRegistration.objects.count()
    assert _page(api) == ([], 1)  # passed over, and the cursor passes it
    assert QueryRegistration.objects.count() == before  # nobody's data was read
    company = _listed(SubjectFactory())
    assert _page(api, since=1) == ([("took_effect", company.pk)], 2)


def test_a_persons_entry_is_told_to_a_department_with_a_measure_on_persons(procurement):
    api = _client_with(procurement, "person")
    person = _listed(SubjectFactory(natural_person=True))
    _listed(SubjectFactory())  # an organisation naming nobody: nothing of this department's
    assert _page(api) == ([("took_effect", person.pk)], 2)


def test_an_organisations_entry_reaches_a_measure_on_the_role_it_names(procurement):
    api = _client_with(procurement, "legal_representative")
    naming = _listed(SubjectFactory(), legal_representative=SubjectFactory(natural_person=True))
    _listed(SubjectFactory(), principal=SubjectFactory(natural_person=True))
    _listed(SubjectFactory())
    assert _page(api) == ([("took_effect", naming.pk)], 3)


def _naming_objection(entry, person, *, founded):
    """The person ``entry`` names objects to being named; found founded (the naming removed)
    or not."""
    officer = OfficerFactory(department=entry.list.recognizing_department).user
    with clock.frozen(dt.date(2026, 10, 27)):
        services.record_objection(
            entry.pk, actor=officer, objector=person.name, grounds="已辞职",
            named_as="法定代表人", person=person,
        )  # fmt: skip
        if founded:
            services.remove_naming_after_verification(entry.pk, actor=officer, finding="属实")
        else:
            services.uphold_after_verification(entry.pk, actor=officer, finding="不成立")


def test_a_namings_changes_are_told_only_where_a_measure_targets_its_role(procurement):
    organisations_only = _client_with(procurement, "organisation")
    representatives = _client_with(procurement, "legal_representative")
    principals = _client_with(procurement, "principal")
    person = SubjectFactory(natural_person=True)
    entry = _listed(SubjectFactory(), legal_representative=person)
    _naming_objection(entry, person, founded=False)
    assert _page(organisations_only) == ([("took_effect", entry.pk)], 3)
    assert _page(representatives) == (
        [("took_effect", entry.pk), ("naming_suspended", entry.pk),
         ("naming_resumed", entry.pk)], 3,
    )  # fmt: skip
    assert _page(principals) == ([], 3)


def test_a_naming_removed_is_still_told_by_the_role_it_held(procurement):
    """Founded, the objection removes the naming: its changes, replayed from 0, still reach the
    measures on its role, and the took_effect they follow."""
    representatives = _client_with(procurement, "legal_representative")
    person = SubjectFactory(natural_person=True)
    entry = _listed(SubjectFactory(), legal_representative=person)
    _naming_objection(entry, person, founded=True)
    assert not ListEntryPerson.objects.exists()
    kinds, _ = _page(representatives)
    assert kinds == [("took_effect", entry.pk), ("naming_suspended", entry.pk),
                     ("naming_ended", entry.pk)]  # fmt: skip
    assert _page(_client_with(procurement, "principal"))[0] == []


def test_a_measure_on_persons_of_another_list_kind_does_not_count(procurement):
    """The targets test goes with the list's kind and domain, not instead of it."""
    measure = MeasureFactory(list_kinds=[ListKind.RED], targets=["person"])
    measure.scenarios.add(procurement)
    api = _client_with(procurement, "organisation")
    _listed(SubjectFactory(natural_person=True))
    red = ListEntryFactory(
        effective=True, subject=SubjectFactory(), list=ListDefinitionFactory(kind=ListKind.RED)
    )
    event(red, "sign", from_state="awaiting_signature")
    assert _page(api) == ([], 2)
