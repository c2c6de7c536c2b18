"""Factories with traits, for tests that read like the rules.

Identifiers are built valid from a sequence number, so factories never collide or fail a check.
"""

import datetime as dt
import functools
import itertools

import factory
from django.contrib.auth import get_user_model

from xinyong.catalog.models import CatalogItem, CreditRecord, Disclosure, InfoKind, ShareScope
from xinyong.core.identifiers import (
    check_uscc,
    citizen_id_check_character,
    organization_code_check_character,
    uscc_check_character,
)
from xinyong.listings.models import EntryState, ExitReason, ListDefinition, ListEntry, ListKind
from xinyong.measures.models import Measure, Scenario
from xinyong.subjects.models import (
    Department,
    DishonestyCategory,
    Domain,
    LinkedPerson,
    Officer,
    Region,
    Subject,
    SubjectKind,
)


def make_uscc(n: int, authority: str = "9", org_type: str = "1", region: str = "330106") -> str:
    org8 = f"{n % 10**8:08d}"
    first17 = f"{authority}{org_type}{region}{org8}{organization_code_check_character(org8)}"
    return first17 + uscc_check_character(first17)


def make_citizen_id(n: int, region: str = "330106") -> str:
    birth = dt.date(1960, 1, 1) + dt.timedelta(days=n % 20000)
    first17 = f"{region}{birth:%Y%m%d}{n % 1000:03d}"
    return first17 + citizen_id_check_character(first17)


def code_valid_both_ways(n: int = 0, region: str = "330106") -> str:
    """The ``n``-th citizen ID of ``make_citizen_id`` that is a valid USCC as well: 18 digits
    can pass both checks (about 1 in 341 IDs do), so such a code may be either's."""
    found = (
        code
        for code in map(functools.partial(make_citizen_id, region=region), itertools.count())
        if check_uscc(code).is_valid
    )
    return next(itertools.islice(found, n, None))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "330106"
    name = "西湖区"
    level = Region.Level.COUNTY


class DomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Domain

    code = factory.Sequence(lambda n: f"domain-{n}")
    name = factory.Sequence(lambda n: f"领域{n}")
    dishonesty_category = DishonestyCategory.MARKET_ORDER
    is_key_domain = True


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"dept-{n}")
    name = factory.Sequence(lambda n: f"部门{n}")
    level = Department.Level.CITY
    region = factory.SubFactory(RegionFactory)
    is_recognizing = True

    class Params:
        credit_office = factory.Trait(is_credit_office=True, is_recognizing=False)
        implementing = factory.Trait(is_implementing=True, is_recognizing=False)


class SubjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subject

    kind = SubjectKind.LEGAL_PERSON
    name = factory.Sequence(lambda n: f"杭州示例{n}号科技有限公司")
    identifier = factory.Sequence(make_uscc)
    region = factory.SubFactory(RegionFactory)

    class Params:
        natural_person = factory.Trait(
            kind=SubjectKind.NATURAL_PERSON,
            name=factory.Sequence(lambda n: f"张{n}"),
            identifier=factory.Sequence(make_citizen_id),
        )
        individual_business = factory.Trait(
            kind=SubjectKind.INDIVIDUAL_BUSINESS,
            identifier=factory.Sequence(lambda n: make_uscc(n, org_type="2")),
        )


class LinkedPersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LinkedPerson

    organisation = factory.SubFactory(SubjectFactory)
    person = factory.SubFactory(SubjectFactory, natural_person=True)
    role = LinkedPerson.Role.LEGAL_REPRESENTATIVE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"officer{n}")
    password = factory.django.Password("correct horse battery")


class OfficerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Officer

    user = factory.SubFactory(UserFactory)
    department = factory.SubFactory(DepartmentFactory)

    class Params:
        signer = factory.Trait(can_sign=True)


class CatalogItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CatalogItem

    code = factory.Sequence(lambda n: f"item-{n}")
    name = "行政处罚信息"
    info_kind = InfoKind.ADMINISTRATIVE
    legal_basis = "《中华人民共和国行政处罚法》"
    provider = factory.SubFactory(DepartmentFactory)
    subject_kinds = factory.LazyFunction(lambda: list(SubjectKind.values))
    share_scope = ShareScope.UNCONDITIONAL
    disclosure = Disclosure.PUBLIC


class CreditRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CreditRecord

    catalog_item = factory.SubFactory(CatalogItemFactory)
    subject = factory.SubFactory(SubjectFactory)
    department = factory.SelfAttribute("catalog_item.provider")
    document_number = factory.Sequence(lambda n: f"杭市监处罚〔2026〕{n}号")
    decision_date = dt.date(2026, 9, 1)
    issuing_body = factory.SelfAttribute("department.name")


class ListDefinitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ListDefinition

    code = factory.Sequence(lambda n: f"list-{n}")
    name = factory.Sequence(lambda n: f"名单{n}")
    kind = ListKind.BLACK
    domain = factory.SubFactory(DomainFactory)
    recognizing_department = factory.SubFactory(DepartmentFactory)
    criteria = "认定标准"
    legal_basis = "设定依据"
    validity_value = 3
    publicity_workdays = 20


class ListEntryFactory(factory.django.DjangoModelFactory):
    """An entry; traits name the workflow state with dates that fit it."""

    class Meta:
        model = ListEntry

    list = factory.SubFactory(ListDefinitionFactory)
    subject = factory.SubFactory(SubjectFactory)
    facts = "经查实的失信事实"
    basis = "认定依据"
    proposed_on = dt.date(2026, 9, 18)

    class Params:
        notified = factory.Trait(state=EntryState.NOTIFIED)
        in_publicity = factory.Trait(
            state=EntryState.IN_PUBLICITY,
            publicity_starts_on=dt.date(2026, 9, 21),
            publicity_ends_on=dt.date(2026, 10, 26),
        )
        awaiting_signature = factory.Trait(
            state=EntryState.AWAITING_SIGNATURE,
            publicity_starts_on=dt.date(2026, 9, 21),
            publicity_ends_on=dt.date(2026, 10, 26),
        )
        effective = factory.Trait(
            state=EntryState.EFFECTIVE,
            publicity_starts_on=dt.date(2026, 9, 21),
            publicity_ends_on=dt.date(2026, 10, 26),
            decision_document_number=factory.Sequence(lambda n: f"杭信认〔2026〕{n}号"),
            effective_on=dt.date(2026, 10, 27),
            valid_until=dt.date(2029, 10, 27),
        )
        exited = factory.Trait(
            state=EntryState.EXITED,
            exit_reason=ExitReason.EXPIRED,
            effective_on=dt.date(2023, 1, 1),
            valid_until=dt.date(2026, 1, 1),
            exited_on=dt.date(2026, 1, 2),
        )


class ScenarioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Scenario
        django_get_or_create = ("code",)

    code = "government_procurement"
    name = "政府采购"


class MeasureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Measure

    code = factory.Sequence(lambda n: f"measure-{n}")
    name = "限制参加政府采购活动"
    content = "依法限制参加政府采购活动"
    type = Measure.Type.PUNISHMENT
    mandatory = True
    legal_basis = "《中华人民共和国政府采购法》第二十二条"
    list_kinds = factory.LazyFunction(lambda: [ListKind.BLACK])


MEETING = "局务会议（纪要〔2026〕1号）"


def meeting_of(entry_id: int) -> dict:
    """What an officer states when telling the subject (R1): the meeting that decided to
    propose the listing, held the day the entry was proposed."""
    proposed_on = ListEntry.objects.values_list("proposed_on", flat=True).get(pk=entry_id)
    return {"meeting_on": proposed_on, "meeting": MEETING}


def meeting_fields(entry_id: int) -> dict:
    """``meeting_of`` as a form or a JSON body sends it."""
    fields = meeting_of(entry_id)
    return {**fields, "meeting_on": fields["meeting_on"].isoformat()}
