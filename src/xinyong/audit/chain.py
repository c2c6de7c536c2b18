"""Hashing of audit rows: canonical JSON, SHA-256, each row bound to its predecessor."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64
HASHED_FIELDS = (
    "seq", "at", "actor", "department", "action", "object_type", "object_id",
    "before", "after", "reason", "prev_hash",
)  # fmt: skip


def _canonical_time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def row_hash(fields: dict[str, Any]) -> str:
    """The SHA-256 of a row's fields, in a form both databases give back unchanged."""
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["at"] = _canonical_time(payload["at"])
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
