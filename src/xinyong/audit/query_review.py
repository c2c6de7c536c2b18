"""Reading the query registrations for review: filters, the union with checks, CSV (R14).

A check (``measures.Check``) is its own registration: the hot path of the check API writes no
second row, and the reviewer reads both together here. A check's purpose is joint action
(联合奖惩核查) and its scenario is the purpose's detail; its natural persons are one when the
subject checked is a person. A check also shows the name it was asked with: sent beside its
code, or the name of a check by name; masked as a person's name where it may be one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from xinyong.access.roles import Role
from xinyong.audit import purposes
from xinyong.audit.models import (
    QueryKind,
    QueryPurpose,
    QueryRegistration,
    QueryRegistrationPerson,
)
from xinyong.audit.registrations import MASKED_CITIZEN_ID
from xinyong.audit.unusual import FlaggedAccount, day_start, flagged_accounts
from xinyong.core.masking import mask_subject_name
from xinyong.core.names import may_be_a_persons_name
from xinyong.measures.models import Check
from xinyong.subjects.models import Subject, SubjectKind

CHECK_ROUTE = "POST /api/v1/checks"
CHECK_ROLE = Role.IMPLEMENTING_SYSTEM.value  # only an implementing department's token checks
# Both sides of the union are annotated with these names, which neither model uses.
COLUMNS = (
    "q_source", "q_ref", "q_at", "q_account", "q_actor", "q_department_code",
    "q_department_name", "q_role", "q_purpose", "q_purpose_detail", "q_kind", "q_route",
    "q_subject", "q_subject_name", "q_subject_kind", "q_persons", "q_rows", "q_address",
    "q_identifier_asked", "q_name_asked", "q_token",
)  # fmt: skip
FIELDS = (
    "source", "ref", "at", "account_id", "actor", "department_code", "department_name", "role",
    "purpose_code", "purpose_detail", "kind", "route", "subject_id", "subject_name",
    "subject_kind", "natural_persons", "rows", "client_address", "identifier_asked",
    "name_asked", "token",
)  # fmt: skip


@dataclass(frozen=True)
class QueryFilter:
    """What the reviewer asks for; dates are business dates in China, both ends included."""

    since: dt.date | None = None
    until: dt.date | None = None
    department: str = ""
    account: str = ""
    purpose: str = ""
    kind: str = ""
    subject_id: int | None = None
    unusual_only: bool = False


def _registration_base(f: QueryFilter, accounts: list[int] | None) -> QuerySet:
    rows = QueryRegistration.objects.order_by()  # no default ordering inside a union
    if f.since:
        rows = rows.filter(at__gte=day_start(f.since))
    if f.until:
        rows = rows.filter(at__lt=day_start(f.until + dt.timedelta(days=1)))
    if f.department:
        rows = rows.filter(department__code=f.department)
    if f.account:
        rows = rows.filter(actor=f.account)
    if accounts is not None:
        rows = rows.filter(account_id__in=accounts)
    if f.purpose:
        rows = rows.filter(purpose_id=f.purpose)
    if f.kind:
        rows = rows.filter(kind=f.kind)
    if f.subject_id is not None:  # as the answer's subject, or among the persons it names
        named = QueryRegistrationPerson.objects.filter(subject_id=f.subject_id)
        rows = rows.filter(Q(subject_id=f.subject_id) | Q(pk__in=named.values("registration_id")))
    return rows


def _subject_columns(f: QueryFilter) -> dict[str, Any]:
    """The subject a row shows: its own; for a bulk answer (no subject of its own) found by the
    person filtered on, that person, whom it names."""
    columns: dict[str, Any] = {"q_subject": F("subject_id"), "q_subject_name": F("subject__name"),
                               "q_subject_kind": F("subject__kind")}  # fmt: skip
    if f.subject_id is None:
        return columns
    person = Subject.objects.filter(pk=f.subject_id).values("name", "kind").first()
    if person is None:
        return columns
    return {
        "q_subject": Coalesce(F("subject_id"), Value(f.subject_id)),
        "q_subject_name": Coalesce(F("subject__name"), Value(person["name"])),
        "q_subject_kind": Coalesce(F("subject__kind"), Value(person["kind"])),
    }


def _registrations(f: QueryFilter, accounts: list[int] | None, rows: QuerySet | None = None,
                   ) -> QuerySet:  # fmt: skip
    """The columns of the union for the registrations of the filter, or for ``rows``."""
    rows = _registration_base(f, accounts) if rows is None else rows
    return rows.annotate(
        q_source=Value("registration", output_field=CharField()),
        q_ref=Cast("id", CharField()),
        q_at=F("at"), q_account=F("account_id"), q_actor=F("actor"),
        q_department_code=F("department__code"), q_department_name=F("department__name"),
        q_role=F("role"), q_purpose=F("purpose_id"), q_purpose_detail=F("purpose_detail"),
        q_kind=F("kind"), q_route=F("route"), **_subject_columns(f),
        q_persons=F("natural_persons"), q_rows=F("rows"),
        q_address=F("client_address"),
        q_identifier_asked=Value("", output_field=CharField()),
        q_name_asked=Value("", output_field=CharField()),
        # The API token it was asked with (a screening result's download, an entry read), by
        # its prefix, as a check's (R14); none for a page or the command line.
        q_token=Coalesce(F("token__prefix"), Value("", output_field=CharField())),
    ).values_list(*COLUMNS)  # fmt: skip


def _check_base(f: QueryFilter, accounts: list[int] | None) -> QuerySet | None:
    if (f.purpose and f.purpose != purposes.JOINT_ACTION) or (f.kind and f.kind != QueryKind.CHECK):
        return None
    rows = Check.objects.all()
    if f.since:
        rows = rows.filter(created_at__gte=day_start(f.since))
    if f.until:
        rows = rows.filter(created_at__lt=day_start(f.until + dt.timedelta(days=1)))
    if f.department:
        rows = rows.filter(department__code=f.department)
    if f.account:
        rows = rows.filter(user__username=f.account)
    if accounts is not None:
        rows = rows.filter(user_id__in=accounts)
    if f.subject_id is not None:
        rows = rows.filter(subject_id=f.subject_id)
    return rows


def _checks(f: QueryFilter, accounts: list[int] | None, rows: QuerySet | None = None,
            ) -> QuerySet | None:  # fmt: skip
    """The columns of the union for the checks of the filter, or for ``rows``."""
    base = _check_base(f, accounts)
    if base is None:
        return None
    rows = base if rows is None else rows
    person = Case(
        When(subject__kind=SubjectKind.NATURAL_PERSON, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return rows.annotate(
        q_source=Value("check", output_field=CharField()),
        q_ref=Cast("id", CharField()),
        q_at=F("created_at"), q_account=F("user_id"), q_actor=F("user__username"),
        q_department_code=F("department__code"), q_department_name=F("department__name"),
        q_role=Value(CHECK_ROLE, output_field=CharField()),
        q_purpose=Value(purposes.JOINT_ACTION, output_field=CharField()),
        q_purpose_detail=F("scenario__name"),  # the scenario is the purpose's detail
        q_kind=Value(QueryKind.CHECK.value, output_field=CharField()),
        q_route=Value(CHECK_ROUTE, output_field=CharField()),
        q_subject=F("subject_id"), q_subject_name=F("subject__name"),
        q_subject_kind=F("subject__kind"), q_persons=person,
        q_rows=Value(1, output_field=IntegerField()),
        q_address=F("client_address"),
        q_identifier_asked=F("query_identifier"),
        # The name sent beside the code, else the name a check by name was made by.
        q_name_asked=Case(When(name_with_code="", then=F("query_name")),
                          default=F("name_with_code"), output_field=CharField()),
        # Which of the account's tokens made it, by its public prefix (R14): a department's
        # tokens share its system account.
        q_token=Coalesce(F("token__prefix"), Value("", output_field=CharField())),
    ).values_list(*COLUMNS)  # fmt: skip


def _accounts(f: QueryFilter, flagged: dict[int, FlaggedAccount] | None) -> list[int] | None:
    """The flagged accounts when only they are asked for, else None (every account)."""
    if not f.unusual_only:
        return None
    return list(flagged if flagged is not None else flagged_accounts(f.since, f.until))


def query_rows(f: QueryFilter, flagged: dict[int, FlaggedAccount] | None = None) -> QuerySet:
    """Registrations and checks in one queryset of tuples (``COLUMNS``), newest first.

    ``flagged``: the accounts flagged for the same dates, when the caller has them already.
    """
    accounts = _accounts(f, flagged)
    registrations, checks = _registrations(f, accounts), _checks(f, accounts)
    combined = registrations.union(checks, all=True) if checks is not None else registrations
    return combined.order_by("-q_at", "-q_ref")


def _newest(rows: QuerySet, field: str, n: int) -> QuerySet:
    """The keys of the ``n`` first of ``rows`` in the union's order (newest first, then by
    reference): read backwards along the time index and stopped at ``n``."""
    ref = Cast("id", CharField())
    return rows.annotate(newest_ref=ref).order_by(f"-{field}", "-newest_ref").values("pk")[:n]


class QueryRows:
    """The rows of ``query_rows``, newest first, as pages of a paginator (``count`` and slices).

    A slice ending at row *n* takes from each side, registrations and checks, only its own first
    *n* rows in the union's order, read by the side's time index, and sorts those together: the
    rows a sort of the whole union would put there, in its order. The subjects' names and the
    other columns are joined for those rows only. (Sorting the whole union to keep one page
    joined every registration and check of the period to the subjects and sorted them all:
    seconds for the default 30 days.)
    """

    def __init__(self, f: QueryFilter, flagged: dict[int, FlaggedAccount] | None = None) -> None:
        self.f = f
        self.accounts = _accounts(f, flagged)

    def count(self) -> int:
        """Registrations and checks counted apart, with no columns joined."""
        checks = _check_base(self.f, self.accounts)
        total = _registration_base(self.f, self.accounts).count()
        return total + (checks.count() if checks is not None else 0)

    def __getitem__(self, index: slice) -> list[tuple]:
        if not isinstance(index, slice) or index.step is not None or index.stop is None:
            raise TypeError("QueryRows takes a slice with an end and no step")
        start, stop = index.start or 0, index.stop
        if stop <= start:
            return []
        f, accounts = self.f, self.accounts
        newest = _newest(_registration_base(f, accounts), "at", stop)
        combined = _registrations(
            f, accounts, QueryRegistration.objects.order_by().filter(pk__in=newest)
        )
        checks = _check_base(f, accounts)
        if checks is not None:
            newest = _newest(checks.order_by(), "created_at", stop)
            mine = _checks(f, accounts, Check.objects.order_by().filter(pk__in=newest))
            combined = combined.union(mine, all=True)
        return list(combined.order_by("-q_at", "-q_ref")[start:stop])


KIND_NAMES = dict(QueryKind.choices)
ROLE_NAMES = dict(Role.choices)
SOURCE_NAMES = {"registration": "查询登记", "check": "联合奖惩核查"}  # where a row is kept


@dataclass(frozen=True)
class QueryRow:
    """One row as the page and the CSV show it: names resolved, persons' names masked."""

    source: str
    ref: str
    at: dt.datetime
    account_id: int | None
    actor: str
    department_code: str
    department_name: str
    role: str
    purpose_code: str
    purpose_name: str
    purpose_detail: str
    kind: str
    kind_name: str
    role_name: str
    route: str
    subject_id: int | None
    subject_shown: str
    name_asked: str  # a check's: the name it was asked with, a person's masked
    natural_persons: int
    rows: int
    client_address: str
    flagged: bool
    token: str = ""  # the prefix of the API token that asked, through the API


def purpose_names() -> dict[str, str]:
    return dict(QueryPurpose.objects.values_list("code", "name"))


def shaped(values: list[tuple], flagged: dict[int, FlaggedAccount],
           names: dict[str, str] | None = None) -> list[QueryRow]:  # fmt: skip
    """``names``: the purposes' names by code, when the caller has read them already."""
    names = purpose_names() if names is None else names
    out = []
    for raw in values:
        row = dict(zip(FIELDS, raw, strict=True))
        subject_name, subject_kind = row.pop("subject_name"), row.pop("subject_kind")
        is_person = subject_kind == SubjectKind.NATURAL_PERSON
        identifier, name = row.pop("identifier_asked") or "", row.pop("name_asked") or ""
        out.append(
            QueryRow(
                **{**row, "department_code": row["department_code"] or "",
                   "department_name": row["department_name"] or "",
                   "client_address": row["client_address"] or "", "token": row["token"] or ""},
                purpose_name=names.get(row["purpose_code"], row["purpose_code"]),
                kind_name=str(KIND_NAMES.get(row["kind"], row["kind"])),
                role_name=str(ROLE_NAMES.get(row["role"], row["role"])),
                subject_shown=mask_subject_name(subject_name or "", is_natural_person=is_person),
                name_asked=shown_name_asked(name, identifier, is_person=is_person),
                flagged=row["account_id"] in flagged,
            )
        )  # fmt: skip
    return out


def shown_name_asked(name: str, identifier: str, *, is_person: bool) -> str:
    """The name a check was asked with, as the registry shows a subject's (R5, R14): masked to
    the surname where it may be a person's: sent beside a citizen ID (kept masked) or about a
    person, or shaped as a person's name (a check by 张伟, or 张伟 sent beside a company's code)."""
    person = (
        is_person
        or MASKED_CITIZEN_ID.fullmatch(identifier) is not None
        or may_be_a_persons_name(name)
    )
    return mask_subject_name(name, is_natural_person=person)


CSV_HEADER = (
    "时间", "来源", "编号", "账号", "部门代码", "部门", "角色", "查询事由代码", "查询事由",
    "事由说明", "查询类型", "路由", "主体编号", "主体", "所填名称", "自然人数", "返回行数",
    "客户端地址", "异常使用", "接口令牌",
)  # fmt: skip


def iter_rows(
    f: QueryFilter, flagged: dict[int, FlaggedAccount], *, chunk: int = 2000
) -> Iterator[QueryRow]:
    """Every row of the filter, newest first, in one sorted read streamed ``chunk`` rows at a
    time, so memory stays flat. (Pages by OFFSET sorted and skipped every row before each page
    again: an export of millions of rows took hours.)"""
    names = purpose_names()  # once, not for every chunk
    rows = query_rows(f, flagged).iterator(chunk_size=chunk)
    while page := list(islice(rows, chunk)):
        yield from shaped(page, flagged, names)


def csv_lines(f: QueryFilter) -> Iterator[list[str]]:
    """The header, then every row of the filter; source, role and kind by their Chinese names
    (the purpose has a column for its code and one for its name)."""
    flagged = flagged_accounts(f.since, f.until)
    yield list(CSV_HEADER)
    for r in iter_rows(f, flagged):
        yield [
            timezone.localtime(r.at).isoformat(timespec="seconds"),
            SOURCE_NAMES.get(r.source, r.source), r.ref, r.actor, r.department_code,
            r.department_name, r.role_name, r.purpose_code, r.purpose_name, r.purpose_detail,
            r.kind_name, r.route, str(r.subject_id or ""), r.subject_shown, r.name_asked,
            str(r.natural_persons), str(r.rows), r.client_address, "是" if r.flagged else "",
            r.token,  # last, so that the columns before keep their places for readers
        ]  # fmt: skip


def count_rows(f: QueryFilter) -> int:
    return query_rows(f).count()


def persons_in(f: QueryFilter) -> int:
    """Distinct natural persons named as subjects by the rows of the filter, or named by a bulk
    answer among them (only the person filtered on, when the filter names one)."""
    accounts = _accounts(f, None)
    person = {"subject__kind": SubjectKind.NATURAL_PERSON}
    base = _registration_base(f, accounts)
    subjects = base.filter(**person).values_list("subject_id")
    named = QueryRegistrationPerson.objects.filter(registration__in=base.values("pk"))
    if f.subject_id is not None:
        named = named.filter(subject_id=f.subject_id)
    subjects = subjects.union(named.values_list("subject_id"))
    checks = _check_base(f, accounts)
    if checks is not None:
        subjects = subjects.union(checks.filter(**person).values_list("subject_id"))
    return subjects.count()
