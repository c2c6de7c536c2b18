"""The audit trail: one row per write, hash-chained, append-only (R14)."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from xinyong.audit import services
from xinyong.audit.models import AuditChainHead, AuditEntry
from xinyong.audit.selectors import verify_chain

pytestmark = pytest.mark.django_db


def _write(n: int) -> list[AuditEntry]:
    return [
        services.record(
            actor="officer",
            action="listing.propose",
            obj=("listings.listentry", str(i)),
            before={"state": "draft"},
            after={"state": "notified", "note": "告知当事人", "when": "2026-09-21"},
            reason=f"理由 {i}",
        )
        for i in range(n)
    ]


def _tamper(sql: str, params: list) -> None:
    """Change rows behind the application's back, as someone with database access could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER USER")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditentry ENABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditentry_no_update")
            cursor.execute(sql, params)


def test_rows_are_chained_in_order():
    entries = _write(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    head = AuditChainHead.objects.get(pk=1)
    assert (head.length, head.last_hash) == (3, entries[2].hash)
    assert verify_chain().ok


def test_verify_command_reports_an_intact_chain(capsys):
    _write(2)
    call_command("audit", "verify")
    assert "2 rows" in capsys.readouterr().out


def test_an_edited_row_is_named():
    entries = _write(4)
    _tamper("UPDATE audit_auditentry SET reason = %s WHERE seq = %s", ["改过的理由", 3])
    report = verify_chain()
    assert not report.ok
    assert report.broken_seq == 3
    assert entries[2].seq == 3
    with pytest.raises(CommandError, match="row 3"):
        call_command("audit", "verify")


def test_an_edited_json_value_is_named():
    _write(3)
    if connection.vendor == "postgresql":
        sql = """UPDATE audit_auditentry SET after = jsonb_set(after, '{state}', '"effective"')
                 WHERE seq = %s"""
    else:
        sql = """UPDATE audit_auditentry SET after = json_set(after, '$.state', 'effective')
                 WHERE seq = %s"""
    _tamper(sql, [2])
    assert verify_chain().broken_seq == 2


def test_a_deleted_row_is_named():
    _write(4)
    _tamper("DELETE FROM audit_auditentry WHERE seq = %s", [2])
    report = verify_chain()
    assert report.broken_seq == 2


def test_a_deleted_tail_is_seen_through_the_head():
    _write(3)
    _tamper("DELETE FROM audit_auditentry WHERE seq = %s", [3])
    report = verify_chain()
    assert report.broken_seq == 3


def test_rows_written_while_the_chain_is_walked_are_no_alarm(monkeypatch):
    """The platform in use: a row committed after the walk and before the head is read is
    walked too, not taken for a deleted tail (R14: the check cries no wolf)."""
    from xinyong.audit import selectors

    _write(3)
    walk = selectors._walk

    def walk_then_write(*args, **kwargs):
        walked = walk(*args, **kwargs)
        if not kwargs.get("upto") and len(args) < 4:
            _write(1)  # committed between the walk and the head's read
        return walked

    monkeypatch.setattr(selectors, "_walk", walk_then_write)
    report = verify_chain()
    assert report.ok and report.rows == 4


def test_a_row_the_head_does_not_count_is_named():
    """A row inserted behind the application's back, without the head: tampering."""
    _write(2)
    _tamper("UPDATE audit_auditchainhead SET length = length - 1 WHERE id = 1", [])
    report = verify_chain()
    assert not report.ok and report.broken_seq == 2


def test_swapped_rows_are_detected():
    _write(3)
    _tamper(
        "UPDATE audit_auditentry SET seq = CASE seq WHEN 1 THEN 1000 ELSE seq END WHERE seq = 1",
        [],
    )
    assert verify_chain().broken_seq == 1


def test_the_database_refuses_updates():
    _write(1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(seq=1).update(reason="rewritten")
    assert AuditEntry.objects.get(seq=1).reason == "理由 0"


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgres_refuses_deletes_outside_test_sessions():
    _write(1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL xinyong.audit_purge = 'off'")
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.count() == 1


def test_a_failed_write_leaves_no_audit_row():
    with pytest.raises(RuntimeError), transaction.atomic():
        _write(1)
        raise RuntimeError("the service failed after auditing")
    assert AuditEntry.objects.count() == 0
    assert verify_chain().ok
    _write(1)
    assert AuditEntry.objects.get().seq == 1
