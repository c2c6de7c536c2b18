"""Personal data a department's file should not have carried is kept nowhere: a citizen ID in
the USCC column (R14, DOMAIN.md §4), prohibited sensitive data however its key is written
(001 §14), an old 15-digit citizen ID in free text (R14)."""

import csv
import datetime as dt
import json

import pytest

from tests.data.ingest import samples
from tests.factories import (
    CatalogItemFactory,
    DepartmentFactory,
    code_valid_both_ways,
    make_citizen_id,
    make_uscc,
)
from xinyong.audit.models import AuditEntry
from xinyong.catalog import selectors, services
from xinyong.catalog.models import CreditRecord, ImportJob, RecordFormat, ReportRow
from xinyong.core import clock
from xinyong.core.masking import mask_id_number
from xinyong.subjects.models import IdentifierStatus, Subject

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)
# Valid both as a USCC (a public institution, 12, in Yanqing, 110119) and as a citizen ID.
BOTH_WAYS = "121101198501010271"


@pytest.fixture
def department():
    return DepartmentFactory(code="hz-scjg", name="杭州市市场监督管理局")


@pytest.fixture
def penalty_item(department):
    return CatalogItemFactory(code="administrative-penalty", record_format=RecordFormat.PENALTY,
                              provider=None)  # fmt: skip


def run(path, department, kind="penalties"):
    with clock.frozen(TODAY):
        return services.import_file(actor="test", kind=kind, path=path, department=department)


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


def reasons(job) -> dict[int, list[str]]:
    return {
        row.row_number: [reason["code"] for reason in row.reasons]
        for row in ReportRow.objects.filter(job=job)
    }


# -- a citizen ID in the USCC column ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["个体工商户", "法人及非法人组织"])
def test_a_citizen_id_in_the_uscc_column_quarantines_its_row(
    tmp_path, department, penalty_item, kind
):
    """R14: the ID is not taken for a code that merely fails its check character; the row is
    refused and the ID is kept nowhere, the report showing it masked."""
    person = make_citizen_id(7)
    rows = [
        samples.penalty(1, CF_XDR_LB=kind, CF_XDR_MC="张三（个体）", CF_XDR_SHXYM=person),
        samples.penalty(2),
    ]
    job = run(samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows), department)
    assert (job.accepted, job.quarantined) == (1, 1)
    assert job.quarantined_by_reason == {"uscc-is-citizen-id": 1}
    assert reasons(job) == {1: ["uscc-is-citizen-id"]}
    assert not Subject.objects.filter(name="张三（个体）").exists()
    assert person not in stored_text()
    line = list(selectors.report_lines(job))[1]
    assert "公民身份号码" in line[3] and mask_id_number(person) in line


def test_the_older_edition_refuses_a_citizen_id_as_a_code_too(tmp_path, department, penalty_item):
    """The older edition has no kind column: a code in the USCC column makes the subject an
    organisation, and a person's ID there is refused all the same."""
    path = samples.FOLDER / "penalties-old-edition-gbk.csv"
    with path.open(encoding="gbk", newline="") as stream:
        fields, values, *_ = csv.reader(stream)
    first = dict(zip(fields, values, strict=True))
    person = make_citizen_id(8)
    first.update(CF_XDR_SHXYM=person, CF_XDR_SFZ="")
    job = run(samples.write_csv(tmp_path / "old.csv", fields, [first]), department)
    assert job.quarantined_by_reason == {"uscc-is-citizen-id": 1}
    assert person not in stored_text()


def test_an_organisations_code_that_reads_as_an_id_is_kept_as_written(
    tmp_path, department, penalty_item
):
    """Yanqing's region 110119 puts "19" where an ID has its century: the code of one of its
    organisations is the organisation's, in the subject and in the record's content."""
    code = next(c for c in (make_uscc(n, region="110119") for n in range(1000)) if c.isdigit())
    rows = [samples.penalty(1, CF_XDR_SHXYM=code)]
    job = run(samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows), department)
    assert (job.accepted, job.quarantined) == (1, 0)
    assert Subject.objects.get(identifier=code).identifier_status == IdentifierStatus.VALID
    assert CreditRecord.objects.get().content["CF_XDR_SHXYM"] == code


@pytest.mark.parametrize("ambiguous", [BOTH_WAYS, code_valid_both_ways()], ids=["yanqing", "found"])
def test_a_code_valid_both_ways_is_the_organisations_but_kept_as_a_persons_id(
    tmp_path, department, penalty_item, ambiguous
):
    """A valid USCC is the organisation's code, as the row says; but it may be a person's ID
    as well, so the subject keeps it as a person's ID is kept (R14): masked, encrypted, found
    by its keyed hash; the content masks it too. Nothing keeps it in clear."""
    rows = [samples.penalty(1, CF_XDR_SHXYM=ambiguous)]
    job = run(samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows), department)
    assert (job.accepted, job.quarantined) == (1, 0)
    subject = Subject.objects.identified_by(ambiguous).get()
    assert (subject.kind, subject.identifier) == ("legal_person", mask_id_number(ambiguous))
    assert subject.identifier_sealed and subject.reveal_identifier() == ambiguous
    assert CreditRecord.objects.get().content["CF_XDR_SHXYM"] == mask_id_number(ambiguous)
    assert ambiguous not in stored_text()


def test_a_code_for_review_in_an_ids_shape_is_masked_in_the_content(
    tmp_path, department, penalty_item
):
    """A code that fails every check but has an ID's shape may be a mistyped ID: the subject
    is kept for review, the record's content does not show it in full."""
    code = BOTH_WAYS[:16] + ("8" if BOTH_WAYS[16] != "8" else "6") + BOTH_WAYS[17]
    rows = [samples.penalty(1, CF_XDR_SHXYM=code)]
    job = run(samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows), department)
    assert (job.accepted, job.identifiers_for_review) == (1, 1)
    assert CreditRecord.objects.get().content["CF_XDR_SHXYM"] == mask_id_number(code)
    assert Subject.objects.identified_by(code).get().identifier == mask_id_number(code)
    assert code not in stored_text()


# -- prohibited sensitive data, however its key is written -----------------------------------


def honour(n: int, **changes) -> dict:
    row = {"ITEM": "honour", "SUBJECT_NAME": f"甲{n}公司", "SUBJECT_KIND": "法人",
           "USCC": make_uscc(n), "DOCUMENT_NUMBER": f"杭〔2026〕{n}号",
           "DECISION_DATE": "2026-11-02", "ISSUING_BODY": "某局"}  # fmt: skip
    row.update(changes)
    return row


SECRET = "某教派信徒AB型"  # a value that must never be stored anywhere
# The columns the honour item's submission list states, beyond the format's own (R13).
HONOUR_ITEMS = ["REMARKS", "remarks", "extra", "diseaseControlDept"]


@pytest.mark.parametrize(
    "changes",
    [
        {"religiousBelief": SECRET},
        {"medicalHistory": SECRET},
        {"既往病历": SECRET},
        {"HIV": SECRET},
        {"extra": {"level": "市级", "血型": SECRET}},
        {"extra": {"persons": [{"name": "张三", "fingerprintData": SECRET}]}},
    ],
    ids=["camel-case", "medical-history", "chinese-record", "hiv", "nested", "nested-in-list"],
)
def test_a_row_with_prohibited_data_under_any_key_is_refused_and_kept_nowhere(
    tmp_path, department, changes
):
    """001 §14: camelCase keys, other words for a medical record, and keys inside a JSON value
    refuse the whole row, as an ordinary sensitive column does."""
    CatalogItemFactory(code="honour", provider=department, publication_months_max=24,
                       data_items=HONOUR_ITEMS)  # fmt: skip
    rows = [honour(1, **changes), honour(2)]
    job = run(samples.write_json(tmp_path / "r.json", rows), department, kind="records")
    assert (job.accepted, job.quarantined) == (1, 1)
    assert job.quarantined_by_reason == {"sensitive-field": 1}
    assert reasons(job) == {1: ["sensitive-field"]}
    assert SECRET not in stored_text()


@pytest.mark.parametrize("writer", ["csv", "xlsx"])
@pytest.mark.parametrize(
    "text",
    [
        json.dumps({"religiousBelief": SECRET}),
        json.dumps({"宗教信仰": SECRET}, ensure_ascii=False),
        "  " + json.dumps([{"level": "市级"}, {"persons": [{"病史": SECRET}]}], ensure_ascii=False),
    ],
    ids=["camel-case", "chinese", "nested-in-an-array"],
)
def test_a_cell_holding_json_with_a_prohibited_key_is_refused_and_kept_nowhere(
    tmp_path, department, writer, text
):
    """001 §14: a CSV or Excel cell whose text is a JSON object or array is read as a JSON
    file's value is: a prohibited key inside it refuses the row, and the value is stored
    nowhere, not even in the report; a JSON cell without one is kept as written."""
    CatalogItemFactory(code="honour", provider=department, publication_months_max=24,
                       data_items=HONOUR_ITEMS)  # fmt: skip
    clean = json.dumps({"level": "市级"}, ensure_ascii=False)
    rows = [honour(1, REMARKS=text), honour(2, REMARKS=clean), honour(3, REMARKS="[待补充]")]
    header = list(rows[0])
    if writer == "csv":
        path = samples.write_csv(tmp_path / "r.csv", header, rows)
    else:
        path = samples.write_xlsx(tmp_path / "r.xlsx", header, rows)
    job = run(path, department, kind="records")
    assert (job.accepted, job.quarantined) == (2, 1)
    assert job.quarantined_by_reason == {"sensitive-field": 1}
    assert reasons(job) == {1: ["sensitive-field"]}
    kept = {r.import_row: r.content["REMARKS"] for r in CreditRecord.objects.all()}
    assert kept == {2: clean, 3: "[待补充]"}
    assert SECRET not in stored_text()


def test_a_json_string_holding_json_with_a_prohibited_key_is_refused(tmp_path, department):
    """001 §14: in a JSON file, a string value whose text is JSON is checked as a nested value
    is."""
    CatalogItemFactory(code="honour", provider=department, publication_months_max=24,
                       data_items=HONOUR_ITEMS)  # fmt: skip
    rows = [honour(1, remarks=json.dumps({"bloodType": SECRET})), honour(2, remarks="{无}")]
    job = run(samples.write_json(tmp_path / "r.json", rows), department, kind="records")
    assert (job.accepted, job.quarantined) == (1, 1)
    assert reasons(job) == {1: ["sensitive-field"]}
    assert SECRET not in stored_text()


def test_a_department_named_after_a_disease_is_not_sensitive(tmp_path, department):
    """The centre for disease control is a body, not a person's disease: its column is kept."""
    CatalogItemFactory(code="honour", provider=department, publication_months_max=24,
                       data_items=HONOUR_ITEMS)  # fmt: skip
    rows = [honour(1, diseaseControlDept="杭州市疾病预防控制中心",
                   extra={"疾病预防控制中心": "推荐"})]  # fmt: skip
    job = run(samples.write_json(tmp_path / "r.json", rows), department, kind="records")
    assert (job.accepted, job.quarantined) == (1, 0)
    content = CreditRecord.objects.get().content
    assert content["diseaseControlDept"] == "杭州市疾病预防控制中心"
    assert json.loads(content["extra"]) == {"疾病预防控制中心": "推荐"}


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("病种", "肺结核"), ("慢性病", "糖尿病"), ("精神病", "精神分裂症"), ("病名", "乙型肝炎"),
        ("结核病", "耐药肺结核"), ("性病", "梅毒"), ("病况", "晚期肝癌"),
        ("遗传信息", "BRCA1突变"), ("genotype", "BRCA1-mut"), ("血液类型", "RH阴性AB型"),
        ("creed", "某教派信徒"),
    ],
)  # fmt: skip
def test_a_prohibited_column_under_a_common_name_is_refused_and_kept_nowhere(
    tmp_path, department, penalty_item, column, value
):
    """001 §14: a disease, genetic data, a blood type or a creed under the names offices'
    exports give them refuses every row that fills it in, as 疾病 or 基因 does; the value is in
    no report row nor in the downloadable report, also of a row refused for another reason."""
    rows = [samples.penalty(1, **{column: value}),
            samples.penalty(2, CF_JDRQ="", **{column: value}), samples.penalty(3)]  # fmt: skip
    header = [*samples.PENALTY_FIELDS, column]
    job = run(samples.write_csv(tmp_path / "p.csv", header, rows), department)
    assert (job.accepted, job.quarantined) == (1, 2)
    assert job.quarantined_by_reason["sensitive-field"] == 2
    assert [w["code"] for w in job.warnings] == ["sensitive-columns"]
    assert value not in stored_text()
    assert value not in json.dumps(list(selectors.report_lines(job)), ensure_ascii=False)


@pytest.mark.parametrize("column", ["病虫害防治", "疫病防控", "动物疫病种类", "人类遗传资源"])
def test_a_column_about_no_persons_health_is_not_refused(
    tmp_path, department, penalty_item, column
):
    """The words for a disease or genes catch no licence's or penalty's matter: crops' pests,
    animals' diseases, human genetic resources (R9). Outside the national format, such a column
    is left out with a warning, and its rows are taken."""
    rows = [samples.penalty(1, **{column: "无"}), samples.penalty(2)]
    header = [*samples.PENALTY_FIELDS, column]
    job = run(samples.write_csv(tmp_path / "p.csv", header, rows), department)
    assert (job.accepted, job.quarantined) == (2, 0)
    assert [w["code"] for w in job.warnings] == ["unknown-columns"]


# -- an old 15-digit citizen ID ---------------------------------------------------------------

OLD_ID = "110105491231002"  # the first generation's 15 digits


def test_an_old_15_digit_id_is_masked_in_the_content_and_the_report(
    tmp_path, department, penalty_item
):
    """R14: the representative's first-generation ID is masked like an 18-digit one; a
    15-digit batch number that is no ID stays as written. A person identified by an old ID
    is refused (ric-legacy-15) and the report masks it too."""
    batch = "202611020000123"
    rows = [
        samples.penalty(1, CF_FR_ZJHM=OLD_ID, BZ=f"批次{batch}"),
        samples.penalty(2, person=True, CF_XDR_ZJHM=OLD_ID),
    ]
    job = run(samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows), department)
    assert reasons(job) == {2: ["ric-legacy-15"]}
    content = CreditRecord.objects.get().content
    assert content["CF_FR_ZJHM"] == mask_id_number(OLD_ID) == "110105******002"
    assert content["BZ"] == f"批次{batch}"
    assert OLD_ID not in stored_text()


@pytest.mark.parametrize("written", ["{id}{id}", "{grouped}"], ids=["back-to-back", "grouped"])
def test_a_refused_id_no_pattern_finds_shows_no_birth_date_in_the_report(
    tmp_path, department, penalty_item, written
):
    """R14: a person's ID refused as written (two back to back, parted by hyphens) is shown in
    the quarantine report masked all the same: its birth date never shows."""
    person = make_citizen_id(9)
    grouped = f"{person[:6]}-{person[6:14]}-{person[14:]}"
    value = written.format(id=person, grouped=grouped)
    rows = [samples.penalty(1, person=True, CF_XDR_ZJHM=value)]
    job = run(samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows), department)
    assert job.quarantined == 1
    assert person[6:14] not in stored_text()


def test_an_id_typed_full_width_is_masked_in_the_content(tmp_path, department, penalty_item):
    """R14: 330106196001080071 typed in full-width mode in a remark is still a person's ID;
    the remark's other full-width digits stay as the department wrote them."""
    typed = "３３０１０６１９６００１０８００７１"
    rows = [samples.penalty(1, BZ=f"经办人{typed}，第１２号")]
    job = run(samples.write_csv(tmp_path / "p.csv", samples.PENALTY_FIELDS, rows), department)
    assert (job.accepted, job.quarantined) == (1, 0)
    assert CreditRecord.objects.get().content["BZ"] == "经办人330106********0071，第１２号"
    assert typed not in stored_text()
