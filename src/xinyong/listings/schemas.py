"""Answer shapes shared by the API routers that describe list entries."""

from __future__ import annotations

from ninja import Schema

from xinyong.listings.models import ListEntry


class EntryListFields(Schema):
    """The list an entry is on: its code, name and kind."""

    list: str
    list_name: str
    kind: str

    @staticmethod
    def resolve_list(entry: ListEntry) -> str:
        return entry.list.code

    @staticmethod
    def resolve_list_name(entry: ListEntry) -> str:
        return entry.list.name

    @staticmethod
    def resolve_kind(entry: ListEntry) -> str:
        return entry.list.kind
