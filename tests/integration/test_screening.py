"""Batch screening: every row answered as a check by code would answer it, in order (item 6)."""

import csv
import datetime as dt
import io
import itertools
import json
import threading
import time
from dataclasses import dataclass

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from tests.check_clients import check
from tests.factories import (
    DepartmentFactory,
    LinkedPersonFactory,
    ListDefinitionFactory,
    ListEntryFactory,
    MeasureFactory,
    OfficerFactory,
    ScenarioFactory,
    SubjectFactory,
    code_valid_both_ways,
    make_citizen_id,
    make_uscc,
)
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.identifiers import check_identifier
from xinyong.core.masking import mask_id_number
from xinyong.forking import other_threads
from xinyong.listings.models import ListEntryPerson, ListKind
from xinyong.listings.tick import run_tick
from xinyong.measures import checks, screening_jobs
from xinyong.measures.models import Check, Measure, Scenario, ScreeningJob
from xinyong.measures.screening import screen_file
from xinyong.measures.screening_names import NameMatcher
from xinyong.measures.screening_parallel import split_point

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"
D = dt.date
LOOKUPS = pytest.mark.parametrize("lookup", ["table", "chunks"])


@pytest.fixture
def finance():
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


@pytest.fixture
def world(finance):
    procurement = ScenarioFactory(code=SCENARIO, name="政府采购")
    punish, reward = Measure.Type.PUNISHMENT, Measure.Type.REWARD
    for code, kinds, targets, kind in [
        ("bar-procurement", ["black"], ["organisation"], punish),
        ("bar-representative", ["black"], ["legal_representative", "person"], punish),
        ("priority", ["red"], ["organisation"], reward),
    ]:
        MeasureFactory(code=code, list_kinds=kinds, targets=targets, type=kind).scenarios.add(
            procurement
        )
    black = ListEntryFactory(effective=True, list__kind=ListKind.BLACK)
    both = SubjectFactory()
    ListEntryFactory(subject=both, effective=True, list__kind=ListKind.BLACK)
    ListEntryFactory(subject=both, effective=True, list__kind=ListKind.RED)
    objected = ListEntryFactory(effective=True, list__kind=ListKind.BLACK,
                                verification_due_on="2026-12-01")  # fmt: skip
    link = LinkedPersonFactory()
    named = ListEntryFactory(subject=link.organisation, effective=True, list__kind=ListKind.BLACK)
    ListEntryPerson.objects.create(entry=named, person=link.person, role=link.role)
    return {
        "black": black.subject, "both": both, "objected": objected.subject,
        "person": link.person, "company": link.organisation, "plain": SubjectFactory(),
        "exited": ListEntryFactory(exited=True, list__kind=ListKind.BLACK).subject,
    }  # fmt: skip


def write_csv(path, rows, encoding="utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def read_output(path):
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def screen(tmp_path, rows, finance, *, encoding="utf-8", **options):
    source = write_csv(tmp_path / "in.csv", rows, encoding)
    report = screen_file(source, tmp_path / "out.csv", scenario=SCENARIO,
                         department_id=finance.pk, **options)  # fmt: skip
    return report, read_output(tmp_path / "out.csv")


def expected(subject, finance):
    """What a check by code answers, in the output's compact form."""
    scenario_id = Scenario.objects.get(code=SCENARIO).pk
    answer = checks.answer_for(subject, scenario_id, finance.pk, clock.today())
    measures = [m["code"] + ("(中止)" if m["suspended"] else "") for m in answer["measures"]]
    return {
        "subject_code": answer["subject"]["code"], "subject_name": answer["subject"]["name"],
        "measures": ";".join(dict.fromkeys(measures)), "result": answer["result"],
        "entries": [e["list_name"] for e in answer["entries"]],
    }  # fmt: skip


@LOOKUPS
def test_each_row_answers_what_a_check_by_code_answers(tmp_path, world, finance, lookup):
    rows = [["code", "ref"]] + [[s.reveal_identifier(), key] for key, s in world.items()]
    report, out = screen(tmp_path, rows, finance, lookup=lookup)
    assert [row["ref"] for row in out] == list(world)  # every row, in order
    for row, (key, subject) in zip(out, world.items(), strict=True):
        want = expected(subject, finance)
        assert row["status"] == "ok", key
        assert row["score"] == "100"
        got = {k: row[k] for k in ("subject_code", "subject_name", "measures", "result")}
        assert got == {k: v for k, v in want.items() if k != "entries"}, key
        entries = [e for e in row["entries"].split("; ") if e]
        assert [e.split(":", 1)[1].split("(")[0] for e in entries] == want["entries"], key
    by_ref = {row["ref"]: row for row in out}
    assert by_ref["both"]["result"] == "both"
    assert by_ref["objected"]["result"] == "clear"  # suspended during the objection (R6)
    assert "异议核查中止" in by_ref["objected"]["entries"]
    assert by_ref["person"]["measures"] == "bar-representative"  # 落实到人, not the company's
    assert by_ref["person"]["subject_name"].endswith("某")
    assert (by_ref["plain"]["result"], by_ref["plain"]["entries"]) == ("clear", "")
    assert report.ok == len(world)
    assert not Check.objects.exists()  # the job is the registration, not one check per row


@LOOKUPS
def test_a_named_persons_objection_suspends_that_persons_rows_only(
    tmp_path, world, finance, lookup
):
    """A person the entry names objects to being named (R6, 004 §二(三)6): the row of that
    person shows the measure reaching it through the entry suspended; the organisation's row and
    another person's named in the same entry are screened as before, as a check answers."""
    objecting, other = world["person"], SubjectFactory(natural_person=True)
    entry = objecting.named_in_entries.get().entry
    ListEntryPerson.objects.create(entry=entry, person=other, role="legal_representative")
    # Kept on the person's naming, beside the entry's own objection (none here).
    entry.persons.filter(person=objecting).update(verification_due_on=dt.date(2026, 12, 1))
    subjects = {"company": world["company"], "objecting": objecting, "other": other}
    rows = [["code", "ref"]] + [[s.reveal_identifier(), key] for key, s in subjects.items()]
    _, out = screen(tmp_path, rows, finance, lookup=lookup)
    by_ref = {row["ref"]: row for row in out}
    for key, subject in subjects.items():
        want = expected(subject, finance)
        assert (by_ref[key]["measures"], by_ref[key]["result"]) == (
            want["measures"], want["result"]
        ), key  # fmt: skip
    assert (by_ref["company"]["measures"], by_ref["company"]["result"]) == (
        "bar-procurement", "punish"
    )  # fmt: skip
    assert (by_ref["objecting"]["measures"], by_ref["objecting"]["result"]) == (
        "bar-representative(中止)", "clear"
    )  # fmt: skip
    assert "异议核查中止" in by_ref["objecting"]["entries"]
    assert by_ref["other"]["result"] == "punish"
    assert "异议核查中止" not in by_ref["other"]["entries"] + by_ref["company"]["entries"]


@pytest.mark.django_db(transaction=True)  # outside a transaction, PostgreSQL reads in spans
@LOOKUPS
def test_an_organisation_whose_code_is_stored_masked_is_found_as_a_check_finds_it(
    tmp_path, world, finance, lookup
):
    """A code valid both as a USCC and as a citizen ID is stored masked and sealed (R14), so it
    is found by its keyed hash, as the check API finds it, and shown masked as the check shows
    it; its name, an organisation's, is not masked (R10: the same answer as a check)."""
    listed = SubjectFactory(identifier=code_valid_both_ways(1), name="杭州双码科技有限公司")
    ListEntryFactory(subject=listed, effective=True, list__kind=ListKind.BLACK)
    plain = SubjectFactory(identifier=code_valid_both_ways(2), name="杭州无名单有限公司")
    assert listed.identifier_sealed and plain.identifier_sealed
    rows = [
        ["code", "ref"],
        [code_valid_both_ways(1), "listed"],
        [code_valid_both_ways(2), "plain"],
    ]
    report, out = screen(tmp_path, rows, finance, lookup=lookup)
    for row, subject in zip(out, (listed, plain), strict=True):
        want = expected(subject, finance)
        assert row["status"] == "ok", row
        got = {k: row[k] for k in ("subject_code", "subject_name", "measures", "result")}
        assert got == {k: v for k, v in want.items() if k != "entries"}
    assert out[0]["result"] == "punish" and out[0]["subject_code"] == listed.identifier
    assert out[1]["subject_name"] == "杭州无名单有限公司" and report.ok == 2


@LOOKUPS
def test_an_entry_past_its_validity_no_longer_counts_before_the_job_runs(
    tmp_path, world, finance, lookup
):
    """As a check by code: valid until 2026-11-22, screened on 11-23 before the daily job (R4)."""
    lapsed = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, valid_until="2026-11-22")
    rows = [["code"], [lapsed.subject.reveal_identifier()], [world["black"].reveal_identifier()]]
    with clock.frozen(D(2026, 11, 22)):
        _, out = screen(tmp_path, rows, finance, lookup=lookup)
    assert [row["result"] for row in out] == ["punish", "punish"]
    with clock.frozen(D(2026, 11, 23)):
        _, out = screen(tmp_path, rows, finance, lookup=lookup)
    assert [(row["result"], row["entries"]) for row in out[:1]] == [("clear", "")]
    assert out[1]["result"] == "punish"


# Outside a transaction, PostgreSQL reads the entries on a thread of their own (table mode).
@pytest.mark.django_db(transaction=True)
@LOOKUPS
def test_key_monitoring_counts_from_the_day_after_a_black_listing_ends_as_in_a_check(
    tmp_path, api, finance, lookup
):
    """A black listing valid until 2026-11-22 ends by expiry on 11-23, and its subject is
    monitored from that day for the 12 months its list sets (R3, 002 §二十一; R4). Screened on
    11-23 before the daily job, by code and by name, each row answers what a check answers and
    what the same screening answers after the job: the monitoring entry yet to be recorded, or
    the live one run on to the later end; a person the ended entry names meets none of it."""
    watch = MeasureFactory(code="watch", name="重点监测：加强审查", list_kinds=["key_monitoring"],
                           targets=["organisation", "legal_representative"])  # fmt: skip
    watch.scenarios.add(Scenario.objects.get(code=SCENARIO))
    black = ListDefinitionFactory(kind=ListKind.BLACK, monitoring_months=12)
    monitoring = ListDefinitionFactory(
        kind=ListKind.KEY_MONITORING, domain=black.domain,
        recognizing_department=black.recognizing_department,
    )  # fmt: skip
    lapsed = ListEntryFactory(list=black, effective=True, valid_until=D(2026, 11, 22))
    person = SubjectFactory(natural_person=True)
    ListEntryPerson.objects.create(entry=lapsed, person=person, role="legal_representative")
    monitored = ListEntryFactory(list=black, effective=True, valid_until=D(2026, 11, 22))
    ListEntryFactory(list=monitoring, subject=monitored.subject, effective=True,
                     valid_until=D(2027, 1, 31))  # fmt: skip
    subjects = {"lapsed": lapsed.subject, "monitored": monitored.subject, "person": person}
    rows = [["code", "ref"]] + [[s.reveal_identifier(), key] for key, s in subjects.items()]
    company = lapsed.subject
    index = FakeIndex({company.name: [Candidate(company.pk, company.name, 100)]})
    names = NameMatcher(finance.pk, index=index, key_of=str.strip)

    def answers(out):
        return [(row["entries"], row["measures"], row["result"]) for row in out]

    with clock.frozen(D(2026, 11, 23)):
        asked = check(api, subject=company.reveal_identifier(), scenario=SCENARIO).json()
        wants = {key: expected(subject, finance) for key, subject in subjects.items()}
        _, out = screen(tmp_path, rows, finance, lookup=lookup)
        _, by_name = screen(tmp_path, [["name"], [company.name]], finance, lookup=lookup,
                            names=names)  # fmt: skip
        run_tick(D(2026, 11, 23))  # the daily job
        _, after = screen(tmp_path, rows, finance, lookup=lookup)
    assert (asked["result"], [m["code"] for m in asked["measures"]]) == ("punish", ["watch"])
    for row, key in zip(out, subjects, strict=True):
        want = wants[key]
        assert (row["measures"], row["result"]) == (want["measures"], want["result"]), key
        entries = [e for e in row["entries"].split("; ") if e]
        assert [e.split(":", 1)[1].split("(")[0] for e in entries] == want["entries"], key
    until = f"key_monitoring:{monitoring.name}(至2027-11-23)"
    assert answers(out) == [(until, "watch", "punish"), (until, "watch", "punish"),
                            ("", "", "clear")]  # fmt: skip
    assert answers(by_name) == answers(out)[:1]
    assert by_name[0]["status"] == "matched_by_name"
    assert answers(after) == answers(out)


@pytest.mark.django_db(transaction=True)
def test_the_whole_run_answers_for_the_business_date_even_where_entries_load_on_a_thread(
    tmp_path, world, finance
):
    """Outside a transaction on PostgreSQL the entries load on a thread of their own, which
    does not see the business date set on this one: the store takes its day once, so an entry
    valid through 2026-01-31 is in force on a run for 2026-01-15 whatever the real date."""
    entry = ListEntryFactory(effective=True, list__kind=ListKind.BLACK,
                             effective_on=D(2025, 12, 1), valid_until=D(2026, 1, 31))  # fmt: skip
    rows = [["code"], [entry.subject.reveal_identifier()]]
    with clock.frozen(D(2026, 1, 15)):
        _, out = screen(tmp_path, rows, finance, lookup="table")
    assert out[0]["result"] == "punish"


@LOOKUPS
def test_invalid_rows_are_reported_with_reasons_in_order(tmp_path, world, finance, lookup):
    values = [world["black"].reveal_identifier(), "91330106MA000000O0", "", "123",
              make_uscc(77_777_777), "110105194912310021", make_citizen_id(4242),
              " " + world["plain"].reveal_identifier().lower() + " "]  # fmt: skip
    rows = [["code"]] + [[v] for v in values]
    report, out = screen(tmp_path, rows, finance, lookup=lookup)
    assert [row["code"] for row in out] == values
    assert [row["status"] for row in out] == [
        "ok", "invalid", "invalid", "invalid", "unknown", "invalid", "unknown", "ok",
    ]  # fmt: skip
    for row in out:
        if row["status"] == "invalid":
            checked = check_identifier(row["code"])
            assert (row["reason_code"], row["reason"]) == (checked.code, checked.message)
    assert [row["result"] for row in out if row["status"] == "unknown"] == ["clear", "clear"]
    assert dict(report.invalid) == {"uscc-charset": 1, "empty": 1, "unknown-format": 1,
                                    "ric-check-character": 1}  # fmt: skip
    assert (report.rows, report.ok, report.unknown) == (8, 2, 2)


@LOOKUPS
def test_an_unknown_code_whose_check_character_fails_is_flagged(tmp_path, world, finance, lookup):
    """One character off a black-listed firm's code: kept for review, so unknown and clear, but
    the row says the check character fails rather than passing silently (DOMAIN §4)."""
    code = world["black"].reveal_identifier()
    typo = code[:-1] + ("1" if code[-1] != "1" else "2")
    digits_typo = "330112198613303439"  # a person's shape, a mistyped month, a USCC for review
    rows = [["code"], [typo], [digits_typo], [make_uscc(55_555_555)], [code]]
    report, out = screen(tmp_path, rows, finance, lookup=lookup)
    assert [(row["status"], row["reason_code"], row["result"]) for row in out] == [
        ("unknown", "check-character-mismatch", "clear"),
        ("unknown", "check-character-mismatch", "clear"),
        ("unknown", "", "clear"),
        ("ok", "", "punish"),
    ]
    assert "核实" in out[0]["reason"]
    assert (report.unknown, sum(report.invalid.values())) == (3, 0)


@LOOKUPS
def test_rows_written_from_their_line_are_the_bytes_the_csv_module_writes(
    tmp_path, world, finance, lookup
):
    """A plain subject's row and an unknown code's are written from their line as read (the
    pieces of many rows joined at once, an unknown code's answer made once): byte for byte what
    the csv module writes for the row's cells and its answer, rows after rows of other kinds."""
    plain = world["plain"]
    code = plain.reveal_identifier()
    typo = code[:-1] + ("1" if code[-1] != "1" else "2")
    unknown = make_uscc(55_555_555)
    rows = [["code", "ref"], [code, "R1"], [unknown, "R2"], [world["black"].identifier, "R3"],
            [typo, "R4"], [unknown, "R5"], [code, "R6"]]  # fmt: skip
    screen(tmp_path, rows, finance, lookup=lookup)
    lines = (tmp_path / "out.csv").read_bytes().decode("utf-8-sig").splitlines(keepends=True)

    def written(*cells):
        buffer = io.StringIO()
        csv.writer(buffer).writerow(cells)
        return buffer.getvalue()

    found = [code, "R{}", "ok", "", "", code, plain.name, "100", "", "", "clear"]
    mismatch = checks.CHECK_CHARACTER_MISMATCH, checks.CHECK_CHARACTER_WARNING
    unknown_answer = ["unknown", "", "", "", "", "", "", "", "clear"]
    assert lines[1] == written(*[cell.format(1) for cell in found])
    assert lines[2] == written(unknown, "R2", *unknown_answer)
    assert lines[4] == written(typo, "R4", "unknown", *mismatch, *[""] * 5, "clear")
    assert lines[5] == written(unknown, "R5", *unknown_answer)
    assert lines[6] == written(*[cell.format(6) for cell in found])
    assert len(lines) == len(rows)


def test_a_gb18030_file_with_chinese_headers(tmp_path, world, finance):
    rows = [["序号", "统一社会信用代码", "名称"], ["1", world["black"].identifier, "某公司"],
            ["2", "91330106MA000000O0", ""]]  # fmt: skip
    _, out = screen(tmp_path, rows, finance, encoding="gb18030", names=None)
    assert list(out[0])[:4] == ["序号", "统一社会信用代码", "名称", "核查状态"]
    assert [row["核查状态"] for row in out] == ["ok", "invalid"]
    assert out[0]["核查结果"] == "punish"


@pytest.mark.parametrize(
    ("code", "name"),
    [("信用代码", "纳税人名称"), ("纳税人识别号", "企业（机构）名称"),
     ("统一社会信用代码 ", "名 称"), ("Code", "Name")],
)  # fmt: skip
def test_headers_as_offices_export_them_under_a_title_row(tmp_path, world, finance, code, name):
    """Offices send what their systems export: other names for the two columns, full-width
    brackets, stray spaces, and a title row or two above the header, which are no records."""
    rows = [["2026年第一批拟核查名单"], [], ["制表：财政局", "2026-11-20"],
            ["序号", code, name], ["1", world["black"].identifier, "某公司"],
            ["2", "91330106MA000000O0", ""]]  # fmt: skip
    report, out = screen(tmp_path, rows, finance, names=None)
    assert list(out[0])[:3] == ["序号", code, name]
    assert [row["核查状态"] for row in out] == ["ok", "invalid"]
    assert out[0]["核查结果"] == "punish" and report.rows == 2


def test_a_file_whose_header_names_no_column_is_refused_saying_which_it_needs(
    tmp_path, world, finance
):
    """Past a few title rows the first filled row is the header, as before: one naming neither
    column refuses the file, never screening its rows as titles."""
    rows = [[f"说明{n}"] for n in range(7)] + [["序号", "统一社会信用代码"], ["1", "x"]]
    with pytest.raises(XinyongError) as refused:
        screen(tmp_path, rows, finance, names=None)
    assert refused.value.code == "screening-columns"


def test_an_excel_file(tmp_path, world, finance):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["code", "amount"])
    book.active.append([world["black"].reveal_identifier(), 12.5])
    book.active.append([world["plain"].reveal_identifier(), 3])
    book.save(tmp_path / "in.xlsx")
    screen_file(tmp_path / "in.xlsx", tmp_path / "out.csv", scenario=SCENARIO,
                department_id=finance.pk)  # fmt: skip
    out = read_output(tmp_path / "out.csv")
    assert [(r["amount"], r["result"]) for r in out] == [("12.5", "punish"), ("3", "clear")]


@dataclass(frozen=True)
class Candidate:  # the shape of xinyong.subjects.name_index.Candidate
    subject_id: int
    name: str
    score: float
    reasons: tuple[str, ...] = ()


class FakeIndex:
    """A stand-in for the name index with fixed answers, so the name path is tested on its own."""

    def __init__(self, answers):
        self.answers = answers
        self.asked = []

    def search(self, name, limit=10):
        self.asked.append(name)
        return self.answers.get(name, [])[:limit]


@LOOKUPS
def test_a_name_column_and_both_columns(tmp_path, world, finance, lookup):
    black, plain, company = world["black"], world["plain"], world["company"]
    index = FakeIndex(
        {
            "黑名单公司": [
                Candidate(black.pk, black.name, 100),
                Candidate(plain.pk, plain.name, 70),
            ],
            "相似公司": [Candidate(plain.pk, plain.name, 91.5), Candidate(company.pk, "x", 88)],
            "远的公司": [Candidate(plain.pk, plain.name, 40.0)],
        }
    )
    names = NameMatcher(finance.pk, index=index, key_of=str.strip)
    rows = [["code", "name"], ["", "黑名单公司"], ["", "相似公司"], ["", "远的公司"],
            [plain.reveal_identifier(), "黑名单公司"], ["", ""], ["", "黑名单公司"]]  # fmt: skip
    report, out = screen(tmp_path, rows, finance, lookup=lookup, names=names)
    assert [row["status"] for row in out] == [
        "matched_by_name", "ambiguous", "unknown", "ok", "invalid", "matched_by_name",
    ]  # fmt: skip
    assert (out[0]["subject_code"], out[0]["result"], out[0]["score"]) == (
        black.reveal_identifier(), "punish", "100",
    )  # fmt: skip
    assert (out[1]["result"], out[1]["score"]) == ("undetermined", "91.5")
    assert (
        plain.reveal_identifier() in out[1]["reason"]
        and company.reveal_identifier() in out[1]["reason"]
    )
    assert out[3]["subject_code"] == plain.reveal_identifier()  # the code decides when there is one
    assert out[4]["reason_code"] == "subject-or-name-required"
    assert index.asked.count("黑名单公司") == 1  # each distinct name searched once per run
    assert (report.matched_by_name, report.ambiguous, report.unknown) == (2, 1, 1)


def test_a_departments_name_decision_is_remembered(tmp_path, world, finance):
    from xinyong.measures.models import NameDecision

    plain = world["plain"]
    NameDecision.objects.create(
        department=finance, normalized_name="相似公司", subject=plain, same_subject=True,
        reason="核对营业执照", decided_by="x",
    )  # fmt: skip
    index = FakeIndex({"相似公司": [Candidate(plain.pk, plain.name, 91.5)]})
    names = NameMatcher(finance.pk, index=index, key_of=str.strip)
    _, out = screen(tmp_path, [["name"], ["相似公司"]], finance, names=names)
    assert (out[0]["status"], out[0]["subject_code"]) == (
        "matched_by_name",
        plain.reveal_identifier(),
    )


@LOOKUPS
def test_a_name_over_the_limit_is_an_invalid_row_and_never_normalised(
    tmp_path, world, finance, lookup
):
    """A very long name is answered as a check by name answers it (``name-too-long``), before
    anything reads it as a name: normalising it would tie up the job's worker (R14)."""
    black = world["black"]
    index = FakeIndex({"黑名单公司": [Candidate(black.pk, black.name, 100)]})

    def key_of(name):
        assert len(name) <= checks.NAME_LIMIT, f"a name of {len(name)} characters was normalised"
        return name.strip()

    names = NameMatcher(finance.pk, index=index, key_of=key_of)
    too_long = "公司" * 60_000
    rows = [
        ["code", "name"],
        ["", too_long],
        ["", "黑名单公司"],
        ["", "恒" * (checks.NAME_LIMIT + 1)],
    ]
    report, out = screen(tmp_path, rows, finance, lookup=lookup, names=names)
    assert [row["status"] for row in out] == ["invalid", "matched_by_name", "invalid"]
    refused = client_for(finance).post("/api/v1/checks", {"name": too_long, "scenario": SCENARIO},
                                       content_type="application/json")  # fmt: skip
    for row in (out[0], out[2]):
        assert (row["reason_code"], row["reason"]) == ("name-too-long",
                                                       refused.json()["message"])  # fmt: skip
        assert not any(row[k] for k in ("subject_code", "subject_name", "score", "result"))
    assert out[0]["name"] == too_long  # the caller's cell comes back as sent
    assert report.invalid == {"name-too-long": 2}
    assert index.asked == ["黑名单公司"]


def test_an_api_job_with_a_very_long_name_finishes(tmp_path, settings, world, finance):
    """The reviewer's file: a name of 120,000 characters no longer leaves the job running."""
    settings.VAR_DIR = tmp_path
    api = client_for(finance)
    body = f"code,name\n,{'公司' * 60_000}\n{world['black'].reveal_identifier()},\n".encode()
    job_id = upload(api, body).json()["id"]
    started = time.monotonic()
    call_command("screen", "--run-pending", stdout=io.StringIO())
    assert time.monotonic() - started < 30  # seconds; it took minutes and killed the worker
    status = api.get(f"/api/v1/screenings/{job_id}").json()
    assert (status["status"], status["rows"], status["ok"], status["invalid"]) == ("done", 2, 1, 1)


def test_the_real_name_index(tmp_path, world, finance):
    name_index = pytest.importorskip("xinyong.subjects.name_index")
    name_index.reset_index()
    black = world["black"]
    _, out = screen(tmp_path, [["name"], [black.name], ["完全不同的名字"]], finance)
    assert [(r["status"], r["subject_code"]) for r in out] == [
        ("matched_by_name", black.reveal_identifier()), ("unknown", ""),
    ]  # fmt: skip
    name_index.reset_index()


def test_a_name_that_may_be_a_persons_is_not_answered_clear(tmp_path, world, finance):
    """As a check by name answers it: persons are not searched by name (R14), so a name that
    may be a person's and matches no organisation is undetermined, with what to do."""
    names = NameMatcher(finance.pk, index=FakeIndex({}), key_of=str.strip)
    rows = [["name"], ["欧阳锋"], ["完全不同的名字"]]
    report, out = screen(tmp_path, rows, finance, names=names)
    assert [(r["status"], r["reason_code"], r["result"]) for r in out] == [
        ("unknown", "name-may-be-a-person", "undetermined"), ("unknown", "", "clear"),
    ]  # fmt: skip
    assert "身份证号" in out[0]["reason"]
    assert report.unknown == 2


def test_a_deleted_namesake_does_not_leave_the_name_ambiguous(tmp_path, world, finance):
    """A subject deleted after the name index read it is not a second exact candidate: the
    name is the remaining subject's, as a name check answers."""
    from xinyong.subjects.name_index import reset_index

    reset_index()
    black = world["black"]
    gone = SubjectFactory(name=black.name)
    _, before = screen(tmp_path, [["name"], [black.name]], finance)
    assert before[0]["status"] == "ambiguous"
    gone.delete()
    _, out = screen(tmp_path, [["name"], [black.name]], finance)
    assert [(r["status"], r["subject_code"], r["result"]) for r in out] == [
        ("matched_by_name", black.reveal_identifier(), "punish"),
    ]
    reset_index()


def test_ruled_out_namesakes_never_crowd_out_the_one_left(tmp_path, world, finance):
    """Twelve companies share a name and the department has ruled out eleven: a check by name
    and screening both find the twelfth, on a black list (issue 4 items 3 and 6)."""
    from types import SimpleNamespace

    from xinyong.measures.models import NameDecision
    from xinyong.subjects.name_index import reset_index

    reset_index()
    namesakes = [SubjectFactory(name="杭州同名科技有限公司") for _ in range(12)]
    ListEntryFactory(subject=namesakes[-1], effective=True, list__kind=ListKind.BLACK)
    for ruled_out in namesakes[:-1]:
        NameDecision.objects.create(
            department=finance, normalized_name=checks.name_decision_key(ruled_out.name),
            subject=ruled_out, same_subject=False, reason="不是同一主体", decided_by="x",
        )  # fmt: skip
    officer = OfficerFactory(department=finance).user
    checked = checks.check_by_name(
        actor=officer, token=SimpleNamespace(scenarios=[SCENARIO]), name="杭州同名科技有限公司",
        scenario=SCENARIO,
    )  # fmt: skip
    answer = json.loads(checked.answer_text)
    assert (answer["subject"]["code"], answer["result"]) == (
        namesakes[-1].reveal_identifier(), "punish",
    )  # fmt: skip
    _, out = screen(tmp_path, [["name"], ["杭州同名科技有限公司"]], finance)
    assert [(r["status"], r["subject_code"], r["result"]) for r in out] == [
        ("matched_by_name", namesakes[-1].reveal_identifier(), "punish"),
    ]
    reset_index()


def test_the_command_registers_one_job_and_one_audit_row(tmp_path, world, finance):
    source = write_csv(
        tmp_path / "in.csv", [["code"], [world["black"].reveal_identifier()], ["bad"]]
    )
    out = io.StringIO()
    call_command("screen", str(source), "-o", str(tmp_path / "out.csv"), "--scenario", SCENARIO,
                 "--department", "czj", "--no-progress", stdout=out)  # fmt: skip
    assert "共 2 行" in out.getvalue() and "无效 unknown-format：1 行" in out.getvalue()
    job = ScreeningJob.objects.get()
    assert (job.status, job.rows, job.ok, job.invalid, job.unknown) == ("done", 2, 1, 1, 0)
    assert job.user.username == "system:czj"
    audit = AuditEntry.objects.get(action="screening.run")
    assert (audit.object_id, audit.after["invalid_by_reason"]) == (
        str(job.pk), {"unknown-format": 1},
    )  # fmt: skip
    # The department's system account, made on its first use, is the other row (R14).
    made = AuditEntry.objects.exclude(pk=audit.pk).get()
    assert (made.action, made.after["username"]) == ("access.system_account", "system:czj")
    recognizing = DepartmentFactory().code
    with pytest.raises(CommandError, match="implementing-department-required"):
        call_command("screen", str(source), "-o", str(tmp_path / "x.csv"), "--scenario",
                     SCENARIO, "--department", recognizing, "--no-progress")  # fmt: skip


def test_a_file_without_code_or_name_column_fails_the_job(tmp_path, world, finance):
    source = write_csv(tmp_path / "in.csv", [["foo"], ["bar"]])
    with pytest.raises(CommandError, match="screening-columns"):
        call_command("screen", str(source), "-o", str(tmp_path / "out.csv"), "--scenario",
                     SCENARIO, "--department", "czj", "--no-progress")  # fmt: skip
    assert ScreeningJob.objects.get().status == "failed"
    failed = AuditEntry.objects.exclude(action="access.system_account").get()
    assert failed.after["error"].startswith("screening-columns")
    with pytest.raises(XinyongError, match="screening-output-format"):
        screen_file(source, tmp_path / "out.xlsx", scenario=SCENARIO, department_id=finance.pk)


# -- the API job (mounted at /api/v1/screenings) ------------------------------------------------


def client_for(department, scenarios=(SCENARIO,)) -> Client:
    user = OfficerFactory(department=department).user
    token, _ = tokens.create_token(actor="test", user=user, scenarios=list(scenarios))
    return Client(headers={"Authorization": f"Bearer {token}"})


def upload(client, content: bytes, name="list.csv", scenario=SCENARIO):
    sent = io.BytesIO(content)
    sent.name = name
    return client.post("/api/v1/screenings", {"scenario": scenario, "file": sent})


def test_the_api_job_through_run_pending(tmp_path, settings, world, finance):
    settings.VAR_DIR = tmp_path
    api = client_for(finance)
    body = f"统一社会信用代码\n{world['black'].reveal_identifier()}\n123\n".encode("gb18030")
    answer = upload(api, body)
    assert answer.status_code == 202, answer.json()
    job_id = answer.json()["id"]
    assert answer.json()["status"] == "queued"  # the thread starts only after a commit
    assert api.get(f"/api/v1/screenings/{job_id}/result").status_code == 409
    call_command("screen", "--run-pending", stdout=io.StringIO())
    status = api.get(f"/api/v1/screenings/{job_id}").json()
    assert (status["status"], status["rows"], status["ok"], status["invalid"]) == ("done", 2, 1, 1)
    result = api.get(status["result"])
    assert result.status_code == 200
    lines = b"".join(result.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[1].endswith(",punish") and ",invalid,unknown-format," in lines[2]
    other = client_for(DepartmentFactory(implementing=True))
    assert other.get(f"/api/v1/screenings/{job_id}").status_code == 404
    assert other.get(f"/api/v1/screenings/{job_id}/result").status_code == 404


def test_a_token_sees_only_the_screenings_of_its_scenarios(tmp_path, settings, world, finance):
    """A token checks only in the scenarios it names, and so sees only those jobs (R14)."""
    settings.VAR_DIR = tmp_path
    ScenarioFactory(code="honours", name="评优评先")
    job_id = upload(client_for(finance), b"code\n123\n").json()["id"]
    honours_only = client_for(finance, ["honours"])
    assert honours_only.get(f"/api/v1/screenings/{job_id}").status_code == 404
    assert honours_only.get(f"/api/v1/screenings/{job_id}/result").status_code == 404
    assert client_for(finance).get(f"/api/v1/screenings/{job_id}").status_code == 200


def test_the_api_refuses_what_it_must(tmp_path, settings, world, finance):
    settings.VAR_DIR = tmp_path
    settings.XINYONG_SCREENING_MAX_UPLOAD = 1024
    api = client_for(finance)
    too_large = upload(api, b"code\n" + b"x" * 100_000)
    assert (too_large.status_code, too_large.json()["code"]) == (413, "upload-too-large")
    assert upload(api, b"code\n", name="list.pdf").json()["code"] == "upload-format"
    narrow = upload(client_for(finance, ["honours"]), b"code\n")
    assert (narrow.status_code, narrow.json()["code"]) == (403, "scenario-not-granted")
    recognizing = upload(client_for(DepartmentFactory()), b"code\n")
    assert recognizing.status_code == 403
    assert not ScreeningJob.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_api_job_runs_in_a_thread_after_the_upload_commits(tmp_path, settings, world, finance):
    settings.VAR_DIR = tmp_path
    api = client_for(finance)
    job_id = upload(api, f"code\n{world['both'].reveal_identifier()}\n".encode()).json()["id"]
    for _ in itertools.repeat(None, 200):
        status = api.get(f"/api/v1/screenings/{job_id}").json()
        if status["status"] in ("done", "failed"):
            break
        time.sleep(0.05)
    assert (status["status"], status["ok"]) == ("done", 1), status
    for thread in threading.enumerate():  # let it close its connection before the next test
        if thread.name == f"screening-{job_id}":
            thread.join(timeout=10)
    assert screening_jobs.run_job(job_id)[1] is None  # a finished job is not run again


def test_the_cheap_shape_check_never_contradicts_check_identifier():
    """surely_well_formed answers True only where check_identifier does not refuse."""
    import datetime as dt

    from xinyong.core.identifier_precheck import surely_well_formed
    from xinyong.core.identifiers import USCC_ALPHABET

    today = dt.date(2026, 11, 23)
    bases = [make_uscc(n) for n in range(0, 4000, 97)] + [make_citizen_id(n) for n in range(40)]
    bases += ["830000199001010011", "810000199001010013", "11010519491231002X",
              "110105204912310021", "N2330106MA0000000B", "A1000000MA00000001"]  # fmt: skip
    agreed = 0
    for base in bases:
        for at, char in itertools.product(range(18), "0179AXZN"):
            value = base[:at] + char + base[at + 1 :]
            if surely_well_formed(value, today):
                assert check_identifier(value, today=today).status != "invalid", value
                agreed += 1
    assert agreed > 1000  # it does answer for most well-formed codes
    assert all(c in USCC_ALPHABET for c in "0179AXN")


@LOOKUPS
def test_names_with_backslashes_and_tabs_come_back_as_written(tmp_path, finance, lookup):
    ScenarioFactory(code=SCENARIO, name="政府采购")
    odd = SubjectFactory(name="杭州\\反斜杠\t制表符公司")
    _, out = screen(tmp_path, [["code"], [odd.reveal_identifier()]], finance, lookup=lookup)
    assert out[0]["subject_name"] == odd.name


@pytest.mark.django_db(transaction=True)
def test_a_large_file_split_across_two_processes_gives_the_same_file(tmp_path, world, finance):
    """The second half screened by a forked process: same rows, same order, same counts."""
    codes = [s.reveal_identifier() for s in world.values()] + [make_uscc(90_000_000), "bad", ""]
    rows = [["code", "n"]] + [[codes[i % len(codes)], str(i)] for i in range(3000)]
    source = write_csv(tmp_path / "in.csv", rows)
    if other_threads():
        pytest.skip(f"threads left running ({other_threads()}): a process with threads never forks")
    assert split_point(source, min_bytes=1) is not None  # this file is split, the other is not
    reports = [
        screen_file(source, tmp_path / f"out-{at}.csv", scenario=SCENARIO,
                    department_id=finance.pk, lookup="table", split_at_bytes=at)
        for at in (1, 10**12)
    ]  # fmt: skip
    one, two = (tmp_path / f"out-{at}.csv" for at in (1, 10**12))
    assert one.read_bytes() == two.read_bytes()
    assert reports[0].counts() == reports[1].counts()
    assert reports[0].rows == 3000


@pytest.mark.django_db(transaction=True)  # a split needs no open transaction
@pytest.mark.parametrize("lone_cr", [False, True])
def test_a_line_end_cut_by_the_read_block_still_lets_the_file_split(tmp_path, lone_cr):
    """A block read may end between the CR and the LF of one line: that is no lone CR.

    A lone CR, though, ends a line for Python's reader and not for the line count, so a file
    with one is never split.
    """
    block = 1 << 20
    first = b"code,n\r\n" + b"x" * (block - len(b"code,n\r\n") - 1) + b"\r"
    rest = (b"\n" if not lone_cr else b"y") + b"91330106MA2AAAAA0X,1\r\n" * 60_000
    source = tmp_path / "cut.csv"
    source.write_bytes(first + rest)
    if other_threads():
        pytest.skip(f"threads left running ({other_threads()}): a process with threads never forks")
    found = split_point(source, min_bytes=1)
    assert (found is None) is lone_cr


def _all_digit_uscc() -> str:
    """A valid organisation code of digits only: looked up by its keyed hash, like a person's."""
    return next(code for n in range(60_000_000, 60_100_000) if (code := make_uscc(n)).isdigit())


@LOOKUPS
def test_organisations_with_an_all_digit_code_and_persons_are_found_by_their_hash(
    tmp_path, world, finance, lookup
):
    from xinyong.measures.screening_store import could_be_citizen_id

    digits = SubjectFactory(identifier=_all_digit_uscc(), name="全数字代码公司")
    ListEntryFactory(subject=digits, effective=True, list__kind=ListKind.BLACK)
    person = world["person"] if "person" in world else SubjectFactory(natural_person=True)
    lettered = next(c for n in range(70_000_000, 70_001_000) if not (c := make_uscc(n)).isdigit())
    SubjectFactory(identifier=lettered)
    codes = [digits.reveal_identifier(), person.reveal_identifier(), lettered]
    assert [could_be_citizen_id(code) for code in codes] == [True, True, False]
    _, out = screen(tmp_path, [["code"]] + [[code] for code in codes], finance, lookup=lookup)
    assert [row["status"] for row in out] == ["ok", "ok", "ok"]
    assert out[0]["subject_name"] == "全数字代码公司"
    assert out[0]["result"] == expected(digits, finance)["result"]
    assert out[1]["subject_code"] == person.identifier  # masked, as stored


@LOOKUPS
def test_only_the_measures_each_decision_states_follow_as_in_a_check(
    tmp_path, world, finance, lookup
):
    """Entries on one black list whose decisions state different measures answer differently,
    each row as a check by code answers it: the measure stated, both when none is stated, none
    on a person named in an organisation's entry whose decision states only the company's
    (R1, R10: none added)."""
    funds = MeasureFactory(code="bar-funds", name="限制申请财政性资金项目",
                           list_kinds=["black"], targets=["organisation"])  # fmt: skip
    funds.scenarios.add(Scenario.objects.get(code=SCENARIO))
    representative = Measure.objects.get(code="bar-representative")
    representative.name = "限制担任法定代表人"  # the world's measures share the factory's name
    representative.save()
    bar = Measure.objects.get(code="bar-procurement").name
    one = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, stated_measures=[bar])
    other = ListEntryFactory(effective=True, list=one.list, stated_measures=[funds.name])
    every = ListEntryFactory(effective=True, list=one.list)
    link = LinkedPersonFactory()
    named = ListEntryFactory(subject=link.organisation, effective=True, list=one.list,
                             stated_measures=[bar])  # fmt: skip
    ListEntryPerson.objects.create(entry=named, person=link.person, role=link.role)
    subjects = [one.subject, other.subject, every.subject, link.person]
    _, out = screen(tmp_path, [["code"]] + [[s.reveal_identifier()] for s in subjects], finance,
                    lookup=lookup)  # fmt: skip
    assert [sorted(filter(None, row["measures"].split(";"))) for row in out] == [
        ["bar-procurement"], ["bar-funds"], ["bar-funds", "bar-procurement"], [],
    ]  # fmt: skip
    assert [row["result"] for row in out] == ["punish", "punish", "punish", "clear"]
    for row, subject in zip(out, subjects, strict=True):
        assert row["measures"] == expected(subject, finance)["measures"]


@LOOKUPS
def test_subjects_with_the_same_entries_share_one_verdict_worked_out_once(
    tmp_path, world, finance, lookup, monkeypatch
):
    """A verdict depends on the entries alone (list, last day, suspension, role): made once per
    distinct set, and each subject still answers for its own last day."""
    from xinyong.measures.screening_store import Store

    made = []
    verdict_of = Store._verdict_of

    def counted(self, facts, person):
        made.append(facts)
        return verdict_of(self, facts, person)

    monkeypatch.setattr(Store, "_verdict_of", counted)
    first = ListEntryFactory(effective=True, list__kind=ListKind.BLACK, valid_until=D(2029, 1, 1))
    twin = ListEntryFactory(effective=True, list=first.list, valid_until=D(2029, 1, 1))
    later = ListEntryFactory(effective=True, list=first.list, valid_until=D(2029, 6, 30))
    subjects = [first.subject, twin.subject, later.subject, first.subject]
    rows = [["code"]] + [[s.reveal_identifier()] for s in subjects]
    _, out = screen(tmp_path, rows, finance, lookup=lookup)
    days = [row["entries"].split("(")[1] for row in out]
    assert days == ["至2029-01-01)", "至2029-01-01)", "至2029-06-30)", "至2029-01-01)"]
    assert [row["result"] for row in out] == ["punish"] * 4
    assert len(made) == 2


@pytest.mark.django_db(transaction=True)  # outside a transaction, PostgreSQL reads on threads
def test_the_table_read_span_by_span_gives_what_the_chunk_lookup_gives(
    tmp_path, world, finance, monkeypatch
):
    """Many spans (some empty, one with a name holding the separator, read row by row), the
    entries and the persons read beside them: the same answers as asking per chunk."""
    from django.db import connection

    from xinyong.measures import screening_store

    monkeypatch.setattr(screening_store, "SPAN", 3)
    read_row_by_row = []
    by_rows = screening_store._span_rows
    monkeypatch.setattr(screening_store, "_span_rows",
                        lambda start: read_row_by_row.append(start) or by_rows(start))  # fmt: skip
    odd = SubjectFactory(name="分隔\x1f符号公司")
    SubjectFactory.create_batch(4)
    codes = [s.reveal_identifier() for s in [*world.values(), odd]] + [make_uscc(90_000_001)]
    rows = [["code"]] + [[code] for code in codes]
    assert not connection.in_atomic_block
    _, by_table = screen(tmp_path, rows, finance, lookup="table")
    _, by_chunks = screen(tmp_path, rows, finance, lookup="chunks")
    assert by_table == by_chunks
    assert {row["subject_name"] for row in by_table} >= {odd.name, world["plain"].name}
    assert by_table[-1]["status"] == "unknown"
    person = codes[list(world).index("person")]
    assert by_table[list(world).index("person")]["subject_code"] != person  # masked as a person
    assert not [t for t in threading.enumerate() if t.name.startswith("screening-")]
    if connection.vendor == "postgresql":  # elsewhere the table is one fetch loop
        assert len(read_row_by_row) == 1
        # The entries' reader asks its own connection for one process; this one is untouched.
        with connection.cursor() as cursor:
            cursor.execute("SHOW max_parallel_workers_per_gather")
            assert cursor.fetchone()[0] != "0"


@LOOKUPS
def test_rows_wider_than_the_header_and_blank_lines_are_kept_in_place(
    tmp_path, world, finance, lookup
):
    """Every input line has its output row, answers in the same columns (issue: screening):
    a trailing comma is no cell; a filled cell past the header may mean shifted columns, so
    that row is invalid and keeps its cells after the answer; a blank line is an invalid row."""
    black = world["black"].reveal_identifier()
    source = tmp_path / "in.csv"
    source.write_text(f"code,ref\n{black},a,\n{black},b,extra\n\n{black},c\n", encoding="utf-8")
    report = screen_file(source, tmp_path / "out.csv", scenario=SCENARIO,
                         department_id=finance.pk, lookup=lookup)  # fmt: skip
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    assert len(rows) == 4 and report.rows == 4
    width = len(header)
    trailing, wide, blank, plain = (dict(zip(header, row, strict=False)) for row in rows)
    assert (trailing["ref"], trailing["status"], trailing["result"]) == ("a", "ok", "punish")
    assert len(rows[0]) == width
    assert (wide["ref"], wide["status"], wide["reason_code"]) == ("b", "invalid", "row-too-wide")
    assert rows[1][width:] == ["extra"]  # kept, after the answer
    assert blank["status"] == "invalid" and blank["ref"] == ""
    assert (plain["ref"], plain["result"]) == ("c", "punish")
    assert report.invalid["row-too-wide"] == 1


@LOOKUPS
def test_a_quote_left_open_is_its_own_invalid_row_and_the_rows_after_it_are_screened(
    tmp_path, world, finance, lookup
):
    """A quote left open, or one inside a quoted cell not doubled, no longer swallows the
    rest of the file: that line is an invalid row of its own, kept in the first column, and
    every line after it is screened (issue 4 item 6: invalid rows reported, never dropped)."""
    black = world["black"].reveal_identifier()
    source = tmp_path / "in.csv"
    source.write_text(
        f'ref,code\nr1,"{black}\nr2,{black}\n"r3"x,{black}\nr4,"{black}"\nr5,{black}\n'
        f'"r6\n第二行",{black}\n',
        encoding="utf-8",
    )  # fmt: skip
    report = screen_file(source, tmp_path / "out.csv", scenario=SCENARIO,
                         department_id=finance.pk, lookup=lookup)  # fmt: skip
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    assert {len(row) for row in rows} == {len(header)}  # the answer in its own columns
    answered = [dict(zip(header, row, strict=True)) for row in rows]
    assert [(a["ref"], a["status"], a["reason_code"], a["result"]) for a in answered] == [
        (f'r1,"{black}', "invalid", "quote-unclosed", ""),
        ("r2", "ok", "", "punish"),
        (f'"r3"x,{black}', "invalid", "quote-unclosed", ""),
        ("r4", "ok", "", "punish"),
        ("r5", "ok", "", "punish"),
        ("r6\n第二行", "ok", "", "punish"),  # a quoted cell over two lines is a cell
    ]
    assert (report.rows, report.invalid["quote-unclosed"]) == (6, 2)


def test_a_measures_file_with_a_quote_left_open_is_refused_naming_the_record(tmp_path):
    """The measures loader reads all rows or none: a line it cannot read refuses the file,
    with its record number, rather than taking the rows after it into one cell."""
    from xinyong.core.tables import read_rows

    source = tmp_path / "measures.csv"
    source.write_text('序号,事项\n1,"政府采购\n2,财政资金\n', encoding="utf-8")
    with pytest.raises(XinyongError) as refused:
        list(read_rows(source))
    assert refused.value.code == "file-csv"
    assert "第 2 条记录" in refused.value.message


@LOOKUPS
def test_a_row_shorter_than_the_header_answers_in_the_answer_columns(
    tmp_path, world, finance, lookup
):
    """A row with fewer cells than the header (a spreadsheet drops trailing empty cells) is
    padded, so that its answer still lands under the answer's headings."""
    black, plain = world["black"].reveal_identifier(), world["plain"].identifier
    source = tmp_path / "in.csv"
    source.write_text(f"code,ref,note\n{black},a\n{plain}\n{plain},b,c\n", encoding="utf-8")
    screen_file(source, tmp_path / "out.csv", scenario=SCENARIO, department_id=finance.pk,
                lookup=lookup)  # fmt: skip
    with (tmp_path / "out.csv").open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = list(csv.reader(stream))
    assert [len(row) for row in rows] == [len(header)] * 3
    short, shorter, full = (dict(zip(header, row, strict=True)) for row in rows)
    assert (short["ref"], short["note"], short["status"], short["result"]) == (
        "a",
        "",
        "ok",
        "punish",
    )
    assert (shorter["ref"], shorter["status"], shorter["subject_name"]) == (
        "",
        "ok",
        world["plain"].name,
    )
    assert (full["ref"], full["note"], full["status"]) == ("b", "c", "ok")


@pytest.mark.django_db(transaction=True)  # outside a transaction, PostgreSQL reads in spans
@LOOKUPS
def test_names_a_csv_file_must_quote_come_back_as_written(tmp_path, finance, lookup):
    """The subject map holds a plain subject's name as a CSV field, quoted by the server's
    read or by Python: every such name comes back as stored, on a row copied as its line, on
    a row the csv module read (a quoted cell), and once it has an entry (unquoted again)."""
    ScenarioFactory(code=SCENARIO, name="政府采购")
    names = ['杭州"引号"公司', "杭州,逗号公司", "杭州\r\n换行公司", "杭州\n换行", '"开头引号公司']
    subjects = [SubjectFactory(name=name) for name in names]
    listed = SubjectFactory(name='杭州"名单",公司')
    ListEntryFactory(subject=listed, effective=True, list__kind=ListKind.BLACK)
    codes = [s.reveal_identifier() for s in [*subjects, listed]]
    rows = [["code", "ref"]] + [[code, "plain"] for code in codes]
    rows += [[code, 'quoted "cell"'] for code in codes]
    _, out = screen(tmp_path, rows, finance, lookup=lookup)
    assert [row["subject_name"] for row in out] == [*names, listed.name] * 2
    assert [row["ref"] for row in out] == ["plain"] * 6 + ['quoted "cell"'] * 6
    assert {row["status"] for row in out} == {"ok"}
    assert out[5]["entries"] and out[5]["entries"] == out[11]["entries"]


@pytest.mark.django_db(transaction=True)  # outside a transaction, PostgreSQL reads in spans
@LOOKUPS
def test_a_name_that_reads_as_a_formula_is_written_as_text(tmp_path, finance, lookup):
    """Names come from other departments' data and the result is opened in a spreadsheet: a
    name a spreadsheet would run (a leading =, +, -, @) is written with an apostrophe, as every
    export is (CSV injection), whichever way its row is made; the caller's own cells stay."""
    ScenarioFactory(code=SCENARIO, name="政府采购")
    evil = '=HYPERLINK("http://example.invalid/","查看")'
    plain = SubjectFactory(name=evil)
    listed = SubjectFactory(name="+86杭州公司")
    ListEntryFactory(subject=listed, effective=True, list__kind=ListKind.BLACK)
    person = SubjectFactory(natural_person=True, name="@某人")
    ListEntryFactory(subject=person, effective=True, list__kind=ListKind.BLACK)
    codes = [s.reveal_identifier() for s in (plain, listed, person)]
    rows = [["code", "ref"]] + [[code, "-own cell"] for code in codes]
    rows += [[codes[0], 'quoted "cell"']]
    _, out = screen(tmp_path, rows, finance, lookup=lookup)
    assert [row["subject_name"] for row in out] == [f"'{evil}", "'+86杭州公司", "'@某", f"'{evil}"]
    assert [row["ref"] for row in out] == ["-own cell"] * 3 + ['quoted "cell"']
    assert {row["status"] for row in out} == {"ok"}


def test_a_name_as_a_csv_field_reads_back_as_it_was():
    from xinyong.measures.screening_store import as_csv_field, from_csv_field

    for name in ["杭州公司", 'a"b', "a,b", "a\r\nb", '"', '""', "", "a\nb", " 空格 "]:
        field = as_csv_field(name)
        buffer = io.StringIO()
        csv.writer(buffer).writerow(["x", name])
        assert buffer.getvalue() == f"x,{field}\r\n"  # as the csv module writes it
        assert from_csv_field(field) == name
    assert from_csv_field(as_csv_field("=1+1")) == "'=1+1"  # as written: a spreadsheet's text


# -- a citizen ID in the name column --------------------------------------------------------


@pytest.fixture
def listed_person():
    person = SubjectFactory(natural_person=True)
    ListEntryFactory(subject=person, effective=True, list__kind=ListKind.BLACK)
    return person


@LOOKUPS
def test_a_citizen_id_in_the_name_column_is_refused_as_a_check_by_name_refuses_it(
    tmp_path, world, finance, listed_person, lookup
):
    """A citizen ID is no name: a row screened by name whose name is one is invalid with the
    check's own code and message, whatever columns the row has, even for a black-listed
    person — never ``unknown`` and ``clear``. The ID is never searched as a name and never
    written in the answer's columns, not even masked (R14); the caller's own cells come back
    as sent, as a code cell does. A row with a code is decided by its code."""
    pid = listed_person.reveal_identifier()
    refused = client_for(finance).post(
        "/api/v1/checks", {"name": pid, "scenario": SCENARIO}, content_type="application/json"
    )
    assert (refused.status_code, refused.json()["code"]) == (422, "name-is-an-identifier")
    index = FakeIndex({"黑名单公司": [Candidate(world["black"].pk, world["black"].name, 100)]})
    names = NameMatcher(finance.pk, index=index, key_of=str.strip)
    rows = [["code", "name"], ["", pid], ["", f" {pid} "], [pid, pid], ["", "黑名单公司"]]
    report, out = screen(tmp_path, rows, finance, lookup=lookup, names=names)
    assert [row["status"] for row in out] == ["invalid", "invalid", "ok", "matched_by_name"]
    for row in out[:2]:
        assert (row["reason_code"], row["reason"]) == ("name-is-an-identifier",
                                                       refused.json()["message"])  # fmt: skip
        answer = [value for key, value in row.items() if key not in ("code", "name")]
        assert not any(pid in v or mask_id_number(pid) in v for v in answer), row
        assert not any(answer[3:]), row  # no subject, score, entries, measures or result
    assert [row["name"] for row in out[:2]] == [pid, f" {pid} "]  # the caller's cells
    assert out[2]["result"] == "punish"  # the code decides
    assert report.invalid == {"name-is-an-identifier": 2} and report.unknown == 0
    assert all(pid not in asked for asked in index.asked)


def test_a_citizen_id_as_the_only_column_is_refused_too(tmp_path, world, finance, listed_person):
    names = NameMatcher(finance.pk, index=FakeIndex({}), key_of=str.strip)
    _, out = screen(tmp_path, [["名称"], [listed_person.reveal_identifier()]], finance, names=names)
    assert (out[0]["核查状态"], out[0]["原因代码"]) == ("invalid", "name-is-an-identifier")


def test_a_name_that_only_contains_a_citizen_id_is_still_searched(tmp_path, world, finance):
    """Only a name that is wholly an ID is refused, as a check refuses it; a name with an ID
    inside is a name (the check masks the ID and searches)."""
    index = FakeIndex({})
    names = NameMatcher(finance.pk, index=index, key_of=str.strip)
    name = f"张三{make_citizen_id(5)}"
    _, out = screen(tmp_path, [["name"], [name]], finance, names=names)
    assert out[0]["status"] == "unknown" and index.asked == [name]


@LOOKUPS
def test_a_blank_row_of_a_file_of_names_says_the_name_is_empty(tmp_path, world, finance, lookup):
    """A file of names has no ID to fill in: its blank row is answered as a check by a blank
    name is refused, not as a missing ID."""
    refused = client_for(finance).post(
        "/api/v1/checks", {"name": " ", "scenario": SCENARIO}, content_type="application/json"
    )
    names = NameMatcher(finance.pk, index=FakeIndex({}), key_of=str.strip)
    rows = [["name", "ref"], ["", "a"], [" ", "b"], ["某某公司", "c"]]
    report, out = screen(tmp_path, rows, finance, lookup=lookup, names=names)
    answers = [(row["ref"], row["status"], row["reason_code"], row["reason"]) for row in out]
    assert answers[:2] == [(ref, "invalid", "name-empty", "名称为空") for ref in "ab"]
    assert refused.json()["code"] == "name-empty"
    assert report.invalid == {"name-empty": 2} and len(out) == 3


# -- a command-line run is registered as the export it is (R14) ---------------------------


def run_command(tmp_path, rows, name="out.csv"):
    source = write_csv(tmp_path / "in.csv", rows)
    call_command("screen", str(source), "-o", str(tmp_path / name), "--scenario", SCENARIO,
                 "--department", "czj", "--no-progress", stdout=io.StringIO())  # fmt: skip
    return read_output(tmp_path / name)


def test_a_command_line_run_naming_persons_is_registered_once_for_the_reviewer(
    tmp_path, world, finance, listed_person
):
    """The output goes straight to the operator, so the run registers it as the API registers
    a downloaded result: purpose joint action, the scenario as detail, kind export, who and
    department — once, naming each person found, so that the reviewer's "who looked up this
    person" finds it, and counting the citizen IDs asked that no subject has."""
    from xinyong.audit import query_review
    from xinyong.audit.models import QueryRegistration

    stranger = make_citizen_id(4242)  # a citizen ID no subject has: a person all the same
    pid = listed_person.reveal_identifier()
    rows = [["code"], [pid], [world["black"].reveal_identifier()], [pid], [stranger]]
    out = run_command(tmp_path, rows)
    assert [row["result"] for row in out] == ["punish", "punish", "punish", "clear"]
    job = ScreeningJob.objects.get()
    r = QueryRegistration.objects.get()
    assert (r.subject_id, r.natural_persons) == (None, 2)
    assert list(r.persons.values_list("subject_id", flat=True)) == [listed_person.pk]
    assert (r.actor, r.department_id, r.purpose_id, r.purpose_detail, r.kind, r.rows) == (
        "system:czj", finance.pk, "joint_action", "政府采购", "export", job.rows,
    )  # fmt: skip
    assert r.route == "xinyong screen"
    found = list(query_review.iter_rows(query_review.QueryFilter(subject_id=listed_person.pk), {}))
    assert [(r.kind, r.purpose_detail, r.actor, r.subject_id) for r in found] == [
        ("export", "政府采购", "system:czj", listed_person.pk),
    ]
    assert query_review.persons_in(query_review.QueryFilter()) == 1


def test_a_command_line_run_downloaded_through_the_api_names_its_persons(
    tmp_path, settings, world, finance, listed_person
):
    """Its department may download a command-line run's result through the API: that answer
    names the persons the run found as the API's own jobs do (R14)."""
    from xinyong.audit import query_review

    settings.VAR_DIR = tmp_path
    run_command(tmp_path, [["code"], [listed_person.reveal_identifier()]])
    job = ScreeningJob.objects.get()
    result = client_for(finance).get(f"/api/v1/screenings/{job.pk}/result")
    assert result.status_code == 200 and b"".join(result.streaming_content)
    found = list(query_review.iter_rows(query_review.QueryFilter(subject_id=listed_person.pk), {}))
    assert sorted(r.route for r in found) == [
        "GET /api/v1/screenings/<job_id>/result", "xinyong screen",
    ]  # fmt: skip


def test_a_command_line_run_naming_no_person_registers_nothing(tmp_path, world, finance):
    from xinyong.audit.models import QueryRegistration

    out = run_command(tmp_path, [["code"], [world["black"].reveal_identifier()], ["bad"]])
    assert [row["status"] for row in out] == ["ok", "invalid"]
    assert not QueryRegistration.objects.exists()


def test_the_run_pending_sweep_leaves_the_api_result_to_its_download(
    tmp_path, settings, finance, listed_person
):
    """An API job's result is registered when it is downloaded, not when a sweep runs it."""
    from xinyong.audit.models import QueryRegistration

    settings.VAR_DIR = tmp_path
    ScenarioFactory(code=SCENARIO, name="政府采购")
    api = client_for(finance)
    job_id = upload(api, f"code\n{listed_person.reveal_identifier()}\n".encode()).json()["id"]
    call_command("screen", "--run-pending", stdout=io.StringIO())
    assert not QueryRegistration.objects.exists()
    result = api.get(f"/api/v1/screenings/{job_id}/result")
    assert b"".join(result.streaming_content)  # read, so that the file is closed
    assert QueryRegistration.objects.get().natural_persons == 1


def test_an_api_result_download_names_each_person_it_found_for_the_reviewer(
    tmp_path, settings, finance, listed_person
):
    """The result shows persons masked, so the run keeps whom it found: each download is one
    registration naming them, found under each person by the reviewer (R14), with the IDs
    nobody has counted."""
    from xinyong.audit import query_review
    from xinyong.audit.models import QueryRegistration

    settings.VAR_DIR = tmp_path
    ScenarioFactory(code=SCENARIO, name="政府采购")
    api = client_for(finance)
    body = f"code\n{listed_person.reveal_identifier()}\n{make_citizen_id(4242)}\n".encode()
    job_id = upload(api, body).json()["id"]
    call_command("screen", "--run-pending", stdout=io.StringIO())
    for _ in range(2):  # each download is its own answer
        result = api.get(f"/api/v1/screenings/{job_id}/result")
        assert b"".join(result.streaming_content)
    rows = QueryRegistration.objects.order_by("pk")
    assert [(r.subject_id, r.natural_persons, r.kind) for r in rows] == [(None, 2, "export")] * 2
    assert [list(r.persons.values_list("subject_id", flat=True)) for r in rows] == [
        [listed_person.pk]
    ] * 2
    found = list(query_review.iter_rows(query_review.QueryFilter(subject_id=listed_person.pk), {}))
    assert [(r.kind, r.purpose_detail, r.subject_id) for r in found] == [
        ("export", "政府采购", listed_person.pk)
    ] * 2


@LOOKUPS
def test_the_report_names_the_persons_found_by_code_and_by_name(
    tmp_path, world, finance, listed_person, lookup
):
    """What a run's registration names: each person found, once. A decision that took a
    natural person for a name is not followed: persons are checked by citizen ID only (R14)."""
    from xinyong.measures.models import NameDecision

    by_name = SubjectFactory(natural_person=True)
    NameDecision.objects.create(
        department=finance, normalized_name="某人", subject=by_name, same_subject=True,
        reason="核对身份证件", decided_by="x",
    )  # fmt: skip
    names = NameMatcher(finance.pk, index=FakeIndex({}), key_of=str.strip)
    pid = listed_person.reveal_identifier()
    rows = [
        ["code", "name"],
        [pid, ""],
        [pid, ""],
        ["", "某人"],
        [world["black"].reveal_identifier(), ""],
    ]
    report, out = screen(tmp_path, rows, finance, lookup=lookup, names=names)
    assert [row["status"] for row in out] == ["ok", "ok", "unknown", "ok"]
    assert out[2]["reason_code"] == "name-may-be-a-person"
    assert report.persons == {listed_person.pk}
    assert report.persons_asked == set()


@pytest.mark.django_db(transaction=True)
def test_a_split_run_names_the_persons_of_both_halves(tmp_path, finance, listed_person):
    ScenarioFactory(code=SCENARIO, name="政府采购")
    other = SubjectFactory(natural_person=True)
    codes = [listed_person.reveal_identifier()] + ["bad"] * 1500 + [other.reveal_identifier()]
    source = write_csv(tmp_path / "in.csv", [["code"]] + [[c] for c in codes])
    if other_threads():
        pytest.skip(f"threads left running ({other_threads()}): a process with threads never forks")
    assert split_point(source, min_bytes=1) is not None
    report = screen_file(source, tmp_path / "out.csv", scenario=SCENARIO,
                         department_id=finance.pk, lookup="table", split_at_bytes=1)  # fmt: skip
    assert report.persons == {listed_person.pk, other.pk}


@pytest.mark.django_db
def test_the_way_of_finding_subjects_is_chosen_on_their_number():
    """A table never analysed is counted; on PostgreSQL an analysed one is taken at the
    planner's figure, which a count of a million rows would only confirm at some 30 ms."""
    from django.db import connection

    from xinyong.measures.screening_store import subjects_about

    SubjectFactory.create_batch(3)
    assert subjects_about() == 3
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE subjects_subject")
            cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'subjects_subject'")
            planned = cursor.fetchone()[0]
        assert subjects_about() == (int(planned) if planned > 0 else 3)


@pytest.mark.parametrize("kernel_copy", ["works", "refused", "stops-short", "missing"])
def test_the_second_half_is_appended_whole_however_the_kernel_copies(
    tmp_path, monkeypatch, kernel_copy
):
    """The child's rows follow the parent's byte for byte: copied by the kernel, or read and
    written where the kernel refuses (another file system), copies part, or has no such call."""
    import errno
    import os

    from xinyong.measures import screening_parallel

    part = tmp_path / "part"
    part.write_bytes(b"".join(b"row %d,\xe4\xb8\xad\r\n" % n for n in range(100_000)))
    real = os.copy_file_range

    def refused(*args):
        raise OSError(errno.EXDEV, "cross-device")

    if kernel_copy == "refused":
        monkeypatch.setattr(os, "copy_file_range", refused)
    elif kernel_copy == "stops-short":
        calls = iter([4096, 0])
        monkeypatch.setattr(os, "copy_file_range",
                            lambda s, t, c: real(s, t, next(calls)) if c else 0)  # fmt: skip
    elif kernel_copy == "missing":
        monkeypatch.delattr(os, "copy_file_range")
    out = tmp_path / "out"
    with out.open("w", encoding="utf-8", newline="") as stream:
        stream.write("header\r\n")
        stream.write("first half\r\n")
        stream.flush()
        screening_parallel.append(part, stream.buffer)
    assert out.read_bytes() == b"header\r\nfirst half\r\n" + part.read_bytes()


@LOOKUPS
def test_the_entrys_own_objection_and_a_persons_open_at_once_screen_as_a_check_answers(
    tmp_path, world, finance, lookup
):
    """The organisation's own objection suspends every measure the entry brings, the person's
    to being named beside it changes nothing more (R6); its rows answer as a check does, and
    once the organisation's is upheld, only the person's naming stays suspended."""
    objecting, other = world["person"], SubjectFactory(natural_person=True)
    entry = objecting.named_in_entries.get().entry
    ListEntryPerson.objects.create(entry=entry, person=other, role="legal_representative")
    entry.persons.filter(person=objecting).update(verification_due_on=dt.date(2026, 12, 1))
    entry.verification_due_on = dt.date(2026, 12, 2)
    entry.save()
    subjects = {"company": world["company"], "objecting": objecting, "other": other}
    rows = [["code", "ref"]] + [[s.reveal_identifier(), key] for key, s in subjects.items()]

    def screened():
        _, out = screen(tmp_path, rows, finance, lookup=lookup)
        by_ref = {row["ref"]: row for row in out}
        for key, subject in subjects.items():
            want = expected(subject, finance)
            assert (by_ref[key]["measures"], by_ref[key]["result"]) == (
                want["measures"], want["result"]
            ), key  # fmt: skip
        return {key: by_ref[key]["result"] for key in subjects}

    assert screened() == {"company": "clear", "objecting": "clear", "other": "clear"}
    entry.verification_due_on = None  # the organisation's objection upheld
    entry.save()
    assert screened() == {"company": "punish", "objecting": "clear", "other": "punish"}
