"""What a batch screening run found, in counts (item 6), and the persons it names (R14)."""

from __future__ import annotations

import dataclasses
from collections import Counter


@dataclasses.dataclass
class ScreeningReport:
    rows: int = 0
    ok: int = 0
    matched_by_name: int = 0
    invalid: Counter = dataclasses.field(default_factory=Counter)
    unknown: int = 0
    ambiguous: int = 0
    # Rows answered with a warning beside their answer, by its code (``screening_warnings``):
    # counted as their status besides.
    warnings: Counter = dataclasses.field(default_factory=Counter)
    seconds: float = 0.0
    lookup: str = ""
    # The persons the answer names (R14): those found, by code or by name, by subject id; those
    # asked by a citizen ID no subject has, by the keyed hash of the ID. Never the ID itself.
    persons: set[int] = dataclasses.field(default_factory=set)
    persons_asked: set[str] = dataclasses.field(default_factory=set)

    def counters(self) -> dict[str, int]:
        """The job's counters: ``ok`` counts matches by code and by name."""
        return {"rows": self.rows, "ok": self.ok + self.matched_by_name,
                "invalid": sum(self.invalid.values()), "unknown": self.unknown,
                "ambiguous": self.ambiguous}  # fmt: skip

    def counts(self) -> dict:
        """Every count, invalid rows by reason, and the persons named: what a part of a split
        run reports."""
        return {"rows": self.rows, "ok": self.ok, "matched_by_name": self.matched_by_name,
                "invalid": dict(self.invalid), "unknown": self.unknown,
                "ambiguous": self.ambiguous, "warnings": dict(self.warnings),
                "persons": sorted(self.persons),
                "persons_asked": sorted(self.persons_asked)}  # fmt: skip

    def add(self, counts: dict) -> None:
        """Another part's counts (the second half of a split file)."""
        for name in ("rows", "ok", "matched_by_name", "unknown", "ambiguous"):
            setattr(self, name, getattr(self, name) + counts[name])
        self.invalid.update(counts["invalid"])
        self.warnings.update(counts["warnings"])
        self.persons.update(counts["persons"])
        self.persons_asked.update(counts["persons_asked"])

    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def describe(self) -> list[str]:
        lines = [
            f"共 {self.rows:,} 行，用时 {self.seconds:.2f} 秒（{self.rate():,.0f} 行/秒）",
            f"匹配 {self.ok + self.matched_by_name:,} 行（按代码 {self.ok:,} 行，按名称"
            f" {self.matched_by_name:,} 行），未知 {self.unknown:,} 行，"
            f"待人工确认 {self.ambiguous:,} 行，无效 {sum(self.invalid.values()):,} 行",
        ]
        lines += [f"  无效 {code}：{n:,} 行" for code, n in self.invalid.most_common()]
        lines += [f"  提示 {code}：{n:,} 行" for code, n in self.warnings.most_common()]
        return lines
