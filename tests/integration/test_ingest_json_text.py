"""Text a JSON file can spell but no record can hold: a lone UTF-16 surrogate (``\\ud800``)
escaped in a value refuses its row, in a key the file, as a NUL does (R9, DOMAIN.md §5).

Every reader decodes strictly, so only a JSON escape makes such a character; PostgreSQL and
the JSON the records are written as cannot store it."""

import json

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from tests.ingest_imports import import_penalties
from xinyong.catalog import selectors
from xinyong.catalog.models import CreditRecord, ImportJob, ImportStatus
from xinyong.core.errors import XinyongError

pytestmark = pytest.mark.django_db
department, penalty_item = imports.department, imports.penalty_item  # shared fixtures


def write(path, rows, *, lines: bool) -> object:
    """The rows as JSON with every character past ASCII escaped, as many exports write it, so
    that an escape of a lone surrogate reaches the file as it would."""
    if lines:
        path.write_text("".join(json.dumps(row) + "\n" for row in rows), "ascii")
    else:
        path.write_text(json.dumps({"data": rows}), "ascii")
    return path


@pytest.mark.parametrize("lines", [False, True], ids=["array", "json-lines"])
def test_a_value_with_a_lone_surrogate_is_quarantined_and_the_rest_go_in(
    tmp_path, department, penalty_item, lines
):
    rows = [
        samples.penalty(1),
        samples.penalty(2, CF_SY="经查\ud800当事人"),  # a high surrogate alone
        samples.penalty(3, BZ="\udc00"),  # a low one alone
        samples.penalty(4, CF_SY="经查当事人😀"),  # a pair, escaped as two: one character
        samples.penalty(5),
    ]
    path = write(tmp_path / ("p.jsonl" if lines else "p.json"), rows, lines=lines)
    assert "\\ud800" in path.read_text("ascii") and "\\ud83d\\ude00" in path.read_text("ascii")

    job = import_penalties(path, department)

    assert (job.status, job.rows_done, job.accepted, job.quarantined) == (
        ImportStatus.DONE, 5, 3, 2,
    )  # fmt: skip
    assert job.quarantined_by_reason == {"lone-surrogate": 2}
    reported = {r.row_number: r for r in job.report_rows.all()}
    assert {n: [(p["code"], p["column"]) for p in r.reasons] for n, r in reported.items()} == {
        2: [("lone-surrogate", "CF_SY")], 3: [("lone-surrogate", "BZ")],
    }  # fmt: skip
    assert "经查\ufffd当事人" in reported[2].values  # shown as the replacement character
    assert sorted(CreditRecord.objects.values_list("import_row", flat=True)) == [1, 4, 5]
    assert CreditRecord.objects.get(import_row=4).content["CF_SY"] == "经查当事人😀"
    assert len(list(selectors.report_lines(job))) == 3  # the report downloads

    again = import_penalties(path, department)  # checked again: it quarantined rows
    assert (again.already_recorded, again.quarantined_by_reason) == (3, job.quarantined_by_reason)
    assert CreditRecord.objects.count() == 3


def test_a_nested_value_with_a_lone_surrogate_is_quarantined(tmp_path, department, penalty_item):
    rows = [samples.penalty(1), {**samples.penalty(2), "BZ": {"note": ["\udbff"]}}]
    job = import_penalties(write(tmp_path / "p.json", rows, lines=False), department)
    assert (job.accepted, job.quarantined_by_reason) == (1, {"lone-surrogate": 1})


@pytest.mark.parametrize("key", ["CF_SY\ud800", "备注\x00"], ids=["lone-surrogate", "nul"])
def test_a_key_no_column_name_can_be_refuses_the_file(tmp_path, department, penalty_item, key):
    """A column's name is stored with the job (its warnings, its report's header): a key that
    cannot be is refused as a header the CSV reader cannot read is, for the whole file."""
    rows = [samples.penalty(1), {**samples.penalty(2), key: "x"}]
    with pytest.raises(XinyongError) as refused:
        import_penalties(write(tmp_path / "p.json", rows, lines=False), department)
    assert (refused.value.code, refused.value.status) == ("json-key", 422)
    job = ImportJob.objects.get()
    assert (job.status, job.error_code) == (ImportStatus.FAILED, "json-key")
    assert "\ufffd" in job.error_message or "␀" in job.error_message
    assert not CreditRecord.objects.exists()


def test_an_id_number_written_as_a_json_float_is_refused_not_made_up(tmp_path, department,
                                                                     penalty_item):  # fmt: skip
    """A serializer that held an ID as a double writes 3.301061960010100e17: its last digits
    are the float's, not the person's (DOMAIN.md §4). Read as a spreadsheet's number cell is,
    as 15 significant digits, it is refused, never stored as digits it never had; as a JSON
    integer it is exact, and taken."""
    numbers = [n for n in range(1, 40) if samples.penalty(n, person=True)["CF_XDR_ZJHM"][-1] != "X"]
    exact, written = (samples.penalty(n, person=True) for n in numbers[:2])
    exact["CF_XDR_ZJHM"] = int(exact["CF_XDR_ZJHM"])
    written["CF_XDR_ZJHM"] = float(written["CF_XDR_ZJHM"])
    path = samples.write_json(tmp_path / "p.json", [exact, written])

    job = import_penalties(path, department)

    assert (job.status, job.accepted, job.quarantined) == (ImportStatus.DONE, 1, 1)
    assert [r.row_number for r in job.report_rows.all()] == [2]
    assert CreditRecord.objects.get().import_row == 1
