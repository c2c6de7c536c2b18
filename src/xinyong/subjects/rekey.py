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
    """Re-encrypt and re-hash what is not under the current keys; one audit row for the run."""
    ring = keyring()
    counts = {"subjects": 0, "changed": 0}
    last = 0
    columns = ("pk", "kind", "identifier", "identifier_digest", "identifier_sealed")
    while True:
        batch = list(Subject.objects.filter(pk__gt=last).order_by("pk").only(*columns)[:BATCH])
        if not batch:
            break
        last = batch[-1].pk
        changed = []
        for subject in batch:
            full = ring.open(subject.identifier_sealed) if subject.identifier_sealed else None
            value = full if full is not None else subject.identifier
            if (
                subject.identifier_sealed and not ring.is_current(subject.identifier_sealed)
            ) or ring.digest(value) != subject.identifier_digest:
                stored = stored_identifier(value, personal=full is not None)
                subject.identifier_digest, subject.identifier_sealed = stored.digest, stored.sealed
                changed.append(subject)
        with transaction.atomic():
            Subject.objects.bulk_update(changed, ["identifier_digest", "identifier_sealed"])
        counts["subjects"] += len(batch)
        counts["changed"] += len(changed)
    audit.record(
        actor=actor, action="subjects.rekey", obj=("keys", f"v{ring.current}"), after=counts
    )
    return counts
