"""Writing the audit trail: every service's write leaves exactly one row (R14)."""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from typing import Any

from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone

from xinyong.audit.chain import GENESIS_HASH, row_hash
from xinyong.audit.models import (
    AuditChainHead,
    AuditEntry,
    QueryRegistration,
    QueryRegistrationPerson,
)

SYSTEM_ACTOR = "system"


def _json_safe(value: Any) -> Any:
    """What a JSON column gives back, so the hash taken now matches the one verified later."""
    if value is None:
        return None
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def describe_actor(actor: Any) -> tuple[str, str]:
    """(account name, department code) of a user, an officer or a plain label such as 'system'."""
    if actor is None:
        return SYSTEM_ACTOR, ""
    if isinstance(actor, str):
        return actor, ""
    officer = getattr(actor, "officer", None) if hasattr(actor, "get_username") else actor
    user = actor if hasattr(actor, "get_username") else actor.user
    department = officer.department.code if officer is not None else ""
    return user.get_username(), department


@transaction.atomic
def record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | tuple[str, str],
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one row to the chain, inside the caller's transaction.

    The head row is updated first: that takes the write lock on both PostgreSQL (row lock) and
    SQLite (database lock), so concurrent writers append one after another.
    """
    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        object_type, object_id = obj._meta.label_lower, str(obj.pk)
    if not AuditChainHead.objects.filter(pk=1).update(length=F("length") + 1):
        # The very first row: writers that meet here all create the head (one succeeds, the
        # others wait on its key and then find it), and all count themselves on it after.
        AuditChainHead.objects.get_or_create(
            pk=1, defaults={"length": 0, "last_hash": GENESIS_HASH}
        )
        AuditChainHead.objects.filter(pk=1).update(length=F("length") + 1)
    head = AuditChainHead.objects.select_for_update().get(pk=1)
    username, department = describe_actor(actor)
    fields: dict[str, Any] = {
        "seq": head.length,
        "at": timezone.now(),
        "actor": username,
        "department": department,
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "before": _json_safe(before),
        "after": _json_safe(after),
        "reason": reason,
        "prev_hash": head.last_hash,
    }
    fields["hash"] = row_hash(fields)
    entry = AuditEntry.objects.create(**fields)
    AuditChainHead.objects.filter(pk=1).update(last_hash=entry.hash)
    return entry


def register_query(
    *,
    actor: Any,
    purpose: str,
    kind: str,
    route: str,
    natural_persons: int,
    rows: int,
    subject: models.Model | None = None,
    purpose_detail: str = "",
    client_address: str | None = None,
    token: Any = None,
) -> QueryRegistration:
    """Register one answer that contained personal data, in the caller's transaction (R14).

    ``actor`` is the account that asked (None or a label for the command line); its department
    and role are taken as they are now, so a later change of post does not rewrite history.
    ``token``: the API token it was asked with, none for a page or the command line.
    """
    return register_queries(
        actor=actor, purpose=purpose, kind=kind, route=route, about=[(subject, natural_persons)],
        rows=rows, purpose_detail=purpose_detail, client_address=client_address, token=token,
    )[0]  # fmt: skip


def register_queries(
    *,
    actor: Any,
    purpose: str,
    kind: str,
    route: str,
    about: Sequence[tuple[models.Model | None, int]],
    rows: int,
    purpose_detail: str = "",
    client_address: str | None = None,
    token: Any = None,
) -> list[QueryRegistration]:
    """Register one answer as several rows, one per (subject, natural persons) in ``about``,
    written in one insert (R14): an answer naming many persons names each of them, so that
    the reviewer finds it under any one, at the cost of one round trip for a long page."""
    shared = _registration_values(
        actor=actor, purpose=purpose, kind=kind, route=route, rows=rows,
        purpose_detail=purpose_detail, client_address=client_address, token=token,
    )  # fmt: skip
    return QueryRegistration.objects.bulk_create(
        [QueryRegistration(**shared, subject=subject, natural_persons=persons)
         for subject, persons in about]
    )  # fmt: skip


def _registration_values(
    *, actor: Any, purpose: str, kind: str, route: str, rows: int, purpose_detail: str,
    client_address: str | None, token: Any = None,
) -> dict[str, Any]:  # fmt: skip
    """What every row registering one answer holds: who, department and role as they are now,
    the API token asked with, purpose, kind, route, rows and time (R14)."""
    from xinyong.access.roles import role_of

    username, _department = describe_actor(actor)
    account = actor if hasattr(actor, "get_username") else None
    officer = getattr(account, "officer", None) if account is not None else None
    return {
        "at": timezone.now(),
        "account": account,
        "actor": username,
        "department_id": officer.department_id if officer is not None else None,
        "role": str(role_of(account)) if account is not None else "",
        "purpose_id": purpose,
        "purpose_detail": purpose_detail[:500],
        "kind": kind,
        "route": route[:200],
        "rows": rows,
        "client_address": client_address or None,
        # The row, when there is one: a grant with no row (the demo's history) registers none,
        # as a check does.
        "token_id": getattr(token, "pk", None),
    }


@transaction.atomic
def register_persons_found(
    *, actor: Any, purpose: str, kind: str, route: str, subject_ids: Collection[int],
    others: int, rows: int, purpose_detail: str = "", client_address: str | None = None,
    token: Any = None,
) -> QueryRegistration | None:  # fmt: skip
    """Register one answer naming the natural persons ``subject_ids`` and ``others`` persons
    more that no subject is (citizen IDs asked that nobody has) (R14): one registration, whose
    natural persons are all of them, and one ``QueryRegistrationPerson`` per subject, so that
    the reviewer finds the answer under each; nothing when it names no one.

    For an answer naming many persons (a screening run names a hundred thousand): the ids go
    to the database as one parameter, an array or a JSON list, and each person is written as
    two ids (see ``QueryRegistrationPerson``).
    """
    if not subject_ids and others <= 0:
        return None
    shared = _registration_values(
        actor=actor, purpose=purpose, kind=kind, route=route, rows=rows,
        purpose_detail=purpose_detail, client_address=client_address, token=token,
    )  # fmt: skip
    registration = QueryRegistration.objects.create(
        **shared, subject=None, natural_persons=len(subject_ids) + max(others, 0)
    )
    if not subject_ids:
        return registration
    table = connection.ops.quote_name(QueryRegistrationPerson._meta.db_table)
    ordered = sorted(set(subject_ids))
    if connection.vendor == "postgresql":
        # The array as its text, made in C: handed a list, the driver adapts each of a hundred
        # thousand ids in Python (some 60 ms for 63,000, against 9 ms).
        persons, ids = (
            "unnest(%s::bigint[]) AS t(p)",
            f"{{{','.join(map(str, map(int, ordered)))}}}",
        )
    else:
        persons, ids = "(SELECT value AS p FROM json_each(%s))", json.dumps(ordered)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (registration_id, subject_id) SELECT %s, p FROM {persons}",
            [registration.pk, ids],
        )
    return registration
