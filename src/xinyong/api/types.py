"""Bounded integer parameters: a number the database cannot hold is a 422, never a 500.

Path and query integers are otherwise unbounded in Python, and a 20-digit id reaches the
database as an overflow (found by the schema tests, issue 6 §7).
"""

from __future__ import annotations

from typing import Annotated

from ninja import Field
from ninja.pagination import LimitOffsetPagination

BIGINT_MAX = 2**63 - 1

RowId = Annotated[int, Field(ge=1, le=BIGINT_MAX)]
Cursor = Annotated[int, Field(ge=0, le=BIGINT_MAX)]


PAGE_MAX = 1000


class Pagination(LimitOffsetPagination):
    """Limit/offset pages of at most ``PAGE_MAX`` items, at an offset the database can take."""

    class Input(LimitOffsetPagination.Input):
        limit: int = Field(100, ge=1, le=PAGE_MAX)
        offset: int = Field(0, ge=0, le=2**62)

    def __init__(self, max_limit: int = PAGE_MAX, **kwargs) -> None:
        super().__init__(max_limit=max_limit, **kwargs)
