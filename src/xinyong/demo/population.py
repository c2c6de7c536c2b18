"""The demo's credit subjects in realistic proportions, and the persons linked to them.

Mostly enterprises and individual businesses; natural persons are their legal representatives
(one person may represent several organisations) and principals (落实到人, 004 §二(三)6).
A few organisations carry a code that fails its check character, kept for review (DOMAIN.md §4).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from xinyong.demo.organisations import OrganisationGenerator, with_wrong_check_character
from xinyong.demo.people import PersonGenerator
from xinyong.demo.regions import COUNTIES, County
from xinyong.subjects.models import IdentifierStatus, LinkedPerson, SubjectKind

K = SubjectKind
ROLE = LinkedPerson.Role
# Shares of the four kinds (the rest are legal persons), and of legal persons that are no company.
SHARES = {K.NATURAL_PERSON: 0.25, K.INDIVIDUAL_BUSINESS: 0.32, K.UNINCORPORATED: 0.05}
NON_COMPANY_SHARE = 0.12
REVIEW_SHARE = 0.002  # codes that fail their check character


@dataclass(slots=True)
class SubjectRow:
    kind: str
    name: str
    identifier: str
    county: County
    status: str = IdentifierStatus.VALID
    trade: bool = True  # False for associations, charities, institutions and village collectives


@dataclass
class Population:
    subjects: list[SubjectRow] = field(default_factory=list)
    # (organisation, person, role, since) as indexes into ``subjects``
    links: list[tuple[int, int, str, dt.date]] = field(default_factory=list)
    representative: dict[int, int] = field(default_factory=dict)
    principal: dict[int, int] = field(default_factory=dict)

    def by_kind(self) -> dict[str, int]:
        counts: dict[str, int] = {kind: 0 for kind in K.values}
        for row in self.subjects:
            counts[row.kind] += 1
        return counts


def kind_counts(total: int) -> dict[str, int]:
    counts = {kind: max(1, round(total * share)) for kind, share in SHARES.items()}
    counts[K.LEGAL_PERSON] = total - sum(counts.values())
    return counts


def generate_population(total: int, rng: random.Random, today: dt.date) -> Population:
    counts = kind_counts(total)
    people = PersonGenerator(rng, today)
    organisations = OrganisationGenerator(rng)
    population = Population()
    births: list[dt.date] = []
    surnames: list[str] = []
    for _ in range(counts[K.NATURAL_PERSON]):
        person = people.person()
        population.subjects.append(SubjectRow(K.NATURAL_PERSON, person.name, person.identifier,
                                              person.county))  # fmt: skip
        births.append(person.birth)
        surnames.append(person.surname)
    n_people = len(population.subjects)

    kinds = (
        [K.INDIVIDUAL_BUSINESS] * counts[K.INDIVIDUAL_BUSINESS]
        + [K.UNINCORPORATED] * counts[K.UNINCORPORATED]
        + [K.LEGAL_PERSON] * counts[K.LEGAL_PERSON]
    )
    rng.shuffle(kinds)

    def some_person(avoid: int = -1) -> int:
        # Skewed: a few people represent many organisations, as in real registers.
        while True:
            index = int(n_people * rng.random() ** 1.4)
            if index != avoid:
                return index

    def since(person: int) -> dt.date:
        established = today - dt.timedelta(days=rng.randint(30, 25 * 365))
        adult = births[person].replace(
            year=births[person].year + 20, day=min(births[person].day, 28)
        )
        return min(max(established, adult), today - dt.timedelta(days=30))

    for kind in kinds:
        county = rng.choice(COUNTIES)
        representative = some_person()
        if kind == K.INDIVIDUAL_BUSINESS:
            org = organisations.individual_business(county, surnames[representative])
        elif kind == K.UNINCORPORATED:
            org = organisations.unincorporated(county)
        elif rng.random() < NON_COMPANY_SHARE:
            org = organisations.non_company_legal_person(county)
        else:
            org = organisations.company(county)
        index = len(population.subjects)
        # Registered by market regulation (authority 9): companies, cooperatives, shops.
        trade = org.identifier.startswith("9")
        row = SubjectRow(org.kind, org.name, org.identifier, org.county, trade=trade)
        population.subjects.append(row)
        population.representative[index] = representative
        population.links.append(
            (index, representative, ROLE.LEGAL_REPRESENTATIVE, since(representative))
        )
        if kind != K.INDIVIDUAL_BUSINESS and n_people > 1 and rng.random() < 0.18:
            principal = some_person(avoid=representative)
            population.principal[index] = principal
            population.links.append((index, principal, ROLE.PRINCIPAL, since(principal)))

    _flag_for_review(population, n_people, rng, organisations.codes)
    return population


def _flag_for_review(
    population: Population, first_org: int, rng: random.Random, codes: set[str]
) -> None:
    organisations = range(first_org, len(population.subjects))
    count = min(len(organisations), max(3, round(len(organisations) * REVIEW_SHARE)))
    for index in rng.sample(organisations, count):
        row = population.subjects[index]
        wrong = with_wrong_check_character(row.identifier, rng)
        while wrong in codes:
            wrong = with_wrong_check_character(row.identifier, rng)
        codes.add(wrong)
        row.identifier, row.status = wrong, IdentifierStatus.REVIEW
