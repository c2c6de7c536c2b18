"""Registering answers that contain personal data, called by the pages and API operations (R14).

The rule: an answer registers one row when it names at least one natural person — a person as
the subject, a person named on an organisation's entry (落实到人), or a citizen ID in a file. A
list answer registers one row per person it names as a row's subject, naming that person
(``register_persons_named``), so that the reviewer finds every answer about a person; a
screening run, which names up to a hundred thousand, registers one row naming each of them
(``services.register_persons_found``). An answer about organisations only names no person and
registers nothing. Checks are registered by their own ``measures.Check`` row, and the reviewer
reads both together.

Each function is one call at the place that answers, made before the answer leaves, so an answer
whose registration failed is never given.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from xinyong.api.types import Pagination
from xinyong.audit import purposes, services
from xinyong.audit.models import QueryKind, QueryRegistration
from xinyong.core.identifiers import normalize_identifier
from xinyong.core.masking import mask_id_number
from xinyong.core.protection import (
    CITIZEN_ID_RUN,
    is_legacy_citizen_id,
    is_organisations_code,
    mask_citizen_ids,
)

# A citizen ID as pages and reports show it (its first 6 characters, then the last 4 of 18 or
# the last 3 of a first-generation 15, after the birth date): still a person.
MASKED_CITIZEN_ID = re.compile(
    r"(?<![0-9A-Za-z*])[1-9][0-9]{5}(?:\*{8}[0-9]{3}[0-9Xx]|\*{6}[0-9]{3})(?![0-9A-Za-z*])"
)


def client_address(request: HttpRequest) -> str | None:
    """The address of whoever sent ``request`` (R14: registered with what they asked; R7: the
    report budget is counted by it).

    Behind a reverse proxy the peer is the proxy. When the peer is one of
    ``XINYONG_TRUSTED_PROXIES``, the client is the right-most address in X-Forwarded-For that
    is not a trusted proxy: each proxy appends the address it was reached from, and whatever
    lies left of the first trusted one's entry the client wrote itself. Entries that are not
    addresses are passed over. An untrusted peer's X-Forwarded-For is never read.
    """
    remote = request.META.get("REMOTE_ADDR") or None
    trusted = _trusted_networks(tuple(settings.XINYONG_TRUSTED_PROXIES))
    if remote is None or not trusted or not _within(_address(remote), trusted):
        return remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(entry)
        if address is not None and not _within(address, trusted):
            return str(address)
    return remote  # nothing forwarded but proxies: the nearest proxy is all that is known


Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@functools.lru_cache(maxsize=8)
def _trusted_networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(entry: str) -> Address | None:
    """An X-Forwarded-For entry as an address: bare, or with a port (``[v6]:port``,
    ``v4:port``), as proxies write it; None for anything else."""
    text = entry.strip()
    if text.startswith("["):
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped  # an IPv4 peer of a dual-stack socket
    return address


def _within(address: Address | None, networks: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in networks)


def route_of(request: HttpRequest) -> str:
    """The route pattern asked (never the values in it) and the method. A row id is written
    ``<int:…>`` whatever converter bounds it (``xinyong.row_urls``): the notation registrations
    were kept in before it, so that a review finds one page under one route (R14)."""
    match = getattr(request, "resolver_match", None)
    pattern = match.route if match is not None else request.path
    return f"{request.method} /{pattern.lstrip('/').replace('<row:', '<int:')}"


def caller(request: HttpRequest) -> Any:
    """The account behind a page (session) or an API operation (token)."""
    auth = getattr(request, "auth", None)
    return auth if hasattr(auth, "get_username") else request.user


def token_of(request: HttpRequest) -> Any:
    """The API token an operation was called with, none for a page: a department's tokens all
    act as its one system account, so the account alone cannot tell them apart (R14)."""
    return getattr(request, "api_token", None)


def register_request(
    request: HttpRequest,
    *,
    purpose: str,
    kind: str,
    natural_persons: int,
    rows: int,
    subject: Any = None,
    purpose_detail: str = "",
    only_with_persons: bool = True,
) -> QueryRegistration | None:
    """Register an answer given to ``request``; nothing when it names no natural person,
    unless ``only_with_persons`` is off (a reviewer's export is registered whatever it holds)."""
    if only_with_persons and natural_persons <= 0:
        return None
    return services.register_query(
        actor=caller(request), purpose=purpose, kind=kind, route=route_of(request),
        natural_persons=natural_persons, rows=rows, subject=subject,
        purpose_detail=purpose_detail, client_address=client_address(request),
        token=token_of(request),
    )  # fmt: skip


def register_persons_named(
    request: HttpRequest,
    *,
    purpose: str,
    kind: str,
    subjects: Iterable[Any],
    rows: int,
    others: int = 0,
    purpose_detail: str = "",
) -> list[QueryRegistration]:
    """Register a list answer by the persons it names: one row per distinct natural person
    among ``subjects`` (the subjects of its rows), naming that person, so that the reviewer's
    "who looked up this person" finds a search or a page filtered by a citizen ID as it finds
    the person's own page, and the unusual-use count takes each person once (R14). Persons it
    names otherwise, not by subject (on an organisation's entry, in a file's cells), are
    ``others``: one more row counts them without a subject. All in one insert; nothing when
    the answer names no person."""
    persons = list({s.pk: s for s in subjects if s is not None and s.is_natural_person}.values())
    about: list[tuple[Any, int]] = [(person, 1) for person in persons]
    if others > 0:
        about.append((None, others))
    if not about:
        return []
    return services.register_queries(
        actor=caller(request), purpose=purpose, kind=kind, route=route_of(request), about=about,
        rows=rows, purpose_detail=purpose_detail, client_address=client_address(request),
        token=token_of(request),
    )  # fmt: skip


# -- what an answer names -------------------------------------------------------------------


def persons_in_entry(entry: Any) -> int:
    """The subject when it is a person, and the persons an organisation's entry names."""
    return int(entry.subject.is_natural_person) + entry.persons.count()


def citizen_ids_in(lines: Iterable[str]) -> int:
    """Citizen IDs in lines of text (a report or a result file): full ones counted once each,
    masked ones (which cannot be told apart) once per occurrence, except the mask of a full ID
    on the same line, the same person shown twice (a screening result repeats the code asked
    and adds the subject found, masked). Shape, not validity: a mistyped ID in a quarantine
    report still names a person. An old 15-digit ID, which has no check character, counts when
    it reads as one (a province and a real birth date)."""
    seen: set[str] = set()
    masked = 0
    for line in lines:
        full = {match.upper() for match in CITIZEN_ID_RUN.findall(line) if _person(match)}
        seen |= full
        shown = {mask_id_number(number) for number in full}
        masked += sum(1 for mask in MASKED_CITIZEN_ID.findall(line) if mask.upper() not in shown)
    return len(seen) + masked


def _person(run: str) -> bool:
    if len(run) == 15:
        return is_legacy_citizen_id(run)
    return not is_organisations_code(run)


def citizen_ids_in_file(path: str | Path) -> int:
    with Path(path).open(encoding="utf-8-sig", errors="replace") as stream:
        return citizen_ids_in(stream)


# -- one call per answering place -----------------------------------------------------------


def register_entry_read(request: HttpRequest, entry: Any) -> QueryRegistration | None:
    """An entry's page or API read: registered when its subject or a named person is a person."""
    return register_request(
        request, purpose=purposes.LISTING_PROCEDURE, kind=QueryKind.ENTRY_READ,
        natural_persons=persons_in_entry(entry), rows=1, subject=entry.subject,
    )  # fmt: skip


def register_refused_proposal(
    request: HttpRequest, *, list_code: str, code: str, subject: Any, refusal: str
) -> QueryRegistration | None:
    """A proposal refused once its subject was looked up: the refusal answers about the
    subject (on another department's black list, already listed, or no subject with the
    code), so it is registered when the subject, or the code asked, is a natural person's
    (R14). A code no subject has is kept masked in the purpose's detail, as a check keeps
    it; a proposal made is registered by its answer (``register_entry_read``)."""
    if subject is not None:
        persons, detail = int(subject.is_natural_person), f"提请列入名单 {list_code}，未获受理"
    else:
        asked = normalize_identifier(code)
        shown = mask_citizen_ids(asked)
        persons = int(shown != asked)  # a citizen ID, masked; an organisation's code is not
        detail = f"提请列入名单 {list_code}，未找到信用主体 {shown}"
    return register_request(
        request, purpose=purposes.LISTING_PROCEDURE, kind=QueryKind.SUBJECT_SEARCH,
        natural_persons=persons, rows=int(subject is not None), subject=subject,
        purpose_detail=f"{detail}（{refusal}）",
    )  # fmt: skip


def register_repair_read(
    request: HttpRequest, application: Any, kind: str = QueryKind.ENTRY_READ
) -> QueryRegistration | None:
    """A credit repair application's page or API read, or one of its materials (``kind``
    export): registered when its subject is a person (R14, R8). The office pages and the API
    call this one function, so the two register alike."""
    return register_request(
        request, purpose=purposes.CREDIT_REPAIR, kind=kind,
        natural_persons=int(application.subject.is_natural_person), rows=1,
        subject=application.subject,
    )  # fmt: skip


def register_repair_list(request: HttpRequest, applications: list[Any]) -> list[QueryRegistration]:
    """A list of repair applications: one row per subject that is a person, as a page of the
    API's list registers (``RegisteredPagination``)."""
    return register_persons_named(
        request, purpose=purposes.CREDIT_REPAIR, kind=QueryKind.ENTRY_LIST,
        subjects=[a.subject for a in applications], rows=len(applications),
    )  # fmt: skip


def register_report_list(request: HttpRequest, reports: list[Any]) -> list[QueryRegistration]:
    """A list of reports on red-list entries, which names the reported subjects (never who
    reported): one row per subject that is a person, for the purpose a page of the API's list
    registers with (``reports/api.py``, ``RegisteredPagination``)."""
    return register_persons_named(
        request, purpose=purposes.LISTING_PROCEDURE, kind=QueryKind.ENTRY_LIST,
        subjects=[report.entry.subject for report in reports], rows=len(reports),
    )  # fmt: skip


def persons_in_report_row(names_natural_person: bool, values: Iterable[Any]) -> int:
    """A report row whose subject is a person names that person, whether or not it gives an ID
    number; another row names the persons whose citizen IDs are in its cells (a legal
    representative's)."""
    if names_natural_person:
        return 1
    return citizen_ids_in(["\t".join(str(cell) for cell in values or ())])


def register_import_report(
    request: HttpRequest, job: Any, *, shown: Iterable[int] | None = None
) -> QueryRegistration | None:
    """An import report: downloaded whole, or the rows numbered ``shown`` on the job's page.
    The persons are the rows whose subject is a person, and the citizen IDs in the others."""
    rows = job.report_rows.all()
    kind = QueryKind.EXPORT
    if shown is not None:
        rows, kind = rows.filter(row_number__in=set(shown)), QueryKind.REPORT
    persons = count = 0
    for is_person, values in (
        rows.order_by().values_list("names_natural_person", "values").iterator(chunk_size=2000)
    ):
        persons += persons_in_report_row(is_person, values)
        count += 1
    return register_request(
        request, purpose=purposes.DATA_QUALITY, kind=kind, natural_persons=persons, rows=count,
        purpose_detail=f"导入批次 {job.pk}",
    )  # fmt: skip


def register_screening_result(
    request: HttpRequest, job: Any, persons: tuple[list[int], int] | None = None
) -> QueryRegistration | None:
    """A screening result download, in the job's scenario (the scenario is the purpose's
    detail). ``persons``: the persons the run found (subject ids) and the citizen IDs asked
    that no subject has, as the run kept them: the registration names each person, so that the
    reviewer finds the download under each (``services.register_persons_found``). A job run
    before they were kept registers the citizen IDs its file shows, counted."""
    if persons is None:
        return register_request(
            request, purpose=purposes.JOINT_ACTION, kind=QueryKind.EXPORT,
            natural_persons=citizen_ids_in_file(job.output_path), rows=job.rows,
            purpose_detail=job.scenario.name,
        )  # fmt: skip
    found, asked = persons
    return services.register_persons_found(
        actor=caller(request), purpose=purposes.JOINT_ACTION, kind=QueryKind.EXPORT,
        route=route_of(request), subject_ids=found, others=asked, rows=job.rows,
        purpose_detail=job.scenario.name, client_address=client_address(request),
        token=token_of(request),
    )  # fmt: skip


class RegisteredPagination(Pagination):
    """Limit/offset pages of list entries, each page registered with the persons it names, one
    row per person (``register_persons_named``): a page filtered by a citizen ID names that one.

    Another kind of row (a repair application, a report) names its subject elsewhere and is
    read for another purpose: a subclass says so with ``purpose`` and ``subject_of``."""

    purpose = purposes.LISTING_PROCEDURE

    @staticmethod
    def subject_of(item: Any) -> Any:
        return item.subject

    def paginate_queryset(self, queryset: Any, pagination: Any, request: HttpRequest, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(page[self.items_attribute])
        page[self.items_attribute] = items
        register_persons_named(
            request, purpose=self.purpose, kind=QueryKind.ENTRY_LIST,
            subjects=[self.subject_of(item) for item in items], rows=len(items),
        )  # fmt: skip
        return page


def register_feedback(request: HttpRequest, subject: Any) -> QueryRegistration | None:
    """A report on a check about a person, taken or refused: it is judged against the person's
    entries as they stand now (ended, or under objection: ``measures.services``), so its
    answer tells them, as a new check would (R14). Nothing for an organisation's check."""
    return register_request(
        request, purpose=purposes.JOINT_ACTION, kind=QueryKind.CHECK,
        natural_persons=1 if subject is not None and subject.is_natural_person else 0, rows=1,
        subject=subject, purpose_detail="执行反馈",
    )  # fmt: skip


def register_change_feed(
    request: HttpRequest, entries: list[Any], persons: Iterable[Any] = ()
) -> list[QueryRegistration]:
    """A page of the change feed: one row per person it names, an entry's subject that is a
    person or a person whose naming in an entry a change tells of (``persons``)."""
    return register_persons_named(
        request, purpose=purposes.JOINT_ACTION, kind=QueryKind.ENTRY_LIST,
        subjects=[*(entry.subject for entry in entries), *persons], rows=len(entries),
    )  # fmt: skip
