"""Reads about subjects that more than one app needs."""

from __future__ import annotations

import dataclasses

from xinyong.subjects.models import LinkedPerson, Subject


@dataclasses.dataclass(frozen=True)
class LinkedNames:
    """The names a text about a subject may contain besides the officer's own words."""

    persons: list[str]  # natural persons: masked on public surfaces (R5)
    organisations: list[str]  # published in full (R5)


def linked_names(subject: Subject) -> LinkedNames:
    """For a natural person, its name and the organisations it is linked to; for an
    organisation, the persons linked to it (legal representative, principal, responsible
    person: 004 §二(三)6), past links included, and its own name."""
    if subject.is_natural_person:
        links = LinkedPerson.objects.filter(person=subject).select_related("organisation")
        organisations = sorted({link.organisation.name for link in links})
        return LinkedNames(persons=[subject.name], organisations=organisations)
    links = LinkedPerson.objects.filter(organisation=subject).select_related("person")
    persons = sorted({link.person.name for link in links if link.person.name})
    return LinkedNames(persons=persons, organisations=[subject.name])
