"""Key rotation for stored identifiers (R14; docs/adr/0005-personal-data-at-rest.md).

After a new version is added to ``XINYONG_DATA_KEY``, every ciphertext under an older version
is encrypted again under the current one, and every look-up hash is computed again under the
current look-up key. Idempotent: a run that stops part-way is run again.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from xinyong.audit import services as audit
from xinyong.subjects.models import Subject
from xinyong.subjects.protection import keyring, stored_identifier

BATCH = 2_000


def rekey_subjects(*, actor: Any) -> dict[str, int]:
    """Re-encrypt and re-hash what is not under the current keys; one audit row for the run.

    Each batch is read locked and written in one transaction: what is written is computed from
    what the rows hold then. An identifier corrected while the run computes waits for its batch,
    or has committed before it and is read as corrected; read unlocked, the run wrote the old
    identifier's digest and ciphertext back over the correction (R14).

    A batch is the next subjects by id, but its locks are taken in the order of the subjects'
    look-up hashes, the order an import's chunk takes the subjects it carries
    (``catalog.bulk``, ``ON CONFLICT … DO UPDATE … WHERE FALSE``): taken by id, a batch and a
    chunk sharing two subjects whose ids and hashes run in opposite orders each held one and
    waited for the other, and PostgreSQL rolled one of them back. (The hashes are hex, which
    every collation orders alike.)
    """
    ring = keyring()
    counts = {"subjects": 0, "changed": 0}
    last = 0
    columns = ("pk", "kind", "identifier", "identifier_digest", "identifier_sealed")
    while True:
        with transaction.atomic():
            ids = list(
                Subject.objects.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            last = ids[-1]
            # FOR UPDATE, not NO KEY: the digest is unique, so writing it takes that lock anyway.
            # Locked as the rows come out of the sort, in the digests' order (see above).
            batch = list(
                Subject.objects.select_for_update()
                .filter(pk__in=ids)
                .order_by("identifier_digest")
                .only(*columns)
            )
            changed = []
            for subject in batch:
                full = ring.open(subject.identifier_sealed) if subject.identifier_sealed else None
                value = full if full is not None else subject.identifier
                if (
                    subject.identifier_sealed and not ring.is_current(subject.identifier_sealed)
                ) or ring.digest(value) != subject.identifier_digest:
                    stored = stored_identifier(value, personal=full is not None)
                    subject.identifier_digest = stored.digest
                    subject.identifier_sealed = stored.sealed
                    changed.append(subject)
            Subject.objects.bulk_update(changed, ["identifier_digest", "identifier_sealed"])
        counts["subjects"] += len(batch)
        counts["changed"] += len(changed)
    audit.record(
        actor=actor, action="subjects.rekey", obj=("keys", f"v{ring.current}"), after=counts
    )
    return counts
