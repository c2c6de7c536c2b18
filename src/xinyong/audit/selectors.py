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


def verify_chain(batch_size: int = 5000) -> ChainReport:
    """Walk the chain in order; name the first row whose content, link or place is wrong."""
    expected_prev, expected_seq, rows = GENESIS_HASH, 1, 0
    values = AuditEntry.objects.order_by("seq").values(*HASHED_FIELDS, "hash")
    for row in values.iterator(chunk_size=batch_size):
        if row["seq"] != expected_seq:
            return ChainReport(rows, expected_seq, f"第 {expected_seq} 条缺失或顺序被改动")
        if row["prev_hash"] != expected_prev:
            return ChainReport(
                rows, row["seq"], "与前一条记录的哈希链接不符（前序记录被删除或改动）"
            )
        if row_hash(row) != row["hash"]:
            return ChainReport(rows, row["seq"], "记录内容与其哈希不符（记录被改动）")
        expected_prev, expected_seq, rows = row["hash"], expected_seq + 1, rows + 1
    head = AuditChainHead.objects.filter(pk=1).first()
    length, last_hash = (head.length, head.last_hash) if head else (0, GENESIS_HASH)
    if length != rows or last_hash != expected_prev:
        return ChainReport(
            rows, rows + 1, f"链头记录 {length} 条，实有 {rows} 条（末尾记录被删除）"
        )
    return ChainReport(rows)
