"""The data key from the settings, and what a subject's identifier becomes at rest (R14).

``XINYONG_DATA_KEY`` holds the secrets (see ``xinyong.core.protection.KeyRing.parse``). When it
is not set — development and tests — the keys are derived from ``SECRET_KEY``, and the deploy
check ``subjects.E001`` refuses that for production.
"""

from __future__ import annotations

import dataclasses
import functools
import json

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.db.models import Q, TextField
from django.db.models.functions import Cast

from xinyong.core.identifiers import normalize_identifier
from xinyong.core.masking import mask_id_number
from xinyong.core.protection import (
    DAMAGED,
    ID_RUN_EITHER_WIDTH,
    KeyRing,
    ProtectionError,
    looks_like_citizen_id,
    mask_citizen_ids_in,
    shows_in_clear,
    stored_key_mismatch,
)
from xinyong.settings import INSECURE_DEFAULT_SECRET_KEY

BATCH = 2_000  # rows read and written at a time by the migrations' helpers


@functools.lru_cache(maxsize=4)
def _keyring(data_key: str, secret_key: str) -> KeyRing:
    return KeyRing.parse(data_key) if data_key else KeyRing.from_secret_key(secret_key)


def keyring() -> KeyRing:
    """The data key's ring; refused when it would come from the built-in development key.

    Identifiers are stored and looked up by their keyed hash (R14), so a command run with
    another key than the data's finds no one and records every subject again: a cron job or a
    command typed with no key in its environment silently split the data. The built-in key is
    taken only with DEBUG on, or where the tests allow it (``XINYONG_DEVELOPMENT_KEY_ALLOWED``).
    """
    data_key = getattr(settings, "XINYONG_DATA_KEY", "")
    secret_key = settings.SECRET_KEY
    development = not data_key and secret_key == INSECURE_DEFAULT_SECRET_KEY
    if development and not (settings.DEBUG or _development_key_allowed()):
        raise ImproperlyConfigured(NO_KEY)
    return _keyring(data_key, secret_key)


def _development_key_allowed() -> bool:
    return getattr(settings, "XINYONG_DEVELOPMENT_KEY_ALLOWED", False)


NO_KEY = (
    "Neither XINYONG_DATA_KEY nor SECRET_KEY is set, so identifiers cannot be stored or looked "
    "up with the key the data was stored with. Set them in the environment as the server has "
    "them (after `make demo`, var/secret_key is read by itself when run from the project)."
)


WRONG_KEY = (
    "This process's key is not the one the identifiers already stored were written under "
    "({reason}): what it encrypted now, the server could not open, and `xinyong ids rekey` "
    "would fail on it. Set XINYONG_DATA_KEY in the environment as the server has it (where the "
    "server sets none, its key comes from SECRET_KEY: set SECRET_KEY as the server has it) and "
    "run again; this step wrote nothing."
)
DAMAGED_STORED = (
    "A stored identifier cannot be read ({reason}), so the data key cannot be proven against "
    "it; the key may well be right. Restore that subject's row from a backup (its look-up hash "
    "begins {digest}) and run again; this step wrote nothing."
)
LOOK_UP_KEY_RETIRED = (
    " If the oldest version was removed from XINYONG_DATA_KEY on purpose, run "
    "`xinyong ids rekey` first."
)


def require_the_stored_key(subjects) -> None:
    """Refuse to write identifiers under another key than the stored ones' (R14).

    ``subjects`` is the subject model, as a migration has it. The oldest and the newest
    ciphertexts stored must open under this process's key and hash to their stored digests;
    with none stored, the oldest code kept in clear must hash to its digest. An empty table
    proves nothing and passes, with no key asked for (a first ``migrate`` may run without).
    A migration that encrypts calls this before it writes: run with another SECRET_KEY or
    XINYONG_DATA_KEY than the server's, it would otherwise succeed and store what the server
    cannot open. Raises ``ImproperlyConfigured``.
    """
    stored = subjects.objects.exclude(identifier_digest="").order_by("pk")
    sealed = stored.exclude(identifier_sealed="").values_list(
        "identifier_digest", "identifier_sealed"
    )
    samples = [{"digest": d, "sealed": s} for d, s in filter(None, [sealed.first(), sealed.last()])]
    if not samples:
        clear = stored.filter(identifier_sealed="").values_list("identifier_digest", "identifier")
        samples = [{"digest": d, "clear": c} for d, c in filter(None, [clear.first()])]
    if refusal := _refusal(samples):
        raise ImproperlyConfigured(refusal)


def stored_key_refusal(*, rehashing: bool = False) -> str:
    """Why this process must not read or write subjects' identifiers, or "" (R14).

    A process whose key is not the one the identifiers are stored under finds no one by a
    code or ID, records a subject found before a second time, and seals what the server
    cannot open. ``xinyong serve`` asks before it serves (``deployment.unready_install``),
    each command that uses subjects before its first read (``require_the_data_key``), and
    ``xinyong check --deploy`` (``subjects.E003``).

    Three reads of a row through an index, whatever the table's size: the oldest and the
    newest subject (their ciphertext if sealed, else their code's digest) and a person, found
    through the index on kind (a person's ID is always sealed: the key that seals is proven
    even when organisations hold both ends of the table). ``require_the_stored_key`` reads
    the oldest and newest ciphertexts instead, which a table with few persons makes a scan:
    a migration may afford it, a command run every day may not. An empty table proves
    nothing and passes, with no key asked for.

    ``rehashing``: for ``xinyong ids rekey``, which computes the look-up hashes again. A
    stored ciphertext must open, but a digest may differ (the oldest version taken out of
    XINYONG_DATA_KEY on purpose), and a code in clear proves nothing: rekey hashes it again,
    and with the server's key it is hashed back as it was.
    """
    from xinyong.subjects.models import Subject, SubjectKind  # the models import this module

    stored = Subject.objects.exclude(identifier_digest="")
    columns = ("identifier_digest", "identifier_sealed", "identifier")
    persons = stored.filter(kind=SubjectKind.NATURAL_PERSON).exclude(identifier_sealed="")
    rows = [
        stored.order_by("pk").values_list(*columns).first(),
        stored.order_by("-pk").values_list(*columns).first(),
        persons.order_by("kind", "region_id").values_list(*columns).first(),
    ]
    samples = [
        {"digest": digest, "sealed": sealed} if sealed else {"digest": digest, "clear": clear}
        for digest, sealed, clear in dict.fromkeys(filter(None, rows))
    ]
    # A ciphertext first: one that opens tells a look-up key retired on purpose from a wrong key.
    samples.sort(key=lambda sample: "sealed" not in sample)
    return _refusal(samples, rehashing=rehashing)


def require_the_data_key(*, rehashing: bool = False) -> None:
    """For a command that reads or writes subjects' identifiers, before its first read: the
    refusal of ``stored_key_refusal`` as a ``CommandError`` (the reason, exit status 1, no
    traceback), before anything is written (R14)."""
    if refusal := stored_key_refusal(rehashing=rehashing):
        raise CommandError(refusal)


def _refusal(samples: list[dict[str, str]], *, rehashing: bool = False) -> str:
    """The refusal, naming the setting to fix, for the first sample the key does not prove."""
    if rehashing:
        samples = [sample for sample in samples if "sealed" in sample]
    if not samples:
        return ""
    try:  # the key is asked for only now: an empty database needs none
        ring = keyring()
    except ValueError as malformed:
        return f"XINYONG_DATA_KEY is malformed: {malformed}."
    except ImproperlyConfigured as missing:
        return str(missing)
    for sample in samples:
        reason = (
            _unopened(ring, sample["sealed"]) if rehashing else stored_key_mismatch(ring, **sample)
        )
        if reason.startswith(DAMAGED):  # no key opens it: it proves nothing either way
            return DAMAGED_STORED.format(reason=reason, digest=sample["digest"][:12])
        if reason:
            retired = "sealed" in sample and "hash" in reason  # opened: the look-up key differs
            return WRONG_KEY.format(reason=reason) + (LOOK_UP_KEY_RETIRED if retired else "")
    return ""


def _unopened(ring: KeyRing, sealed: str) -> str:
    try:
        ring.open(sealed)
    except ProtectionError as error:
        return str(error)
    return ""


def mask_copies_of_sealed_codes(subjects, model, fields: list[str], subject: str = "") -> None:
    """Mask the copies, in ``fields`` of ``model``'s rows, of the codes of organisations that
    are stored sealed as codes a person's ID may be (R14; subjects ``0006``, ``0008`` sealed
    them after the copies were made): as an import masks them today (``mask_citizen_ids_in``),
    so that a row reads as it would had it been imported now.

    No key is needed. The stored masked form keeps the code's first 6 and last 4 characters:
    a row is masked where its text shows a run that masks to the masked form of one of those
    organisations (``shows_in_clear``). Such a run may be another code sharing them; it does
    not matter, as ``mask_citizen_ids`` masks only what it would mask in a file imported
    today, whichever code it is. The digest could tell the very code, but it is keyed too.

    The database picks the rows (an ID's shape in their text, a full-width digit escaped, or a
    subject among those organisations through the lookup path ``subject``); they are read and
    written in batches by primary key. A row already masked shows no such run: running again
    changes nothing.
    """
    organisations = subjects.objects.exclude(kind="natural_person").exclude(identifier_sealed="")
    masked = frozenset(organisations.values_list("identifier", flat=True).iterator())
    if not masked:
        return
    as_text = {f"text_of_{field}": Cast(field, TextField()) for field in fields}
    found = Q(**{f"{subject}__in": organisations.values("pk")}) if subject else Q()
    for name in as_text:
        # JSON written with its non-ASCII escaped (as by the ORM on SQLite) shows a full-width
        # digit as \uff1N.
        found |= Q(**{f"{name}__regex": ID_RUN_EITHER_WIDTH}) | Q(**{f"{name}__contains": r"\uff1"})
    rows = model.objects.alias(**as_text).filter(found).order_by("pk").only("pk", *fields)
    last = 0
    while batch := list(rows.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        changed = []
        for row in batch:
            values = [getattr(row, field) for field in fields]
            if not shows_in_clear(json.dumps(values, ensure_ascii=False), masked):
                continue
            now = [mask_citizen_ids_in(value) for value in values]
            if now != values:
                for field, value in zip(fields, now, strict=True):
                    setattr(row, field, value)
                changed.append(row)
        model.objects.bulk_update(changed, fields)


def identifier_digest(value: str) -> str:
    """The look-up digest of any identifier, normalised first (full width, spaces, case)."""
    return keyring().digest(normalize_identifier(value))


@dataclasses.dataclass(frozen=True)
class StoredIdentifier:
    shown: str  # what the ``identifier`` column holds: a code in clear, an ID masked
    digest: str
    sealed: str  # the ciphertext of a citizen ID (or of a code that may be one); else empty


def stored_identifier(value: str, *, personal: bool) -> StoredIdentifier:
    """The three stored forms of an identifier; ``personal``: it is a citizen ID.

    An organisation's code that may be a person's ID is stored as a person's ID is, masked and
    sealed: 18 digits can be valid both as a USCC and as a citizen ID, and a code for review in
    an ID's shape may be a mistyped ID (``looks_like_citizen_id``, the test that masks IDs in
    free text). A company's code masked by mistake is a small harm; a person's ID in clear is a
    breach (R14, DOMAIN.md §4).
    """
    ring = keyring()
    normalized = normalize_identifier(value)
    digest = ring.digest(normalized)
    if not personal and not looks_like_citizen_id(normalized):
        return StoredIdentifier(normalized, digest, "")
    return StoredIdentifier(mask_id_number(normalized), digest, ring.seal(normalized))


def reveal(sealed: str) -> str:
    """A citizen ID in full, for the few places allowed to show it (the subject itself, an
    authorised officer's page); raises ``ProtectionError`` under a wrong key."""
    return keyring().open(sealed)


@checks.register(checks.Tags.security, deploy=True)
def check_data_key(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Production needs a data key of its own: one derived from SECRET_KEY would change, and
    lose every stored ID, the day the secret key is rotated."""
    data_key = getattr(settings, "XINYONG_DATA_KEY", "")
    if not data_key:
        return [
            checks.Error(
                "XINYONG_DATA_KEY is not set: citizen IDs would be encrypted under a key derived "
                "from SECRET_KEY.",
                hint="Set XINYONG_DATA_KEY to a random secret of at least 32 characters, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(32))', and keep it "
                "apart from the database backups.",
                id="subjects.E001",
            )
        ]
    try:
        KeyRing.parse(data_key)
    except ValueError as error:
        return [checks.Error(f"XINYONG_DATA_KEY is malformed: {error}", id="subjects.E002")]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_stored_key(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """The data key must open the identifiers already stored (``stored_key_refusal``)."""
    data_key = getattr(settings, "XINYONG_DATA_KEY", "")
    try:
        if data_key:
            KeyRing.parse(data_key)
    except ValueError:
        return []  # malformed: subjects.E002 says so
    try:
        refusal = stored_key_refusal()
    except DatabaseError:
        return []  # no database yet, or not migrated: ``xinyong serve`` names the step to run
    if not refusal:
        return []
    return [
        checks.Error(
            f"The data key does not open the stored identifiers: {refusal}", id="subjects.E003"
        )
    ]
