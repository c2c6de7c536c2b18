"""Importing 双公示 files: every row accounted for, bad rows quarantined with their reasons,
prohibited data never kept, nothing recorded twice (R9, R13, 001 §14, DOMAIN.md §4–5)."""

import csv
import datetime as dt
import io
import json

import pytest

from tests.data.ingest import samples
from tests.factories import CatalogItemFactory, DepartmentFactory, make_citizen_id, make_uscc
from xinyong.audit.models import AuditEntry
from xinyong.catalog import selectors, services
from xinyong.catalog.importers.formats import PENALTIES
from xinyong.catalog.models import (
    CreditRecord,
    ImportJob,
    ImportStatus,
    RecordFormat,
    ReportRow,
)
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.masking import mask_id_number
from xinyong.subjects.models import IdentifierStatus, Subject

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
RELIGION = "某某教派信徒"  # a value that must never be stored anywhere


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name="杭州市市场监督管理局")


@pytest.fixture
def penalty_item(department):
    return CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None)  # fmt: skip


def run(path, department, kind="penalties", **options):
    with clock.frozen(TODAY):
        return services.import_file(
            actor="test", kind=kind, path=path, department=department, **options
        )


def report(job):
    return list(selectors.report_lines(job))


def wrong_check_character(code: str) -> str:
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    return code[:17] + alphabet[(alphabet.index(code[17]) + 1) % len(alphabet)]


def test_a_file_with_every_kind_of_bad_row_is_accounted_for_row_by_row(
    tmp_path, department, penalty_item
):
    """GBK-encoded, with a religion column: each bad row is named with its reason; the good
    rows, and the one whose code only fails its check character, are recorded."""
    header = [*samples.PENALTY_FIELDS, "宗教信仰"]
    huge = "违" * (10 * 1024 * 1024 // 2)  # 10 MB in GBK
    rows = [
        samples.penalty(1),
        samples.penalty(2, person=True),
        samples.penalty(3, CF_XDR_SHXYM=wrong_check_character(make_uscc(3))),
        samples.penalty(4, person=True, CF_XDR_ZJHM=make_citizen_id(4)[:17] + "0"),
        samples.penalty(5, CF_XDR_LB="外星组织"),
        samples.penalty(6, CF_JDRQ=""),
        samples.penalty(7, **{"宗教信仰": RELIGION}),
        samples.penalty(1),  # the first row again
        samples.penalty(9, CF_SY=huge),
        samples.penalty(10),
    ]
    if make_citizen_id(4)[17] == "0":  # keep the ID number wrong whatever its check character
        rows[3]["CF_XDR_ZJHM"] = make_citizen_id(4)[:17] + "1"
    path = samples.write_csv(tmp_path / "处罚.csv", header, rows, encoding="gbk")

    job = run(path, department)

    assert job.status == ImportStatus.DONE
    assert job.encoding == "gb18030"
    assert (job.rows_done, job.accepted, job.quarantined) == (10, 4, 6)
    assert job.accepted + job.quarantined == job.rows_done
    assert (job.inserted, job.already_recorded, job.identifiers_for_review) == (4, 0, 1)
    assert job.quarantined_by_reason == {
        "cell-too-large": 1, "duplicate-in-file": 1, "required": 1, "ric-check-character": 1,
        "sensitive-field": 1, "subject-kind-unknown": 1,
    }  # fmt: skip
    named = {
        r.row_number: (r.outcome, [p["code"] for p in r.reasons]) for r in job.report_rows.all()
    }
    assert named == {
        3: ("review", ["uscc-check-character"]),
        4: ("quarantined", ["ric-check-character"]),
        5: ("quarantined", ["subject-kind-unknown"]),
        6: ("quarantined", ["required"]),
        7: ("quarantined", ["sensitive-field"]),
        8: ("quarantined", ["duplicate-in-file"]),
        9: ("quarantined", ["cell-too-large"]),
    }
    recorded = set(CreditRecord.objects.values_list("import_row", flat=True))
    assert recorded == {1, 2, 3, 10}
    reviewed = Subject.objects.get(identifier=wrong_check_character(make_uscc(3)))
    assert reviewed.identifier_status == IdentifierStatus.REVIEW

    lines = report(job)
    assert lines[0][:4] == ["数据行号", "处理结果", "错误代码", "说明"]
    assert "宗教信仰" not in lines[0]  # the prohibited column is not even in the report
    by_row = {line[0]: line for line in lines[1:]}
    assert "与本文件第1行是同一记录" in by_row["8"][3]
    assert "CF_SY" in by_row["9"][3]
    assert max(len(cell) for cell in by_row["9"]) <= 201  # the 10 MB cell is truncated


def test_a_prohibited_value_is_stored_nowhere(tmp_path, department, penalty_item):
    """001 §14: not in a record, a subject, the report, the job or the audit trail."""
    header = [*samples.PENALTY_FIELDS, "血型", "疾病史"]
    rows = [
        samples.penalty(1, **{"血型": "", "疾病史": ""}),
        samples.penalty(2, **{"血型": RELIGION}),
    ]
    job = run(samples.write_csv(tmp_path / "p.csv", header, rows), department)
    assert (job.accepted, job.quarantined) == (1, 1)
    assert "血型" in job.warnings[0]["message"]  # the column's name, as a warning
    stored = [
        *CreditRecord.objects.values_list("content", flat=True),
        *ReportRow.objects.values_list("values", "reasons"),
        *ImportJob.objects.values_list("warnings", "columns"),
        *AuditEntry.objects.values_list("before", "after", "reason"),
        *Subject.objects.values_list("name", flat=True),
    ]
    assert RELIGION not in json.dumps(stored, ensure_ascii=False, default=str)


@pytest.mark.parametrize("separator", ["", "\x1f"])
def test_citizen_ids_in_a_records_content_are_masked_wherever_they_are(
    tmp_path, department, penalty_item, separator
):
    """R14: the representative's ID, an ID inside free text, two in one cell — each masked as
    if cell by cell, also when a cell holds the separator the checker joins cells with; the
    subject's USCC is kept as written."""
    representative, witness, other = (make_citizen_id(n) for n in (7, 8, 9))
    code = make_uscc(5)
    row = samples.penalty(
        5,
        CF_FR_ZJHM=representative,
        CF_SY=f"经查{separator}，证人{witness}、{other}陈述属实",
        BZ=f"{witness}{separator}",
    )
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, [row])
    run(path, department)
    content = CreditRecord.objects.get().content
    assert content["CF_FR_ZJHM"] == mask_id_number(representative)
    assert content["CF_SY"] == (
        f"经查{separator}，证人{mask_id_number(witness)}、{mask_id_number(other)}陈述属实"
    )
    assert content["BZ"] == f"{mask_id_number(witness)}{separator}"
    assert content["CF_XDR_SHXYM"] == code
    assert "CF_XDR_ZJHM" not in content  # empty cells are not kept


def test_a_nul_character_quarantines_its_row_and_the_rest_go_in(tmp_path, department, penalty_item):
    """PostgreSQL cannot store a NUL in text at all: the row is refused with its column named,
    the report marks where it was, and the file's other rows are recorded (on SQLite too)."""
    rows = [samples.penalty(1), samples.penalty(2, CF_SY="经查\x00当事人"), samples.penalty(3)]
    job = run(samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows), department)
    assert (job.status, job.accepted, job.quarantined_by_reason) == (
        ImportStatus.DONE,
        2,
        {"control-character": 1},
    )
    assert CreditRecord.objects.count() == 2
    refused = ReportRow.objects.get(job=job)
    assert (refused.row_number, [r["column"] for r in refused.reasons]) == (2, ["CF_SY"])
    assert "经查\u2400当事人" in refused.values


def test_importing_the_same_file_again_adds_nothing(tmp_path, department, penalty_item):
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(n) for n in range(1, 6)])  # fmt: skip
    first = run(path, department)
    again = run(path, department)
    assert again.pk == first.pk and again.inserted == 5
    assert CreditRecord.objects.count() == 5


def test_the_same_file_under_another_catalog_item_is_a_job_of_its_own(tmp_path, department):
    """A file is known by its content and the item it is recorded under: sent again under the
    item that takes its person's row, that row goes in, where the first item refused it."""
    CatalogItemFactory(code="penalty-organisations", record_format=RecordFormat.PENALTY,
                       provider=department, subject_kinds=["legal_person"])  # fmt: skip
    CatalogItemFactory(code="penalty-all", record_format=RecordFormat.PENALTY, provider=department,
                       subject_kinds=["legal_person", "natural_person"])  # fmt: skip
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(1), samples.penalty(2, person=True)])  # fmt: skip
    first = run(path, department, item_code="penalty-organisations")
    assert (first.inserted, first.quarantined_by_reason) == (1, {"catalog-subject-kind": 1})
    other = run(path, department, item_code="penalty-all")
    assert other.pk != first.pk and other.catalog_item.code == "penalty-all"
    assert (other.inserted, other.already_recorded, other.quarantined) == (1, 1, 0)
    assert run(path, department, item_code="penalty-all").pk == other.pk  # known under it now


def test_the_same_rows_in_another_file_are_already_recorded(tmp_path, department, penalty_item):
    rows = [samples.penalty(n) for n in range(1, 6)]
    run(samples.write_csv(tmp_path / "a.csv", samples.PENALTY_FIELDS, rows), department)
    other = [samples.penalty(6), *reversed(rows)]
    job = run(samples.write_csv(tmp_path / "b.csv", samples.PENALTY_FIELDS, other), department)
    assert (job.rows_done, job.accepted, job.inserted, job.already_recorded) == (6, 6, 1, 5)
    assert job.quarantined == 0
    assert CreditRecord.objects.count() == 6


class Interrupted(Exception):
    """Stands for the process being killed right after a chunk committed."""


def test_an_interrupted_import_resumes_and_ends_with_exactly_the_files_rows(
    tmp_path, department, penalty_item
):
    rows = [samples.penalty(n) for n in range(1, 12)] + [samples.penalty(3)]
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows)

    def stop_after_two_chunks(job, position):
        if job.rows_done >= 6:
            raise Interrupted

    with pytest.raises(Interrupted):
        run(path, department, chunk_rows=3, on_progress=stop_after_two_chunks)
    job = ImportJob.objects.get()
    assert (job.status, job.rows_done, CreditRecord.objects.count()) == ("running", 6, 6)

    job = run(path, department, chunk_rows=3)
    assert job.status == ImportStatus.DONE and job.runs == 2
    assert (job.rows_done, job.accepted, job.inserted, job.quarantined) == (12, 11, 11, 1)
    assert job.report_rows.get().reasons[0]["code"] == "duplicate-in-file"
    assert CreditRecord.objects.count() == 11


def test_the_older_editions_field_names(tmp_path, department, penalty_item):
    """CF_XZJG, CF_CFMC, CF_XDR_SHXYM, CF_XDR_SFZ, CF_CFLB1/2…: read into the same fields, kept
    under the current names; the subject's kind comes from which code it has."""
    row = dict.fromkeys(samples.OLD_PENALTY_FIELDS, "")
    row.update(CF_WSH="杭市监罚〔2016〕1号", CF_CFMC="销售过期食品案", CF_CFLB1="警告",
               CF_CFLB2="吊销许可证", CF_SY="销售过期食品", CF_YJ="《食品安全法》",
               CF_XDR_MC="杭州老字号食品有限公司", CF_XDR_SHXYM=make_uscc(8),
               CF_XDR_ZDM="12345678-9", CF_FR="赵六", CF_JG="警告并吊销许可证",
               CF_JDRQ="2026/11/2", CF_XZJG="杭州市市场监督管理局", CF_ZT="0",
               DFBM="330100")  # fmt: skip
    person = dict(row, CF_WSH="杭市监罚〔2016〕2号", CF_XDR_MC="钱七", CF_XDR_SHXYM="",
                  CF_XDR_ZDM="", CF_XDR_SFZ=make_citizen_id(9), CF_FR="")  # fmt: skip
    code_only = dict(row, CF_WSH="杭市监罚〔2016〕3号", CF_XDR_SHXYM="")
    path = samples.write_csv(tmp_path / "old.csv", samples.OLD_PENALTY_FIELDS,
                             [row, person, code_only], encoding="gb18030")  # fmt: skip
    job = run(path, department)
    assert job.edition == "old"
    assert (job.accepted, job.quarantined_by_reason) == (2, {"uscc-missing": 1})
    record = CreditRecord.objects.get(document_number="杭市监罚〔2016〕1号")
    assert record.subject.kind == "legal_person"
    assert record.issuing_body == "杭州市市场监督管理局"
    assert record.tier == "serious" and record.is_serious  # 吊销许可证 outweighs 警告
    assert record.content["CF_CFJG"] == "杭州市市场监督管理局"
    assert record.content["CF_CFLB"] == "警告；吊销许可证"
    assert record.content["CF_CFMC"] == "销售过期食品案"
    assert record.title == "销售过期食品案"
    assert CreditRecord.objects.get(document_number="杭市监罚〔2016〕2号").subject.kind == (
        "natural_person"
    )


def test_the_older_templates_chinese_titles(tmp_path, department, penalty_item):
    """R9: an older export headed with the template's Chinese titles, in GBK, is read as the
    older edition: a person's citizen ID in 行政相对人代码_5(居民身份证号) makes the row a
    natural person's, and no code column is left unknown."""
    org = dict.fromkeys(samples.OLD_PENALTY_FIELDS, "")
    org.update(CF_WSH="杭市监罚〔2016〕1号", CF_CFMC="销售过期食品案", CF_CFLB1="罚款",
               CF_SY="销售过期食品", CF_YJ="《食品安全法》", CF_XDR_MC="杭州某食品有限公司",
               CF_XDR_SHXYM=make_uscc(5), CF_FR="赵六", CF_JG="罚款五千元",
               CF_JDRQ="2026/11/02", CF_XZJG="杭州市市场监督管理局", CF_ZT="0",
               DFBM="330100")  # fmt: skip
    person = dict(org, CF_WSH="杭市监罚〔2016〕2号", CF_XDR_MC="钱七", CF_XDR_SHXYM="",
                  CF_XDR_SFZ=make_citizen_id(7), CF_FR="")  # fmt: skip
    titles = samples.OLD_PENALTY_TITLES
    rows = [{titles[name]: value for name, value in row.items()} for row in (org, person)]
    path = samples.write_csv(tmp_path / "old.csv", list(titles.values()), rows, encoding="gbk")
    job = run(path, department)
    assert (job.edition, job.accepted, job.quarantined, job.warnings) == ("old", 2, 0, [])
    record = CreditRecord.objects.get(document_number="杭市监罚〔2016〕2号")
    assert record.subject.kind == "natural_person"
    assert record.content["CF_XDR_ZJHM"] == mask_id_number(make_citizen_id(7))  # R14
    assert (
        CreditRecord.objects.get(document_number="杭市监罚〔2016〕1号").content["CF_FRDB"] == "赵六"
    )


def test_a_header_of_the_fields_labels_keeps_every_field(tmp_path, department, penalty_item):
    """R9: a current-edition file headed with the fields' own labels, brackets and all, is
    read whole: the confiscated amount (没收违法所得、没收非法财物的金额（万元）) is kept, not
    dropped as an unknown column."""
    label = {f.content: f.label for f in PENALTIES.fields if f.content}
    header = [label[name] for name in samples.PENALTY_FIELDS]
    row = samples.penalty(1, CF_NR_WFFF="2.5", CF_CFLB="罚款、没收违法所得")
    path = samples.write_csv(tmp_path / "p.csv", header, [{label[k]: v for k, v in row.items()}])
    job = run(path, department)
    assert (job.edition, job.accepted, job.warnings) == ("new", 1, [])
    content = CreditRecord.objects.get().content
    assert (content["CF_NR_WFFF"], content["CF_NR_FK"]) == ("2.5", "1")


@pytest.mark.parametrize("writer", ["xlsx", "json", "jsonl"])
def test_excel_and_json_files(tmp_path, department, writer):
    CatalogItemFactory(
        code="administrative-licence", record_format=RecordFormat.LICENCE, provider=None
    )
    rows = [samples.licence(1), samples.licence(2), samples.licence(3, XK_JDRQ="not a date")]
    if writer == "xlsx":
        path = samples.write_xlsx(tmp_path / "许可.xlsx", samples.LICENCE_FIELDS, rows)
    else:
        path = samples.write_json(tmp_path / f"许可.{writer}", rows, lines=writer == "jsonl")
    job = run(path, department, kind="licences")
    assert (job.file_format, job.accepted, job.quarantined) == (
        "excel" if writer == "xlsx" else "json", 2, 1,
    )  # fmt: skip
    assert job.quarantined_by_reason == {"date-invalid": 1}
    record = CreditRecord.objects.get(document_number="杭市监许〔2026〕1号")
    assert record.publication_ends_on == dt.date(2031, 11, 1)  # until the licence expires
    assert record.content["XK_XKZS"] == "食品经营许可证"


def test_a_row_ending_in_a_delimiter_is_read_as_without_it(tmp_path, department, penalty_item):
    """Some exports end every data row with a comma; the Excel reader ignores empty columns
    past the header, and so does the CSV reader. Text past the header is still refused."""
    lines = [",".join(row) for row in samples.rows_of(
        samples.PENALTY_FIELDS, [samples.penalty(n) for n in (1, 2, 3)])]  # fmt: skip
    text = "\n".join([",".join(samples.PENALTY_FIELDS), lines[0] + ",", lines[1] + ",,",
                      lines[2] + ",多余"])  # fmt: skip
    path = tmp_path / "p.csv"
    path.write_text(text + "\n", encoding="utf-8")
    job = run(path, department)
    assert (job.accepted, job.quarantined_by_reason) == (2, {"columns": 1})
    assert job.report_rows.get().row_number == 3


def test_a_decision_date_with_a_time_of_day_is_that_day(tmp_path, department, penalty_item):
    """Exports from case systems, and Excel datetime cells, carry a time; the day counts."""
    import openpyxl

    times = ["2026-11-02 10:30:00", "2026/11/2 9:15", "2026-11-02 25:00", "2026-11-02 abc"]
    rows = [samples.penalty(n, CF_JDRQ=text) for n, text in enumerate(times, start=1)]
    job = run(samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows), department)
    assert (job.accepted, job.quarantined_by_reason) == (2, {"date-invalid": 2})
    assert set(job.report_rows.values_list("row_number", flat=True)) == {3, 4}

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(samples.PENALTY_FIELDS)
    cells = [dt.datetime(2026, 11, 3, 10, 30), dt.datetime(2026, 11, 3), dt.date(2026, 11, 3)]
    for n, value in enumerate(cells, start=11):
        row = samples.rows_of(samples.PENALTY_FIELDS, [samples.penalty(n)])[0]
        row[samples.PENALTY_FIELDS.index("CF_JDRQ")] = value
        sheet.append(row)
    workbook.save(tmp_path / "p.xlsx")
    job = run(tmp_path / "p.xlsx", department)
    assert (job.accepted, job.quarantined) == (3, 0)
    decided = CreditRecord.objects.filter(import_job=job).values_list("decision_date", flat=True)
    assert set(decided) == {dt.date(2026, 11, 3)}


def test_outside_the_catalog_a_file_is_refused_with_an_audit_entry(tmp_path, department):
    """R13: no penalty item this department may record under."""
    CatalogItemFactory(record_format=RecordFormat.PENALTY, provider=DepartmentFactory())
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, [samples.penalty(1)])
    with pytest.raises(XinyongError) as refused:
        run(path, department)
    assert refused.value.code == "not-in-catalog"
    job = ImportJob.objects.get()
    assert (job.status, job.error_code) == (ImportStatus.FAILED, "not-in-catalog")
    assert AuditEntry.objects.filter(action="catalog.refused", object_id=str(job.pk)).exists()
    assert not CreditRecord.objects.exists()


def test_other_records_name_their_catalog_item_row_by_row(tmp_path, department):
    """R13: a row under an item outside the department's catalog is refused and audited."""
    CatalogItemFactory(code="integrity-honour", provider=department, subject_kinds=["legal_person"],
                       publication_months_max=24, data_items=["荣誉级别"])  # fmt: skip
    CatalogItemFactory(code="tax-credit-rating", provider=DepartmentFactory())
    header = ["目录编码", "主体名称", "主体类别", "统一社会信用代码", "文书号", "决定日期",
              "决定机关", "摘要", "荣誉级别"]  # fmt: skip
    rows = [
        dict(zip(header, values, strict=True))
        for values in (
            ["integrity-honour", "甲公司", "法人", make_uscc(1), "杭文明〔2026〕1号", "2026-11-02",
             "杭州市文明办", "诚信示范企业", "市级"],
            ["tax-credit-rating", "乙公司", "法人", make_uscc(2), "税〔2026〕2号", "2026-11-02",
             "税务局", "A级纳税人", ""],
            ["no-such-item", "丙公司", "法人", make_uscc(3), "X〔2026〕3号", "2026-11-02", "某局",
             "", ""],
        )
    ]  # fmt: skip
    job = run(samples.write_csv(tmp_path / "r.csv", header, rows), department, kind="records")
    assert (job.accepted, job.quarantined_by_reason) == (1, {"not-in-catalog": 2})
    record = CreditRecord.objects.get()
    assert record.content == {"荣誉级别": "市级"}
    assert record.publication_ends_on == dt.date(2028, 11, 2)
    audit = AuditEntry.objects.get(action="catalog.refused", object_id=str(job.pk))
    assert audit.after["row_numbers"] == [2, 3]


def test_other_records_keep_only_the_columns_their_item_lists(tmp_path, department):
    """R13: a record keeps, beyond the format's fields, only the data items its catalog item's
    submission list states; other columns are stored for no row, and the job says which."""
    CatalogItemFactory(code="integrity-honour", provider=department, subject_kinds=["legal_person"],
                       publication_months_max=24, data_items=["荣誉级别"])  # fmt: skip
    CatalogItemFactory(code="contract-keeping", provider=department,
                       subject_kinds=["legal_person"], publication_months_max=24)  # fmt: skip
    header = ["目录编码", "主体名称", "主体类别", "统一社会信用代码", "文书号", "决定日期",
              "决定机关", "荣誉级别", "手机号码", "婚姻状况"]  # fmt: skip
    rows = [
        dict(zip(header, values, strict=True))
        for values in (
            ["integrity-honour", "甲公司", "法人", make_uscc(1), "杭文明〔2026〕1号", "2026-11-02",
             "杭州市文明办", "市级", "13812345678", "离异"],
            ["contract-keeping", "乙公司", "法人", make_uscc(2), "杭市监〔2026〕2号", "2026-11-02",
             "市场监管局", "省级", "13812345679", "已婚"],
        )
    ]  # fmt: skip
    job = run(samples.write_csv(tmp_path / "r.csv", header, rows), department, kind="records")
    assert (job.accepted, job.quarantined) == (2, 0)
    contents = {r.document_number: r.content for r in CreditRecord.objects.all()}
    assert contents == {"杭文明〔2026〕1号": {"荣誉级别": "市级"}, "杭市监〔2026〕2号": {}}
    warning = {w["code"]: w["message"] for w in job.warnings}["columns-not-in-catalog"]
    assert "手机号码、婚姻状况" in warning and "荣誉级别" not in warning


def test_a_licence_or_a_penalty_cannot_come_in_as_other_records(tmp_path, department, penalty_item):
    """R8, R9: a penalty named in a records file would skip its tier and be public forever;
    a licence, its format's checks. Each comes in through its own import."""
    CatalogItemFactory(code="integrity-honour", provider=department, publication_months_max=24)
    CatalogItemFactory(code="food-licence", record_format=RecordFormat.LICENCE, provider=department)
    CatalogItemFactory(code="tax-penalty", record_format=RecordFormat.PENALTY,
                       provider=DepartmentFactory())  # fmt: skip

    def row(n, item, **extra):
        return {"ITEM": item, "SUBJECT_NAME": f"{n}号公司", "SUBJECT_KIND": "法人",
                "USCC": make_uscc(n), "DOCUMENT_NUMBER": f"杭〔2026〕{n}号",
                "DECISION_DATE": "2026-11-02", "ISSUING_BODY": "某局", **extra}  # fmt: skip

    rows = [row(1, "integrity-honour"), row(2, "administrative-penalty", CF_CFLB="警告"),
            row(3, "food-licence"), row(4, "tax-penalty")]  # fmt: skip
    job = run(samples.write_json(tmp_path / "r.json", rows), department, kind="records")
    assert (job.accepted, job.quarantined_by_reason) == (
        1, {"item-needs-own-import": 2, "not-in-catalog": 1},
    )  # fmt: skip
    assert CreditRecord.objects.get().catalog_item.code == "integrity-honour"
    reasons = {r.row_number: r.reasons[0] for r in job.report_rows.all()}
    assert "以“行政处罚”类别导入" in reasons[2]["message"]
    assert "以“行政许可”类别导入" in reasons[3]["message"]
    assert reasons[4]["code"] == "not-in-catalog"  # another department's item: outside the catalog
    # Through its own import the same penalty is tiered: a warning is minor, never published.
    penalties = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                                  [samples.penalty(2, CF_CFLB="警告")])  # fmt: skip
    assert run(penalties, department).accepted == 1
    warning = CreditRecord.objects.get(catalog_item=penalty_item)
    assert (warning.tier, warning.published_on) == ("minor", None)


def test_the_report_is_a_csv_that_opens_in_excel(tmp_path, department, penalty_item):
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS,
                             [samples.penalty(1, CF_NR_FK="一万元")])  # fmt: skip
    job = run(path, department)
    buffer = io.StringIO()
    csv.writer(buffer).writerows(report(job))
    assert "amount-invalid" in buffer.getvalue()
    assert "罚款金额" in buffer.getvalue()


def test_a_file_without_the_formats_columns_is_refused(tmp_path, department, penalty_item):
    path = samples.write_csv(tmp_path / "x.csv", ["姓名", "年龄"], [{"姓名": "张三", "年龄": "3"}])
    with pytest.raises(XinyongError) as refused:
        run(path, department)
    assert refused.value.code == "file-layout"
    assert ImportJob.objects.get().status == ImportStatus.FAILED


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        ({"CF_WSH": "CF_WSH"}, "“CF_WSH”、“CF_WSH”（行政处罚决定书文号）"),
        ({"行政相对人名称": "CF_XDR_MC"}, "“CF_XDR_MC”、“行政相对人名称”（行政相对人名称）"),
    ],
)
def test_a_header_naming_a_field_twice_is_refused_naming_the_column(
    tmp_path, department, penalty_item, extra, named
):
    """A field's copies would be joined into one value, the document number's or the
    subject's name's too: a record under another identity, recorded again when the file is
    sent right. The file is refused, with its layout's refusal naming the columns."""
    header = [*samples.PENALTY_FIELDS, *extra]
    rows = [samples.penalty(n) for n in (1, 2)]
    rows = [{**row, **{copy: row[field] for copy, field in extra.items()}} for row in rows]
    path = samples.write_csv(tmp_path / "p.csv", header, rows)
    with pytest.raises(XinyongError) as refused:
        run(path, department)
    assert refused.value.code == "file-layout"
    assert named in refused.value.message
    assert ImportJob.objects.get().status == ImportStatus.FAILED
    assert not CreditRecord.objects.exists()


def test_the_older_editions_penalty_types_in_two_columns_are_still_joined(
    tmp_path, department, penalty_item
):
    titles = [{"CF_CFLB1": "处罚类别1", "CF_CFLB2": "处罚类别2"}.get(n, n)
              for n in samples.OLD_PENALTY_FIELDS]  # fmt: skip
    row = old_edition_penalty(CF_CFLB1="警告", CF_CFLB2="罚款")
    row = dict(zip(titles, row.values(), strict=True))
    job = run(samples.write_csv(tmp_path / "p.csv", titles, [row]), department)
    assert job.accepted == 1
    assert CreditRecord.objects.get().content["CF_CFLB"] == "警告；罚款"


@pytest.mark.parametrize(
    ("name", "kind", "item_format"),
    [
        ("penalties-old-edition-gbk.csv", "penalties", RecordFormat.PENALTY),
        ("licences.json", "licences", RecordFormat.LICENCE),
    ],
)
def test_the_sample_files_import_cleanly(department, name, kind, item_format):
    """The checked-in samples: an older-edition GBK penalty file and a JSON licence file."""
    CatalogItemFactory(record_format=item_format, provider=None)
    job = run(samples.FOLDER / name, department, kind=kind)
    assert (job.status, job.rows_done, job.accepted, job.quarantined) == ("done", 2, 2, 0)


def test_a_revoked_record_is_replaced_by_the_right_decision_and_never_comes_back(
    tmp_path, department, penalty_item
):
    """R6: a record wrong in its penalty type is revoked on a founded objection, and the
    department sends the right decision under the same document number: it is recorded and
    published. The revoked decision sent again, or the right one sent twice, adds nothing."""
    from tests.factories import OfficerFactory, UserFactory
    from xinyong.access.models import SubjectAccount
    from xinyong.remedies import record_objections
    from xinyong.remedies.record_objections import Finding

    wrong = samples.penalty(1, CF_CFLB="吊销许可证件", CF_NR="吊销食品经营许可证")
    right = samples.penalty(1)  # the same document number and subject, a fine
    first = samples.write_csv(tmp_path / "a.csv", samples.PENALTY_FIELDS, [wrong])
    run(first, department)
    revoked = CreditRecord.objects.get()
    assert revoked.tier == "serious"
    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=revoked.subject)
    with clock.frozen(TODAY):
        objection = record_objections.object_to_record(
            revoked.pk, actor=account, grounds="处罚种类有误"
        )
        record_objections.decide(
            objection.pk, actor=OfficerFactory(department=department).user,
            finding=Finding.FOUNDED, statement="处罚种类有误，予以撤销", outcome="revoke",
        )  # fmt: skip
    revoked.refresh_from_db()
    assert revoked.revoked_on == TODAY

    # In another file (the same file again is recognised as such and read no more).
    resent = [samples.penalty(2), wrong]
    again = run(samples.write_csv(tmp_path / "a2.csv", samples.PENALTY_FIELDS, resent), department)
    assert (again.inserted, again.already_recorded) == (1, 1)
    assert not CreditRecord.objects.filter(
        revoked_on__isnull=True, pk__gt=revoked.pk, tier="serious"
    )
    corrected = samples.write_csv(tmp_path / "b.csv", samples.PENALTY_FIELDS, [right, right])
    job = run(corrected, department)
    assert (job.inserted, job.already_recorded, job.quarantined) == (1, 0, 1)  # the row twice
    record = CreditRecord.objects.get(revoked_on__isnull=True, document_number=wrong["CF_WSH"])
    assert (record.tier, record.content["CF_CFLB"], record.is_published) == (
        "general",
        "罚款",
        True,
    )
    twice = run(samples.write_csv(tmp_path / "b2.csv", samples.PENALTY_FIELDS, [right]), department)
    assert (twice.inserted, twice.already_recorded) == (0, 1)
    assert CreditRecord.objects.count() == 3  # the revoked one, the right one, and row 2


def revoke_on_founded_objection(record, department):
    """R6: the subject objects, the department finds the objection founded and revokes."""
    from tests.factories import OfficerFactory, UserFactory
    from xinyong.access.models import SubjectAccount
    from xinyong.remedies import record_objections
    from xinyong.remedies.record_objections import Finding

    account = UserFactory()
    SubjectAccount.objects.create(user=account, subject=record.subject)
    with clock.frozen(TODAY):
        objection = record_objections.object_to_record(record.pk, actor=account, grounds="有误")
        record_objections.decide(
            objection.pk, actor=OfficerFactory(department=department).user,
            finding=Finding.FOUNDED, statement="予以撤销", outcome="revoke",
        )  # fmt: skip
    record.refresh_from_db()
    assert record.revoked_on == TODAY


def old_edition_penalty(**changes: str) -> dict[str, str]:
    row = dict.fromkeys(samples.OLD_PENALTY_FIELDS, "")
    row.update(CF_WSH="杭西市监罚〔2026〕101号", CF_CFMC="销售过期食品案", CF_CFLB1="罚款",
               CF_SY="销售超过保质期的食品", CF_YJ="《中华人民共和国食品安全法》第一百二十四条",
               CF_XDR_MC="杭州某某食品有限公司", CF_XDR_SHXYM=make_uscc(7), CF_JG="罚款五千元",
               CF_JDRQ="2026/11/10", CF_XZJG="杭州市西湖区市场监督管理局", CF_ZT="0",
               DFBM="330106", SJC="2026-11-12 09:00:00", BZ="")  # fmt: skip
    return {**row, **changes}


def test_a_revoked_decision_exported_again_with_other_bookkeeping_stays_revoked(
    tmp_path, department, penalty_item
):
    """R6: a department's system exports the revoked decision again, with a new export
    timestamp (SJC), a note, another state or region code: the same decision, which stays
    revoked and is not published again. A change to the decision itself (its result) is
    the right decision, and is recorded."""
    fields = samples.OLD_PENALTY_FIELDS
    run(samples.write_csv(tmp_path / "a.csv", fields, [old_edition_penalty()]), department)
    revoke_on_founded_objection(CreditRecord.objects.get(), department)

    exported_again = [
        old_edition_penalty(SJC="2026-11-20 09:00:00"),
        old_edition_penalty(SJC="2026-11-21 08:00:00", BZ="重新推送", CF_ZT="1", DFBM="330100"),
    ]
    job = run(samples.write_csv(tmp_path / "b.csv", fields, exported_again), department)
    assert (job.inserted, job.already_recorded, job.quarantined) == (0, 2, 0)
    assert not CreditRecord.objects.filter(revoked_on__isnull=True).exists()

    corrected = old_edition_penalty(SJC="2026-11-22 09:00:00", CF_JG="罚款三千元")
    job = run(samples.write_csv(tmp_path / "c.csv", fields, [corrected]), department)
    assert (job.inserted, job.already_recorded) == (1, 0)
    record = CreditRecord.objects.get(revoked_on__isnull=True)
    assert (record.content["CF_NR"], record.is_published) == ("罚款三千元", True)


def test_columns_outside_the_catalog_are_refused_with_one_audit_row_naming_them(
    tmp_path, department
):
    """R13: recording outside the catalog is refused and leaves an audit entry. A column no
    catalog item states is kept for no row, and the job's end names it once, never a value of
    it, even when the import was killed part-way and resumed (001 §三(二), R14)."""
    CatalogItemFactory(code="integrity-honour", provider=department, subject_kinds=["legal_person"],
                       publication_months_max=24, data_items=["荣誉级别"])  # fmt: skip
    header = ["目录编码", "主体名称", "主体类别", "统一社会信用代码", "文书号", "决定日期",
              "决定机关", "荣誉级别", "婚姻状况"]  # fmt: skip
    rows = [
        dict(zip(header, ["integrity-honour", f"{n}号公司", "法人", make_uscc(n),
                          f"杭文明〔2026〕{n}号", "2026-11-02", "杭州市文明办", "市级", marital],
                 strict=True))
        for n, marital in ((1, "离异"), (2, "丧偶"), (3, "已婚"), (4, "未婚"))
    ]  # fmt: skip
    path = samples.write_csv(tmp_path / "r.csv", header, rows)

    def stop_after_one_chunk(job, position):
        raise Interrupted

    def refusals():
        return AuditEntry.objects.filter(action="catalog.refused")

    with pytest.raises(Interrupted):
        run(path, department, kind="records", chunk_rows=2, on_progress=stop_after_one_chunk)
    assert not refusals().exists()  # written with the job's end, not before
    job = run(path, department, kind="records", chunk_rows=2)
    assert (job.status, job.runs, job.accepted) == (ImportStatus.DONE, 2, 4)
    refused = refusals().get()
    assert (refused.object_id, refused.after) == (str(job.pk), {"columns": ["婚姻状况"]})
    row = json.dumps(AuditEntry.objects.filter(pk=refused.pk).values().get(), default=str,
                     ensure_ascii=False)  # fmt: skip
    assert not any(value in row for value in ("离异", "丧偶", "已婚", "未婚"))
    assert all(record.content == {"荣誉级别": "市级"} for record in CreditRecord.objects.all())
    run(path, department, kind="records")  # the same file again: done, nothing added
    assert refusals().count() == 1


@pytest.mark.parametrize(
    ("kind", "fields", "row", "item_format"),
    [
        ("penalties", samples.PENALTY_FIELDS, samples.penalty, RecordFormat.PENALTY),
        ("licences", samples.LICENCE_FIELDS, samples.licence, RecordFormat.LICENCE),
    ],
)
def test_columns_outside_a_double_publicity_format_are_refused_with_one_audit_row(
    tmp_path, department, kind, fields, row, item_format
):
    """R13: a penalty or licence file's columns outside the national format are kept for no
    row, and the job's end names them once in a ``catalog.refused`` row, never their values,
    as for other records."""
    CatalogItemFactory(record_format=item_format, provider=None)
    header = [*fields, "联系电话", "家庭住址"]
    rows = [row(n, 联系电话=f"1381234567{n}", 家庭住址=f"某某路{n}号") for n in (1, 2)]
    job = run(samples.write_csv(tmp_path / "x.csv", header, rows), department, kind=kind)
    assert (job.accepted, [w["code"] for w in job.warnings]) == (2, ["unknown-columns"])
    refused = AuditEntry.objects.get(action="catalog.refused")
    assert refused.object_id == str(job.pk)
    assert refused.after == {"columns": ["联系电话", "家庭住址"]}
    entry = json.dumps(AuditEntry.objects.filter(pk=refused.pk).values().get(), default=str,
                       ensure_ascii=False)  # fmt: skip
    assert "1381234567" not in entry and "某某路" not in entry
    assert all("联系电话" not in record.content for record in CreditRecord.objects.all())


def test_a_double_publicity_file_in_its_format_leaves_no_column_refusal(
    tmp_path, department, penalty_item
):
    path = samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, [samples.penalty(1)])
    assert run(path, department).accepted == 1
    assert not AuditEntry.objects.filter(action="catalog.refused").exists()


def test_a_records_import_within_the_catalog_leaves_no_column_refusal(tmp_path, department):
    """Only a refusal is audited as one (R13): columns the catalog item states leave none."""
    CatalogItemFactory(code="integrity-honour", provider=department, subject_kinds=["legal_person"],
                       publication_months_max=24, data_items=["荣誉级别"])  # fmt: skip
    header = ["目录编码", "主体名称", "主体类别", "统一社会信用代码", "文书号", "决定日期",
              "决定机关", "荣誉级别"]  # fmt: skip
    row = ["integrity-honour", "甲公司", "法人", make_uscc(1), "杭文明〔2026〕1号", "2026-11-02",
           "杭州市文明办", "市级"]  # fmt: skip
    job = run(samples.write_csv(tmp_path / "r.csv", header, [dict(zip(header, row, strict=True))]),
              department, kind="records")  # fmt: skip
    assert job.accepted == 1 and not job.warnings
    assert not AuditEntry.objects.filter(action="catalog.refused").exists()


def test_a_prohibited_column_with_a_padded_header_is_refused_and_kept_nowhere(
    tmp_path, department, penalty_item
):
    """001 §14: 血　型 (a form's full-width padding) is the blood-type column; its values reach
    neither the records nor the report of the row that carried one."""
    header = [*samples.PENALTY_FIELDS, "血\u3000型"]
    rows = [{**samples.penalty(1), "血\u3000型": "AB型RH阴性"}, samples.penalty(2)]
    job = run(samples.write_csv(tmp_path / "p.csv", header, rows), department)
    assert (job.accepted, job.quarantined) == (1, 1)
    assert "血\u3000型" not in job.columns
    assert not any("AB型" in str(cell) for line in report(job) for cell in line)
    assert not any("AB型" in str(record.content) for record in CreditRecord.objects.all())


def test_report_values_kept_under_a_prohibited_header_are_dropped_by_the_migration(
    department,
):
    from importlib import import_module

    from django.apps import apps

    job = ImportJob.objects.create(
        kind="penalties", department=department, actor="t", file_name="p.csv", file_path="x",
        file_sha256="0" * 64, file_format="csv", business_date=TODAY,
        columns=["CF_WSH", "血\u3000型", "BZ"],
    )  # fmt: skip
    kept = ReportRow.objects.create(job=job, row_number=1, outcome="quarantined",
                                    values=["文号", "AB型", "备注"])  # fmt: skip
    wider = ReportRow.objects.create(job=job, row_number=2, outcome="quarantined",
                                     values=["文号", "AB型", "备注", "多出"])  # fmt: skip
    module = import_module("xinyong.catalog.migrations.0009_drop_prohibited_report_values")
    module.drop_prohibited_values(apps, None)
    job.refresh_from_db()
    kept.refresh_from_db()
    wider.refresh_from_db()
    assert (job.columns, kept.values, wider.values) == (["CF_WSH", "BZ"], ["文号", "备注"], [])
