"""Batch screening of rows with both a code and a name (item 6, R10, R11, R14; 应查必查): the
code decides, but a name that names another organisation is said, and a code nobody has does not
leave the row clear when its name finds a subject."""

import csv
import io

import pytest
from django.core.management import call_command

from tests.check_clients import client_for
from tests.factories import (
    DepartmentFactory,
    ListEntryFactory,
    MeasureFactory,
    ScenarioFactory,
    SubjectFactory,
    make_citizen_id,
    make_uscc,
)
from tests.integration.test_screening import Candidate, FakeIndex, read_output, write_csv
from xinyong.audit.models import AuditEntry
from xinyong.core.masking import mask_id_number, mask_name
from xinyong.listings.models import ListKind
from xinyong.measures.models import Measure
from xinyong.measures.screening import screen_file
from xinyong.measures.screening_names import NameMatcher

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"
LOOKUPS = pytest.mark.parametrize("lookup", ["table", "chunks"])


@pytest.fixture
def finance():
    procurement = ScenarioFactory(code=SCENARIO, name="政府采购")
    for code, targets in [("bar-procurement", ["organisation"]), ("bar-person", ["person"])]:
        measure = MeasureFactory(code=code, list_kinds=["black"], targets=targets,
                                 type=Measure.Type.PUNISHMENT)  # fmt: skip
        measure.scenarios.add(procurement)
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


@pytest.fixture
def black():
    subject = SubjectFactory(name="杭州恒泰科技有限公司")
    ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.BLACK)
    return subject


@pytest.fixture
def plain():
    return SubjectFactory(name="北京ABC贸易有限责任公司")


@pytest.fixture
def person():
    subject = SubjectFactory(natural_person=True, name="欧阳娜娜")
    ListEntryFactory(subject=subject, effective=True, list__kind=ListKind.BLACK)
    return subject


def screen(tmp_path, rows, finance, **options):
    source = write_csv(tmp_path / "in.csv", rows)
    report = screen_file(source, tmp_path / "out.csv", scenario=SCENARIO,
                         department_id=finance.pk, **options)  # fmt: skip
    return report, read_output(tmp_path / "out.csv")


def answers(out):
    return [(row["status"], row["reason_code"], row["result"]) for row in out]


# -- a known code, another organisation's name ------------------------------------------------


@LOOKUPS
def test_a_known_code_with_another_organisations_name_is_answered_by_code_with_a_warning(
    tmp_path, finance, black, plain, lookup
):
    """The code decides (R10: the subject the code names is the one the measures follow), but
    a name that names another organisation is said, with the name the platform holds, so that
    a mistyped code that hits someone else is caught (应查必查)."""
    rows = [
        ["code", "name", "ref"],
        [black.reveal_identifier(), "上海远东物流有限公司", "listed"],
        [plain.reveal_identifier(), "杭州恒泰科技有限公司", "plain"],
        [plain.reveal_identifier(), "北京ABC贸易有限公司", "plain, same name"],
    ]
    report, out = screen(tmp_path, rows, finance, lookup=lookup)
    assert answers(out) == [
        ("ok", "name-mismatch", "punish"),
        ("ok", "name-mismatch", "clear"),
        ("ok", "", "clear"),
    ]
    assert [row["subject_code"] for row in out] == [
        black.reveal_identifier(), plain.reveal_identifier(), plain.reveal_identifier(),
    ]  # fmt: skip
    assert black.name in out[0]["reason"] and "上海远东物流" not in out[0]["reason"]
    assert plain.name in out[1]["reason"]
    assert out[2]["reason"] == ""
    assert (report.ok, report.unknown) == (3, 0)
    assert report.warnings == {"name-mismatch": 2}
    assert any("name-mismatch" in line for line in report.describe())


@LOOKUPS
def test_the_same_name_written_otherwise_is_no_mismatch(tmp_path, finance, black, plain, lookup):
    """Compared as a name check compares them: traditional characters, full-width letters,
    brackets, spaces, 有限责任公司 for 有限公司 and a region written elsewhere or left out are
    the same name, and a blank name says nothing."""
    b, p = black.reveal_identifier(), plain.reveal_identifier()
    variants = [
        (b, "杭州恒泰科技有限公司"),
        (b, "杭州恆泰科技有限公司"),  # traditional 恆
        (b, "杭州恒泰科技有限责任公司"),
        (b, " 杭州 恒泰科技 有限公司 "),
        (b, "恒泰科技（杭州）有限公司"),
        (b, "恒泰科技有限公司"),  # the region left out
        (b, "杭州市恒泰科技有限公司"),
        (b, ""),
        (p, "北京ＡＢＣ贸易有限公司"),  # full-width letters
        (p, "北京abc贸易有限责任公司"),
        (p, "北京ABC貿易有限公司"),
    ]
    report, out = screen(tmp_path, [["code", "name"], *map(list, variants)], finance,
                         lookup=lookup)  # fmt: skip
    assert [row["reason_code"] for row in out] == [""] * len(variants), out
    assert [row["status"] for row in out] == ["ok"] * len(variants)
    assert report.warnings == {}


@LOOKUPS
def test_a_region_read_inside_a_name_warns_unless_read_firmly(tmp_path, finance, lookup):
    """A county's short form inside a name (光明 for 光明区, 红旗 for 红旗区, 桐庐 for 桐庐县) is a
    brand's name as often as a region's, and a region written inside a name registered in
    another (上海建工宁波建设) is no region of its own: such a name may be another company's, so
    it is warned. A city's name or a county's full form inside it is the region as in front,
    and a county's short form in brackets is the region too (企业名称登记管理规定): no warning."""
    codes = {name: SubjectFactory(name=name).reveal_identifier() for name in (
        "宁波建工建设有限公司", "深圳市光明区乳业有限公司", "深圳市福田区汽车销售有限公司",
        "红旗区机械有限公司", "桐庐县鑫飞诚电器有限公司", "宁波通昌众建材有限公司",
    )}  # fmt: skip
    rows = [
        ("宁波建工建设有限公司", "上海建工宁波建设有限公司", "name-mismatch"),
        ("深圳市光明区乳业有限公司", "深圳市光明乳业有限公司", "name-mismatch"),
        ("深圳市福田区汽车销售有限公司", "深圳市福田汽车销售有限公司", "name-mismatch"),
        ("红旗区机械有限公司", "红旗机械有限公司", "name-mismatch"),
        ("桐庐县鑫飞诚电器有限公司", "桐庐鑫飞诚电器有限公司", "name-mismatch"),
        ("桐庐县鑫飞诚电器有限公司", "鑫飞诚电器（桐庐）有限公司", ""),
        ("桐庐县鑫飞诚电器有限公司", "鑫飞诚桐庐县电器有限公司", ""),
        ("宁波通昌众建材有限公司", "通昌众宁波建材有限公司", ""),
        ("宁波通昌众建材有限公司", "通昌众建材宁波市有限公司", ""),
    ]
    report, out = screen(tmp_path, [["code", "name"], *([codes[held], asked]
                         for held, asked, _ in rows)], finance, lookup=lookup)  # fmt: skip
    assert [(row["name"], row["reason_code"]) for row in out] == [
        (asked, warned) for _, asked, warned in rows
    ]
    assert [row["status"] for row in out] == ["ok"] * len(rows)
    assert report.warnings == {"name-mismatch": 5}


@LOOKUPS
def test_a_persons_name_stays_masked_in_the_warning(tmp_path, finance, person, lookup):
    """The warning names what the platform holds as a person is shown anywhere in the output,
    masked (R5, R14): never the name itself, never the ID."""
    pid = person.reveal_identifier()
    rows = [["code", "name"], [pid, "杭州恒泰科技有限公司"], [pid, "李娜娜"], [pid, "欧阳娜娜"],
            [pid, "歐陽娜娜"]]  # fmt: skip
    report, out = screen(tmp_path, rows, finance, lookup=lookup)
    assert answers(out) == [
        ("ok", "name-mismatch", "punish"), ("ok", "name-mismatch", "punish"),
        ("ok", "", "punish"), ("ok", "", "punish"),
    ]  # fmt: skip
    assert mask_name(person.name) in out[0]["reason"] and "欧阳某" in out[1]["reason"]
    for row in out:
        answer = [value for key, value in row.items() if key not in ("code", "name")]
        assert not any("娜娜" in value or pid in value for value in answer), row
        assert row["subject_code"] == mask_id_number(pid)
    assert report.persons == {person.pk}


@LOOKUPS
def test_a_persons_given_name_is_never_told_by_the_warning(tmp_path, finance, person, lookup):
    """Were a person's row warned whenever its name differs, a file of one ID and many names
    would find the name out (R14). A person's row is judged by what it shows already, the
    masked name (the surname), and by whether its name is an organisation's: a given name
    that differs says nothing, whichever it is."""
    pid = person.reveal_identifier()
    guesses = ["欧阳娜娜", "欧阳菲菲", "欧阳 锋", "歐陽鋒"]
    rows = [["code", "name"], *([pid, guess] for guess in guesses), [pid, "欧阳贸易有限公司"]]
    report, out = screen(tmp_path, rows, finance, lookup=lookup)
    assert [row["reason_code"] for row in out] == [""] * len(guesses) + ["name-mismatch"]
    assert report.warnings == {"name-mismatch": 1}


# -- an unknown code, a name -------------------------------------------------------------------


@LOOKUPS
def test_an_unknown_code_with_a_name_is_answered_by_the_name(
    tmp_path, finance, black, plain, lookup
):
    """A well-formed code nobody has: the row is screened by its name as a row of names is
    (the same statuses and results), and says the code was unknown and the name answered."""
    index = FakeIndex({
        "恒泰科技公司": [Candidate(black.pk, black.name, 100)],
        "相似贸易": [Candidate(plain.pk, plain.name, 91.5), Candidate(black.pk, black.name, 88)],
    })  # fmt: skip
    names = NameMatcher(finance.pk, index=index, key_of=str.strip)
    unknown = make_uscc(77_777_777)
    typo = unknown[:-1] + ("1" if unknown[-1] != "1" else "2")  # its check character fails
    rows = [
        ["code", "name"],
        [unknown, "恒泰科技公司"],
        [typo, "恒泰科技公司"],
        [unknown, "相似贸易"],
        [unknown, "王建国"],  # may be a person's: not searched by name, not known to be clear
        [unknown, "完全不同的名字"],  # matches nothing: unknown and clear, as before
        [typo, "完全不同的名字"],
        [unknown, ""],
        ["123", "恒泰科技公司"],  # a malformed code: invalid, as before
    ]
    report, out = screen(tmp_path, rows, finance, lookup=lookup, names=names)
    assert answers(out) == [
        ("matched_by_name", "code-unknown-answered-by-name", "punish"),
        ("matched_by_name", "check-character-mismatch;code-unknown-answered-by-name", "punish"),
        ("ambiguous", "code-unknown-answered-by-name;name-undetermined", "undetermined"),
        ("unknown", "code-unknown-answered-by-name;name-may-be-a-person", "undetermined"),
        ("unknown", "", "clear"),
        ("unknown", "check-character-mismatch", "clear"),
        ("unknown", "", "clear"),
        ("invalid", "unknown-format", ""),
    ]
    assert (out[0]["subject_code"], out[0]["score"]) == (black.reveal_identifier(), "100")
    assert "按所填名称" in out[0]["reason"] and "校验" in out[1]["reason"]
    assert plain.reveal_identifier() in out[2]["reason"]  # the candidates, as a row of names
    assert "身份证号" in out[3]["reason"]
    assert (report.matched_by_name, report.ambiguous, report.unknown, report.ok) == (2, 1, 4, 0)
    assert sum(report.invalid.values()) == 1
    assert report.warnings == {"code-unknown-answered-by-name": 4}


@LOOKUPS
def test_an_unknown_citizen_id_with_a_persons_name_stays_clear(tmp_path, finance, lookup):
    """A citizen ID nobody has, with the person's name: the person was asked by ID, which is
    how persons are checked (R14), so the name that may be a person's leaves it clear, and the
    run still names the person asked."""
    names = NameMatcher(finance.pk, index=FakeIndex({}), key_of=str.strip)
    pid = make_citizen_id(4242)
    report, out = screen(tmp_path, [["code", "name"], [pid, "王建国"]], finance, lookup=lookup,
                         names=names)  # fmt: skip
    assert answers(out) == [("unknown", "", "clear")]
    assert len(report.persons_asked) == 1


# -- the API job -------------------------------------------------------------------------------


def test_an_api_job_answers_both_cases_alike(tmp_path, settings, finance, black, plain):
    """The API job screens with the same code: the same warnings in its result file."""
    from xinyong.subjects.name_index import reset_index

    reset_index()
    settings.VAR_DIR = tmp_path
    api = client_for(finance, [SCENARIO])
    body = (
        "code,name\n"
        f"{plain.reveal_identifier()},上海远东物流有限公司\n"
        f"{make_uscc(77_777_777)},{black.name}\n"
        f"{plain.reveal_identifier()},北京ＡＢＣ贸易有限公司\n"
    ).encode()
    sent = io.BytesIO(body)
    sent.name = "list.csv"
    job_id = api.post("/api/v1/screenings", {"scenario": SCENARIO, "file": sent}).json()["id"]
    call_command("screen", "--run-pending", stdout=io.StringIO())
    status = api.get(f"/api/v1/screenings/{job_id}").json()
    assert (status["status"], status["rows"], status["ok"], status["unknown"]) == ("done", 3, 3, 0)
    result = api.get(status["result"])
    text = b"".join(result.streaming_content).decode("utf-8-sig")
    out = list(csv.DictReader(io.StringIO(text, newline="")))
    assert answers(out) == [
        ("ok", "name-mismatch", "clear"),
        ("matched_by_name", "code-unknown-answered-by-name", "punish"),
        ("ok", "", "clear"),
    ]
    assert out[1]["subject_code"] == black.reveal_identifier()
    audit = AuditEntry.objects.get(action="screening.run")
    assert audit.after["warnings_by_code"] == {
        "name-mismatch": 1, "code-unknown-answered-by-name": 1,
    }  # fmt: skip
    reset_index()


def test_the_command_counts_the_warnings(tmp_path, finance, plain):
    source = write_csv(tmp_path / "in.csv", [["code", "name"], [plain.reveal_identifier(), "某某"]])
    out = io.StringIO()
    call_command("screen", str(source), "-o", str(tmp_path / "out.csv"), "--scenario", SCENARIO,
                 "--department", "czj", "--no-progress", stdout=out)  # fmt: skip
    assert "提示 name-mismatch：1 行" in out.getvalue()
    assert read_output(tmp_path / "out.csv")[0]["reason_code"] == "name-mismatch"
