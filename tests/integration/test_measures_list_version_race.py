"""Two transactions changing the measures list at once wait for each other in one order, the
list's version first, and both commit (PostgreSQL's row locks)."""

import threading

import pytest
from django.db import connection, transaction

from tests.factories import MeasureFactory
from tests.races import in_thread, until_another_waits
from xinyong.measures import selectors
from xinyong.measures.models import Measure

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]


def _rename(pk: int, name: str) -> None:
    measure = Measure.objects.get(pk=pk)
    measure.name = name
    measure.save()


def _other_saves(pk: int, failures: list, done: threading.Event) -> threading.Thread:
    def save() -> None:
        with transaction.atomic():
            _rename(pk, "另一次修改")

    return in_thread(save, failures, done=done)


def test_two_transactions_saving_measures_in_turn_both_commit():
    """One saves A, then C while the other is saving C: the other waits for the version row
    before it locks C, so the first never waits for it (a circle PostgreSQL would break by
    failing one of them)."""
    first, other = MeasureFactory(), MeasureFactory()
    failures, done = [], threading.Event()
    with transaction.atomic():
        _rename(first.pk, "先改")
        thread = _other_saves(other.pk, failures, done)
        until_another_waits(done)
        _rename(other.pk, "后改")
    thread.join(timeout=30)
    assert not failures
    assert Measure.objects.get(pk=other.pk).name == "另一次修改"  # it waited, then saved


def test_a_transaction_that_locks_measures_first_takes_the_version_before_them():
    """As ``measures load`` does: the version, then the measures read for update, then the
    changes; another saving one of those measures meanwhile waits, and both commit."""
    measure = MeasureFactory()
    failures, done = [], threading.Event()
    with transaction.atomic():
        selectors.hold_measures_list()
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        thread = _other_saves(measure.pk, failures, done)
        until_another_waits(done)
        locked.name = "载入"
        locked.save()
    thread.join(timeout=30)
    assert not failures
    assert Measure.objects.get(pk=measure.pk).name == "另一次修改"


def _version() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT version FROM measures_list_version")
        return cursor.fetchone()[0]


def test_migrating_back_and_forth_never_gives_a_version_again():
    """The version's sequence is made again on the way forward, starting above every number it
    gave before: a process that cached the index under one of them never takes a list changed
    meanwhile for it."""
    from tests.migration_steps import migrate, migrate_to_latest

    measure = MeasureFactory()
    measure.save()
    before = _version()
    try:
        migrate([("measures", "0020_screening_job_attempts")])
        migrate_to_latest()
        assert _version() > before
    finally:
        migrate_to_latest()


def _second_load_paused_after_its_locks(tmp_path, monkeypatch, failures: list):
    """A first version of the list loaded, then a second one started on a thread of its own and
    held right after it has locked the measures of its file: (its thread, the event that lets it
    go on). The second version changes m001's legal basis."""
    from tests.factories import ScenarioFactory
    from tests.integration.test_measures_list_changes import PROCUREMENT, load
    from xinyong.measures import loading

    ScenarioFactory(code="government_procurement", name="政府采购")
    load(tmp_path, "v1.csv", PROCUREMENT)
    locked, go = threading.Event(), threading.Event()
    links = loading._links

    def pausing(found):  # read right after the load's locks
        locked.set()
        go.wait(timeout=30)
        return links(found)

    monkeypatch.setattr(loading, "_links", pausing)
    changed = [*PROCUREMENT[:3], "第二版依据", *PROCUREMENT[4:]]
    loader = in_thread(lambda: load(tmp_path, "v2.csv", changed), failures)
    assert locked.wait(timeout=30)
    return loader, go


def _meanwhile(work, loader, go, failures: list) -> None:
    """``work`` on a thread while the load is held, until it waits for a lock; then both end."""
    done = threading.Event()
    other = in_thread(work, failures, done=done)
    until_another_waits(done)
    go.set()
    for thread in (loader, other):
        thread.join(timeout=30)


def test_measures_load_and_a_save_of_a_measure_it_locked_both_commit(tmp_path, monkeypatch):
    """``measures load`` locks the measures of its file, then changes them: it takes the list's
    version before those locks, so an officer saving one of them meanwhile waits for the load
    instead of holding the version the load needs next."""
    failures = []
    loader, go = _second_load_paused_after_its_locks(tmp_path, monkeypatch, failures)
    measure = Measure.objects.get(code="m001")

    def rename() -> None:  # only its own field: the load's change is kept beside it
        with transaction.atomic():
            Measure.objects.filter(pk=measure.pk).update(name="另一次修改")

    _meanwhile(rename, loader, go, failures)
    assert not failures
    measure.refresh_from_db()
    assert (measure.legal_basis, measure.name) == ("第二版依据", "另一次修改")


def test_an_admin_deletion_during_measures_load_waits_and_both_commit(tmp_path, monkeypatch):
    """Deleting a scenario in the admin removes its links to measures, which takes the list's
    version that a load holds: the deletion's audit row comes after its rows, so the deletion
    waits for the load instead of holding the audit chain the load needs last."""
    from django.contrib import admin
    from django.test import RequestFactory

    from tests.factories import OfficerFactory, ScenarioFactory
    from xinyong.audit.models import AuditEntry
    from xinyong.measures.models import Scenario

    admin.autodiscover()
    unused = ScenarioFactory(code="honours", name="评优评先")
    failures = []
    loader, go = _second_load_paused_after_its_locks(tmp_path, monkeypatch, failures)
    request = RequestFactory().post("/")
    request.user = OfficerFactory().user

    def delete() -> None:
        admin.site._registry[Scenario].delete_model(request, Scenario.objects.get(pk=unused.pk))

    _meanwhile(delete, loader, go, failures)
    assert not failures
    assert not Scenario.objects.filter(pk=unused.pk).exists()
    assert Measure.objects.get(code="m001").legal_basis == "第二版依据"
    assert AuditEntry.objects.filter(action="admin.delete", object_id=str(unused.pk)).exists()


# -- a decision signed while the list renames the measure it states ------------------------------

STATED, RENAMED = "限制参加政府采购", "限制参加政府采购活动"


def _renamed(measure: Measure) -> None:
    """As the admin renames a measure: saved under its new name, then the decisions stating
    it restated, in one transaction."""
    from xinyong.measures.renames import restate_decisions

    with transaction.atomic():
        measure.name = RENAMED
        measure.save()
        restate_decisions([(STATED, RENAMED)], set())


@pytest.mark.parametrize("first", ["rename", "sign"])
def test_a_decision_signed_while_its_measure_is_renamed_states_the_new_name(first):
    """A decision naming no measure states those the list has when it is signed (R1); the list
    renaming one of them at the same moment waits for the signature, or the signature for it,
    so that the entry never keeps a name the list no longer has and the measure goes on
    following from it (R10)."""
    from tests.factories import ListDefinitionFactory, ListEntryFactory, OfficerFactory
    from tests.races import first_then, race
    from xinyong.listings import services
    from xinyong.listings.models import ListEntry, ListKind

    measure = MeasureFactory(code="m001", name=STATED, list_kinds=["black"],
                             targets=["organisation"])  # fmt: skip
    proposed = ListEntryFactory(awaiting_signature=True,
                                list=ListDefinitionFactory(kind=ListKind.BLACK))  # fmt: skip
    signer = OfficerFactory(department=proposed.list.recognizing_department, signer=True).user

    def sign() -> None:
        services.sign_decision(proposed.pk, actor=signer, measures=[])

    def rename() -> None:
        _renamed(measure)

    calls = (rename, sign) if first == "rename" else (sign, rename)
    assert race(*first_then(*calls)) == ["ok", "ok"]
    assert ListEntry.objects.get(pk=proposed.pk).stated_measures == [RENAMED]
