"""Reading the audit trail: verifying the chain."""

from __future__ import annotations

from dataclasses import dataclass

from xinyong.audit.chain import GENESIS_HASH, HASHED_FIELDS, row_hash
from xinyong.audit.models import AuditChainHead, AuditEntry


@dataclass(frozen=True)
class ChainReport:
    rows: int
    broken_seq: int | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None and not self.problem


def _walk(after: int, prev: str, batch_size: int, upto: int | None = None):
    """Check the rows after ``after`` (whose hash is ``prev``) in order, up to ``upto``: the
    number of rows found intact and the last one's hash, or the report of the first wrong."""
    values = AuditEntry.objects.filter(seq__gt=after).order_by("seq")
    if upto is not None:
        values = values.filter(seq__lte=upto)
    rows, expected_seq = after, after + 1
    for row in values.values(*HASHED_FIELDS, "hash").iterator(chunk_size=batch_size):
        if row["seq"] != expected_seq:
            return ChainReport(rows, expected_seq, f"第 {expected_seq} 条缺失或顺序被改动")
        if row["prev_hash"] != prev:
            return ChainReport(
                rows, row["seq"], "与前一条记录的哈希链接不符（前序记录被删除或改动）"
            )
        if row_hash(row) != row["hash"]:
            return ChainReport(rows, row["seq"], "记录内容与其哈希不符（记录被改动）")
        prev, expected_seq, rows = row["hash"], expected_seq + 1, rows + 1
    return rows, prev


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order; name the first row whose content, link or place is wrong.

    The head is read after the walk: a row and the head's update commit together, so every
    row the walk saw is counted in it. A head that counts more had rows committed meanwhile
    (the platform in use): those are walked too, up to the head read, and rows committed
    later still are left to the next verification. A head that counts fewer than the rows, or
    rows missing up to its count, or another last hash, is a trail tampered with (R14)."""
    walked = _walk(0, GENESIS_HASH, batch_size)
    if isinstance(walked, ChainReport):
        return walked
    rows, last = walked
    head = AuditChainHead.objects.filter(pk=1).first()
    length, last_hash = (head.length, head.last_hash) if head else (0, GENESIS_HASH)
    if length > rows:  # committed during the walk
        walked = _walk(rows, last, batch_size, upto=length)
        if isinstance(walked, ChainReport):
            return walked
        rows, last = walked
    if length < rows:
        return ChainReport(
            rows, length + 1, f"链头记录 {length} 条，实有 {rows} 条（记录未经链头登记）"
        )
    if length != rows or last_hash != last:
        return ChainReport(
            rows, rows + 1, f"链头记录 {length} 条，实有 {rows} 条（末尾记录被删除）"
        )
    return ChainReport(rows)
