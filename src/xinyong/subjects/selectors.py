"""Reads about subjects that more than one app needs."""

from __future__ import annotations

import dataclasses

from xinyong.subjects.models import Subject


@dataclasses.dataclass(frozen=True)
class LinkedNames:
    """The names a text about a subject may contain besides the officer's own words."""

    persons: list[str]  # natural persons: masked on public surfaces (R5)
    organisations: list[str]  # published in full (R5)


def linked_names(subject: Subject) -> LinkedNames:
    """For a natural person, its name and the organisations it is linked to; for an
    organisation, the persons linked to it (legal representative, principal, responsible
    person: 004 §二(三)6), past links included, and its own name.

    The links are read through the subject's relations, so that a page of many subjects
    prefetches them (``LINKED_NAMES_PREFETCH``)."""
    if subject.is_natural_person:
        links = subject.linked_organisations.all()
        organisations = sorted({link.organisation.name for link in links})
        return LinkedNames(persons=[subject.name], organisations=organisations)
    persons = sorted({link.person.name for link in subject.linked_persons.all()} - {""})
    return LinkedNames(persons=persons, organisations=[subject.name])


# What ``linked_names`` reads, to prefetch from a query of subjects.
LINKED_NAMES_PREFETCH = ("linked_persons__person", "linked_organisations__organisation")
