"""The indexes large tables are read through (a scale review at a million subjects).

On PostgreSQL a part of a name is found through a trigram index, whether the search is
case-sensitive (an officer's search) or not (the admin's search and autocomplete, the portal's
searches), and the admin's search reaches every one of its conditions by an index. The portal
pages its announcements by an index in their order. Plans are read with sequential scans
turned off, and walking an index in the order asked too where a search is tested: the test
tables are too small for the planner to prefer the index a large table is read by.
"""

import pytest
from django.db import connection, transaction

from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import ListEntry
from xinyong.office.subjects import find_subjects
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif("connection.vendor != 'postgresql'")


def _plan(queryset, *, sorting: bool = True, in_order: bool = True) -> str:
    """The plan with sequential scans off; with ``sorting`` off, an index must give the order;
    with ``in_order`` off, rows are found by their conditions (bitmap scans), not by walking an
    index in the order asked and filtering (which a tiny table may cost the least)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        if not sorting:  # an index in the order asked, rather than another index and a sort
            cursor.execute("SET LOCAL enable_sort = off")
        if not in_order:
            cursor.execute("SET LOCAL enable_indexscan = off")
            cursor.execute("SET LOCAL enable_indexonlyscan = off")
        return queryset.explain()


def _indexes(table: str) -> dict:
    with connection.cursor() as cursor:
        return connection.introspection.get_constraints(cursor, table)


@on_postgresql
def test_an_officers_name_search_is_served_by_a_trigram_index():
    Subject.objects.create(kind="legal_person", name="杭州丰通供应链有限公司", identifier="x")
    searched = Subject.objects.filter(name__contains="丰通供").order_by("name", "id")[:21]
    assert "subjects_name_trgm" in _plan(searched, in_order=False)
    assert [s.name for s in find_subjects("丰通供")] == ["杭州丰通供应链有限公司"]


@on_postgresql
def test_a_case_insensitive_name_search_is_served_by_a_trigram_index():
    searched = Subject.objects.filter(name__icontains="丰通供").order_by("-id")
    assert "subjects_upper_name_trgm" in _plan(searched, in_order=False)


@on_postgresql
def test_the_admins_subject_search_reaches_each_condition_by_an_index():
    from django.db.models import Q

    searched = Subject.objects.filter(
        Q(identifier__iexact="丰通供") | Q(name__icontains="丰通供") | Q(identifier_digest="0")
    ).order_by("-id")
    plan = _plan(searched, in_order=False)
    assert "BitmapOr" in plan, plan
    assert "subjects_identifier_upper" in plan and "subjects_upper_name_trgm" in plan, plan


def test_announcements_are_indexed_newest_first():
    """On every database: the portal's order (``-published_on, -id``) has its index."""
    newest = _indexes(Announcement._meta.db_table).get("listings_announcement_newest")
    assert newest is not None and newest["index"]
    assert newest["columns"] == ["published_on", "id"]
    assert newest["orders"] == ["DESC", "DESC"]


@on_postgresql
def test_the_portals_announcements_are_read_in_the_index_order():
    from xinyong.portal.selectors import public_announcements

    # Which other index a tiny table is read by depends on what the tests before left in the
    # planner's statistics: what is asked is that an index serves the order with no sort.
    assert "listings_announcement_newest" in _plan(public_announcements()[:21], sorting=False)


def test_entries_in_force_are_indexed_newest_first():
    """On every database: the public lists' order (``-effective_on, -id``) has its index, of
    effective entries only (R5)."""
    newest = _indexes(ListEntry._meta.db_table).get("listings_entry_newest")
    assert newest is not None and newest["index"]
    assert newest["columns"] == ["effective_on", "id"]
    assert newest["orders"] == ["DESC", "DESC"]


@on_postgresql
def test_the_public_lists_are_read_in_the_index_order():
    from xinyong.portal.selectors import public_entries

    for kind in ("red", "black"):
        assert "listings_entry_newest" in _plan(public_entries(kind)[:51], sorting=False)


@on_postgresql
def test_a_public_list_search_compares_the_code_as_its_index_has_it():
    """The code is compared upper-cased, the expression of ``subjects_identifier_upper``: with
    the name's trigram index an OR of indexed reads (shown on the subjects above), where a plain
    equality beside the name read every subject. On an empty table the planner starts from the
    entries, so the expression is what is checked here."""
    from xinyong.portal.selectors import public_entries

    plan = _plan(public_entries("black", "丰通供"), in_order=False)
    assert "upper((subjects_subject.identifier)::text) = '丰通供'" in plan or (
        "upper((identifier)::text) = '丰通供'" in plan
    ), plan
