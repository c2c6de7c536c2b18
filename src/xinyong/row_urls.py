"""Row ids in page addresses: ``<row:entry_id>`` takes what a row's id can be, and nothing else.

Django's ``<int:…>`` takes any run of digits. A number past the database's 64-bit key reached a
query through a foreign key (``ListEntryPerson.objects.filter(entry_id=…)``) unchecked, where
SQLite refused it with an ``OverflowError``: a 500 where every other address answers 404. An id
the database cannot hold names no row: the address matches no page, as the API's ``RowId``
refuses it (``api.types``).
"""

from __future__ import annotations

from django.urls import register_converter

import xinyong.row_urls  # noqa: F401  (registers <row:…> before the patterns)
from xinyong.api.types import BIGINT_MAX


class RowIdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= BIGINT_MAX:
            raise ValueError(value)  # no match: the page is not found
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(RowIdConverter, "row")
