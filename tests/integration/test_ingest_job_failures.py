"""An import that meets a fault of the platform's own ends failed with its reason, never left
running for ever; the file sent again, once the fault is mended, ends with each of its rows
once (R9, 001 §14). A process killed part-way is another matter: its job stays running, to be
resumed (``test_ingest_import``, ``test_ingest_forked``)."""

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.ingest_imports import import_penalties
from xinyong.audit.models import AuditEntry
from xinyong.catalog.importers.validation import RowChecker
from xinyong.catalog.models import CreditRecord, ImportJob, ImportStatus

pytestmark = pytest.mark.django_db
department, penalty_item = imports.department, imports.penalty_item  # shared fixtures


class Fault(Exception):
    """Stands for a fault of the platform's own code."""


def fails_checking_row_five(check):
    def checked(self, number, cells):
        if number == 5:
            raise Fault("row 5")
        return check(self, number, cells)

    return checked


def fails_writing_row_five(check):
    """A record the database refuses (a column too many): PostgreSQL's COPY or SQLite's
    insert fails inside the chunk's transaction, as a value the column cannot hold did."""

    def checked(self, number, cells):
        result = check(self, number, cells)
        if number == 5:
            return result._replace(record=(*result.record, "one column too many"))
        return result

    return checked


def fails_reading_the_header(prepare):
    def prepared(self, *args, **options):
        raise Fault("header")

    return prepared


@pytest.mark.parametrize(
    ("method", "fault", "kept"),
    [("check", fails_checking_row_five, 3), ("check", fails_writing_row_five, 3),
     ("__init__", fails_reading_the_header, 0)],
    ids=["checking", "writing", "reading-the-header"],
)  # fmt: skip
def test_a_fault_while_a_file_is_processed_fails_the_job_with_its_reason(
    tmp_path, department, penalty_item, monkeypatch, method, fault, kept
):
    """In chunks of three rows, the fault at row five leaves the first chunk recorded."""
    rows = [samples.penalty(n) for n in range(1, 9)]
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    original = getattr(RowChecker, method)
    monkeypatch.setattr(RowChecker, method, fault(original))

    with pytest.raises(Exception):  # noqa: B017  # the fault itself, for the log
        import_penalties(path, department, chunk_rows=3)

    failed = ImportJob.objects.get()
    assert (failed.status, failed.error_code, failed.rows_done) == (
        ImportStatus.FAILED, "import-fault", kept,
    )  # fmt: skip
    assert failed.finished_at is not None and "内部错误" in failed.error_message
    assert "row 5" not in failed.error_message  # its kind only: its text may hold a row's values
    assert AuditEntry.objects.filter(action="import.fail", object_id=str(failed.pk)).exists()
    assert CreditRecord.objects.count() == kept  # the chunks committed before the fault stay

    monkeypatch.setattr(RowChecker, method, original)
    again = import_penalties(path, department, chunk_rows=3)
    assert again.pk != failed.pk and again.status == ImportStatus.DONE
    assert (again.accepted, again.inserted, again.already_recorded) == (8, 8 - kept, kept)
    assert CreditRecord.objects.count() == 8
