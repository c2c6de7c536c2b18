"""Telling the rest of the platform that an entry changed, only once the change is committed.

Receivers (the change feed of implementing departments, messages to the subject) connect to
``entry_changed``; a rolled-back transition never reaches them. Entries that end are also told
inside their transaction (``entries_ended``), to receivers whose writes belong to the exit, and
so are the records a signed decision makes a listing's decision (``records_became_decisions``).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

# sender: the ListEntry class; kwargs: entry_id, action, from_state, to_state, business_date
entry_changed = Signal()

# Sent inside the transaction that ends entries, by every exit (an officer's, one the platform
# takes, the daily job's expiries), so that what a receiver writes commits or rolls back with
# the exit itself (an open repair application is closed with it, ``remedies.receivers``).
# sender: the ListEntry class; kwargs: entry_ids, reason (ExitReason), exited_on, actor, today
entries_ended = Signal()

# Sent inside the transaction that signs a decision: the records of its identity (recognizing
# department, decision document number, subject: ``catalog.listing_records``) are from then on
# repaired and objected to through the entry (R8, R6), so a receiver's writes (an open repair
# application of such a record closed, ``remedies.receivers``) commit or roll back with it.
# sender: the ListEntry class; kwargs: entry_id, department_id, document_number, subject_id,
# actor, today
records_became_decisions = Signal()


def after_commit(*, entry_id: int, action: str, from_state: str, to_state: str, day) -> None:
    def send() -> None:
        from xinyong.listings.models import ListEntry

        logger.info("list entry %s: %s (%s → %s)", entry_id, action, from_state, to_state)
        entry_changed.send(
            sender=ListEntry, entry_id=entry_id, action=action, from_state=from_state,
            to_state=to_state, business_date=day,
        )  # fmt: skip

    transaction.on_commit(send)
