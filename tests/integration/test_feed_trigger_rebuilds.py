"""A later migration that rebuilds the entry, list or event table keeps the feed working (R11).

SQLite rebuilds a table to change it, and checks every trigger when it renames the new table:
the feed's trigger, which reads the entry and its list, is taken away before ``migrate`` and
put back after it (``listings.feed_trigger``). Here a field is added to and removed from each
table between the signals ``migrate`` sends, as a later migration would.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management.sql import emit_post_migrate_signal, emit_pre_migrate_signal
from django.db import connection, models

from tests.factories import ListEntryFactory, OfficerFactory
from xinyong.core import clock
from xinyong.listings import services
from xinyong.listings.models import ChangeFeedItem, ListDefinition, ListEntry, ListEntryEvent


def _rebuild(model) -> None:
    field = models.BooleanField(default=False)
    field.set_attributes_from_name("rebuilt_for_a_test")
    with connection.schema_editor() as editor:
        editor.add_field(model, field)
        editor.remove_field(model, field)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("model", [ListEntry, ListDefinition, ListEntryEvent])
def test_a_rebuilt_table_keeps_the_feed_and_its_trigger(model):
    entry = ListEntryFactory(awaiting_signature=True)
    emit_pre_migrate_signal(verbosity=0, interactive=False, db="default")
    _rebuild(model)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    signer = OfficerFactory(department=entry.list.recognizing_department, signer=True).user
    with clock.frozen(dt.date(2026, 10, 27)):
        services.sign_decision(entry.pk, actor=signer)
    entry.refresh_from_db()
    item = ChangeFeedItem.objects.get(event__entry=entry, event__action="sign")
    assert item.valid_until == entry.valid_until is not None
