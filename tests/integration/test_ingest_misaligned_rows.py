"""Rows that do not line up with the header: a quote left open swallows no row, and a row of
another width shows nothing of a prohibited column in the report (R9, 001 §14, R14).

Every input row is accounted for: the line with the open quote is refused on its own and the
lines after it are rows again, numbered as the file's lines, also when the import is stopped
and run again. A row whose cells are shifted by a delimiter too many or too few keeps no value
in the report of a file that has a prohibited column, wherever the shift put it.
"""

import json

import pytest

from tests import ingest_imports as imports
from tests.data.ingest import samples
from xinyong.audit.models import AuditEntry
from xinyong.catalog import selectors
from xinyong.catalog.models import CreditRecord, ImportJob, ImportStatus, ReportRow
from xinyong.catalog.reports import report_response
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.django_db
OPEN_QUOTE = '"三无产品未标明生产日期'  # a cell that opens a quote and never closes it
RELIGION = "伊斯兰教"  # a value that must never be stored anywhere (001 §14)


# the shared fixtures
department, penalty_item = imports.department, imports.penalty_item
run = imports.import_penalties


def write_lines(path, header, rows, *, replace=None):
    """The file as a department's tool writes it, no cell quoted; ``replace`` maps a row's
    number (from 1) to the cells it has instead: (column, text) pairs, the text as written."""
    lines = [",".join(header)]
    for number, cells in enumerate(samples.rows_of(header, rows), start=1):
        for column, text in (replace or {}).get(number, ()):
            cells[header.index(column)] = text
        lines.append(",".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def broken_quote_file(tmp_path, header=samples.PENALTY_FIELDS, rows=None):
    """200 valid penalties; row 2's facts open a quote that is never closed."""
    rows = rows or [samples.penalty(n) for n in range(1, 201)]
    return write_lines(tmp_path / "p.csv", header, rows, replace={2: [("CF_SY", OPEN_QUOTE)]})


def stored_text() -> str:
    """Everything an import keeps, as one text to search."""
    stored = [
        *CreditRecord.objects.values_list("content", "title"),
        *ReportRow.objects.values_list("values", "reasons"),
        *ImportJob.objects.values_list("warnings", "columns", "quarantined_by_reason"),
        *AuditEntry.objects.values_list("before", "after", "reason"),
        *Subject.objects.values_list("name", "identifier"),
    ]
    return json.dumps(stored, ensure_ascii=False, default=str)


def downloaded(job) -> str:
    """The report as an officer downloads it."""
    return b"".join(report_response(job).streaming_content).decode("utf-8-sig")


# -- a quote left open (R9) ------------------------------------------------------------------


def test_a_quote_left_open_quarantines_its_row_and_every_other_row_goes_in(
    tmp_path, department, penalty_item
):
    """Read on to the end of the file, row 2 would have taken the 198 rows after it with it,
    none of them counted nor named. It is refused on its own; the others are recorded under
    their own row numbers."""
    job = run(broken_quote_file(tmp_path), department)

    assert job.status == ImportStatus.DONE
    assert (job.rows_done, job.accepted, job.inserted, job.quarantined) == (200, 199, 199, 1)
    assert job.accepted + job.quarantined == job.rows_done
    assert job.quarantined_by_reason == {"quote-unclosed": 1}
    refused = job.report_rows.get()
    assert (refused.row_number, refused.outcome) == (2, ReportRow.Outcome.QUARANTINED)
    assert [(r["code"], r["column"]) for r in refused.reasons] == [("quote-unclosed", "CF_SY")]
    assert "引号" in refused.reasons[0]["message"] and "未闭合" in refused.reasons[0]["message"]
    recorded = dict(CreditRecord.objects.values_list("import_row", "document_number"))
    assert set(recorded) == set(range(1, 201)) - {2}
    assert all(recorded[n] == f"杭市监处罚〔2026〕{n}号" for n in recorded)  # row n is line n
    lines = list(selectors.report_lines(job))
    assert [line[:3] for line in lines[1:]] == [["2", "未入库", "quote-unclosed"]]


def test_a_quoted_line_break_in_a_row_of_the_headers_width_is_still_one_row(
    tmp_path, department, penalty_item
):
    """A well-formed quoted cell over two lines is one row; so are the rows after it."""
    rows = [samples.penalty(n) for n in range(1, 6)]
    rows[1]["CF_SY"] = "经查，当事人：\n一、销售超过保质期的食品；\n二、未建立进货查验记录"
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)
    job = run(path, department)
    assert (job.rows_done, job.accepted, job.quarantined) == (5, 5, 0)
    record = CreditRecord.objects.get(import_row=2)
    assert record.content["CF_SY"] == rows[1]["CF_SY"]
    assert set(CreditRecord.objects.values_list("import_row", flat=True)) == {1, 2, 3, 4, 5}


class Interrupted(Exception):
    """Stands for the process being killed right after a chunk committed."""


@pytest.mark.parametrize(
    ("chunk_rows", "stop_at"),
    [(1, 1), (1, 2), (2, 2), (3, 3), (7, 14), (50, 150)],
    ids=["before-the-break", "at-the-break", "chunk-ends-at-it", "chunk-spans-it",
         "in-the-lines-read-again", "far-after-it"],
)  # fmt: skip
def test_a_broken_quote_file_stopped_and_run_again_adds_nothing_and_loses_nothing(
    tmp_path, department, penalty_item, chunk_rows, stop_at
):
    """Rows are counted as they are read, lines read again included, so the resumed import
    skips exactly the rows it committed; the same file once more adds nothing."""
    path = broken_quote_file(tmp_path)

    def stop(job, position):
        if job.rows_done >= stop_at:
            raise Interrupted

    with pytest.raises(Interrupted):
        run(path, department, chunk_rows=chunk_rows, on_progress=stop)
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.RUNNING and job.rows_done < 200

    job = run(path, department, chunk_rows=chunk_rows)
    assert job.status == ImportStatus.DONE and job.runs == 2
    assert (job.rows_done, job.accepted, job.inserted, job.quarantined) == (200, 199, 199, 1)
    assert list(job.report_rows.values_list("row_number", flat=True)) == [2]
    assert set(CreditRecord.objects.values_list("import_row", flat=True)) == (
        set(range(1, 201)) - {2}
    )

    again = run(path, department, chunk_rows=chunk_rows)  # checked again: a row was quarantined
    assert (again.rows_done, again.inserted, again.already_recorded) == (200, 0, 199)
    assert list(again.report_rows.values_list("row_number", flat=True)) == [2]
    assert CreditRecord.objects.count() == 199


def test_the_same_rows_without_the_broken_quote_are_already_recorded(
    tmp_path, department, penalty_item
):
    """The department corrects row 2 and sends the file again: one row is new, none doubled."""
    run(broken_quote_file(tmp_path), department)
    fixed = samples.write_csv(tmp_path / "fixed.csv", samples.PENALTY_FIELDS,
                              [samples.penalty(n) for n in range(1, 201)])  # fmt: skip
    job = run(fixed, department)
    assert (job.rows_done, job.inserted, job.already_recorded, job.quarantined) == (200, 1, 199, 0)
    assert CreditRecord.objects.count() == 200


def test_nothing_of_the_lines_after_an_open_quote_reaches_the_report(
    tmp_path, department, penalty_item
):
    """001 §14: with a religion column after the open quote, the row with the quote shows
    nothing, and the rows after it are refused for their religion one by one, the value kept
    nowhere."""
    header = [*samples.PENALTY_FIELDS, "宗教信仰"]
    rows = [samples.penalty(n) for n in range(1, 11)]
    for n in (2, 3, 5):
        rows[n - 1]["宗教信仰"] = RELIGION
    job = run(broken_quote_file(tmp_path, header, rows), department)
    assert (job.rows_done, job.accepted, job.quarantined) == (10, 7, 3)
    assert job.quarantined_by_reason == {"quote-unclosed": 1, "sensitive-field": 2}
    reasons = {r.row_number: [p["code"] for p in r.reasons] for r in job.report_rows.all()}
    assert reasons == {2: ["quote-unclosed"], 3: ["sensitive-field"], 5: ["sensitive-field"]}
    assert RELIGION not in stored_text()
    assert RELIGION not in downloaded(job)


# -- a row of another width in a file with a prohibited column (001 §14) -----------------------


RIGHT = (["CF_XDR_MC", "宗教信仰", "CF_XDR_LB"], [("CF_XDR_MC", "杭州示例科技有限公司,滨江分公司")])
LEFT = (["CF_XDR_MC", "CF_XDR_LB", "宗教信仰"],
        [("CF_XDR_MC", "杭州示例科技有限公司法人及非法人组织"), ("CF_XDR_LB", None)])  # fmt: skip


@pytest.mark.parametrize(
    ("header", "replace", "remark", "refused_for"),
    [
        # An unquoted comma in the name: every later value one column to the right, the
        # religion under CF_XDR_LB; one cell too many.
        (*RIGHT, "备注", "columns"),
        # The same, the last cell empty: as written, a row ending in a delimiter, whose empty
        # cell past the header is dropped; refused for the name under the religion column.
        (*RIGHT, "", "sensitive-field"),
        # A delimiter missing between the name and the kind: every later value one column to
        # the left, the religion under CF_XDR_LB, before the religion column.
        (*LEFT, "备注", "columns"),
        (*LEFT, "", "columns"),
    ],
    ids=["shifted-right", "shifted-right-last-cell-empty", "shifted-left",
         "shifted-left-last-cell-empty"],
)  # fmt: skip
def test_a_row_of_another_width_shows_no_value_in_a_file_with_a_prohibited_column(
    tmp_path, department, penalty_item, header, replace, remark, refused_for
):
    """001 §14: nothing of the row is kept in the report, wherever the shift put the value."""
    rest = [name for name in samples.PENALTY_FIELDS if name not in header]
    header = [*header, *rest]
    rows = [samples.penalty(1, **{"宗教信仰": ""}),
            samples.penalty(2, BZ=remark, **{"宗教信仰": RELIGION})]  # fmt: skip
    lines = [",".join(header)]
    for number, cells in enumerate(samples.rows_of(header, rows), start=1):
        if number == 2:
            for column, text in replace:
                cells[header.index(column)] = text
            cells = [cell for cell in cells if cell is not None]
        lines.append(",".join(cells))
    path = tmp_path / "p.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    job = run(path, department)

    assert (job.rows_done, job.accepted) == (2, 1)
    refused = job.report_rows.get()
    assert refused.row_number == 2 and refused.reasons[0]["code"] == refused_for
    assert refused.values == [""] * len(job.columns)  # nothing of the row
    assert "宗教信仰" not in job.columns
    assert RELIGION not in stored_text()
    report = downloaded(job)
    assert RELIGION not in report and refused.reasons[0]["message"] in report


def test_a_row_of_another_width_still_shows_its_values_where_no_column_is_prohibited(
    tmp_path, department, penalty_item
):
    """Without a prohibited column the values help the department find what went wrong."""
    rows = [samples.penalty(1), samples.penalty(2, BZ="备注")]
    path = write_lines(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows,
                       replace={2: [("CF_XDR_MC", "杭州示例科技有限公司,滨江分公司")]})  # fmt: skip
    job = run(path, department)
    assert job.quarantined_by_reason == {"columns": 1}
    values = job.report_rows.get().values
    assert values[:2] == ["杭州示例科技有限公司", "滨江分公司"]


def test_a_line_with_a_quote_left_open_shows_nothing_whatever_its_width(
    tmp_path, department, penalty_item
):
    """001 §14: a comma too many in the name shifts the religion right, and the open quote's
    cell takes the last delimiter: the line has the header's width, and still shows nothing."""
    header = ["CF_XDR_MC", "宗教信仰", *[n for n in samples.PENALTY_FIELDS if n != "CF_XDR_MC"]]
    rows = [samples.penalty(n, **{"宗教信仰": RELIGION if n == 2 else ""}) for n in (1, 2, 3)]
    code = rows[1]["CF_SJLYDM"]
    path = write_lines(tmp_path / "p.csv", header, rows, replace={2: [
        ("CF_XDR_MC", "杭州示例科技有限公司,滨江分公司"), ("CF_SJLYDM", f'"{code}'),
    ]})  # fmt: skip
    job = run(path, department)
    assert (job.rows_done, job.accepted, job.quarantined_by_reason) == (3, 2, {"quote-unclosed": 1})
    refused = job.report_rows.get()
    assert refused.row_number == 2 and refused.values == [""] * len(job.columns)
    assert RELIGION not in stored_text() and RELIGION not in downloaded(job)


# -- a header ending in columns without a name --------------------------------------------------


@pytest.mark.parametrize("ending", [",", ", ", ",,"], ids=["delimiter", "blank-name", "two"])
def test_text_under_a_header_column_without_a_name_is_refused_naming_that_column(
    tmp_path, department, penalty_item, ending
):
    """The header line ends in columns without a name (a trailing delimiter, a blank name),
    which the reader leaves out as a sheet's empty columns: a row ending in empty cells there
    is taken, and a row with text there is refused (R9). The message counts the header's named
    columns as such and says which column has text but no name: "表头有25列" alone read as one
    column too few beside a header line of 26 cells, the last one blank."""
    named = len(samples.PENALTY_FIELDS)
    lines = [",".join(row) for row in samples.rows_of(
        samples.PENALTY_FIELDS, [samples.penalty(n) for n in (1, 2, 3)])]  # fmt: skip
    text = "\n".join([",".join(samples.PENALTY_FIELDS) + ending, lines[0] + ",",
                      lines[1] + ",备注", lines[2] + ",,备注"])  # fmt: skip
    path = tmp_path / "p.csv"
    path.write_text(text + "\n", encoding="utf-8")

    job = run(path, department)

    assert (job.accepted, job.quarantined_by_reason) == (1, {"columns": 2})
    messages = {r.row_number: r.reasons[0]["message"] for r in job.report_rows.all()}
    assert messages == {
        2: f"本行有{named + 1}列，表头只有前{named}列有列名：第{named + 1}列有内容，"
           "表头没有该列的列名",
        3: f"本行有{named + 2}列，表头只有前{named}列有列名：第{named + 2}列有内容，"
           "表头没有该列的列名",
    }  # fmt: skip


def test_a_row_short_of_the_header_is_refused_with_both_counts(tmp_path, department, penalty_item):
    """A line break inside a cell, unquoted, leaves a row short of the header (R9)."""
    named = len(samples.PENALTY_FIELDS)
    cells = samples.rows_of(samples.PENALTY_FIELDS, [samples.penalty(1)])[0]
    path = tmp_path / "p.csv"
    path.write_text(
        ",".join(samples.PENALTY_FIELDS) + ",\n" + ",".join(cells[:-1]) + "\n", encoding="utf-8"
    )
    job = run(path, department)
    assert job.report_rows.get().reasons[0]["message"] == f"本行有{named - 1}列，表头有{named}列"
