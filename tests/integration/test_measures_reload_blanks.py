"""Reloading the measures list with a blank 领域 or 实施部门 (R10): a measure limited to some
domains (or departments) is not widened to every one by a blank cell, even where no row of the
file names one; 全部 or 不限 says so on purpose. A first load, or a measure that has none, keeps
blank as every one."""

import io
import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction  # noqa: F401 (connection: read by the skipif condition)

from tests.factories import DepartmentFactory, DomainFactory, ScenarioFactory
from tests.integration.test_measures_loading import BAR, HEADER, PRIORITY, write_csv
from tests.races import in_thread, until_another_waits
from xinyong.audit.models import AuditEntry
from xinyong.core.errors import XinyongError
from xinyong.measures import loading
from xinyong.measures.loading import load_measures_file
from xinyong.measures.models import Domain, Measure

pytestmark = pytest.mark.django_db

DOMAINS = HEADER.index("领域")
KIND = HEADER.index("类型")


@pytest.fixture(autouse=True)
def reference():
    DomainFactory(code="food_drugs", name="食品药品")
    DomainFactory(code="tax", name="税务")
    ScenarioFactory(code="government_procurement", name="政府采购")
    ScenarioFactory(code="fiscal_funds", name="财政资金")
    ScenarioFactory(code="honours", name="评优评先")


def with_domains(row, domains):
    return [*row[:DOMAINS], domains, *row[DOMAINS + 1 :]]


def write_xlsx(path, rows):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append([cell or None for cell in row])
    book.save(path)
    return path


WRITERS = {"csv": write_csv, "xlsx": write_xlsx}


def domain_codes(code="m001"):
    return sorted(Measure.objects.get(code=code).domains.values_list("code", flat=True))


def refused_reload(path):
    """The load refused, and nothing written: the measures and the audit trail as they were."""
    audits = AuditEntry.objects.count()
    with pytest.raises(XinyongError) as refused:
        load_measures_file(path, actor="officer")
    assert AuditEntry.objects.count() == audits
    return refused.value


WIDENS = (
    "“领域”为空：措施 m001 现仅适用于领域“食品药品、税务”，空白将使其适用于所有领域，"
    "扩大其适用范围；请照旧填写领域，确需适用于所有领域的请写“全部”"
)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_blank_domain_on_reload_does_not_widen_a_limited_measure(tmp_path, kind):
    write = WRITERS[kind]
    load_measures_file(write(tmp_path / f"v1.{kind}", [HEADER, BAR]), actor="officer")
    value = refused_reload(write(tmp_path / f"v2.{kind}", [HEADER, with_domains(BAR, "")]))
    assert value.code == "measures-file-invalid"
    assert value.details["errors"] == [f"第 2 行：{WIDENS}"]
    assert value.details["blank_means_all"] == [
        {"line": 2, "column": "领域", "measure": "m001", "current": ["food_drugs", "tax"]}
    ]
    assert domain_codes() == ["food_drugs", "tax"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("every", ["全部", "不限"])
def test_every_domain_said_in_words_on_reload_widens_on_purpose(tmp_path, kind, every):
    write = WRITERS[kind]
    load_measures_file(write(tmp_path / f"v1.{kind}", [HEADER, BAR]), actor="officer")
    summary = load_measures_file(
        write(tmp_path / f"v2.{kind}", [HEADER, with_domains(BAR, every)]), actor="officer"
    )
    assert summary.updated == ("m001",)
    assert domain_codes() == []


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_blank_domain_keeps_its_meaning_on_a_first_load_and_for_a_measure_with_none(
    tmp_path, kind
):
    write = WRITERS[kind]
    rows = [HEADER, with_domains(BAR, ""), with_domains(PRIORITY, "")]
    assert load_measures_file(write(tmp_path / f"v1.{kind}", rows), actor="officer").created == (
        "m001", "m002",
    )  # fmt: skip
    assert domain_codes("m001") == domain_codes("m002") == []
    again = load_measures_file(write(tmp_path / f"v2.{kind}", rows), actor="officer")
    assert again.unchanged == ("m001", "m002")


def test_only_the_limited_measures_are_refused_and_with_the_other_rows_errors(tmp_path):
    """One pass names every bad row: the blank that would widen beside a row's other errors."""
    load_measures_file(write_csv(tmp_path / "v1.csv", [HEADER, BAR, PRIORITY]), actor="officer")
    bad_kind = [*PRIORITY[:KIND], "表扬", *PRIORITY[KIND + 1 :]]
    rows = [HEADER, with_domains(BAR, ""), with_domains(bad_kind, "")]
    value = refused_reload(write_csv(tmp_path / "v2.csv", rows))
    assert value.details["errors"] == [
        f"第 2 行：{WIDENS}", "第 3 行：类型无效“表扬”，应为激励或惩戒",
    ]  # fmt: skip
    assert [said["line"] for said in value.details["blank_means_all"]] == [2]
    assert domain_codes() == ["food_drugs", "tax"]


def test_a_blank_department_on_reload_does_not_widen_a_measure_to_every_department(tmp_path):
    DepartmentFactory(implementing=True, code="czj", name="财政局")
    header = [*HEADER, "实施部门"]
    load_measures_file(write_csv(tmp_path / "v1.csv", [header, [*BAR, "财政局"]]),
                       actor="officer")  # fmt: skip
    value = refused_reload(write_csv(tmp_path / "v2.csv", [header, [*BAR, ""]]))
    assert value.details["errors"] == [
        "第 2 行：“实施部门”为空：措施 m001 现仅适用于实施部门“财政局”，空白将使其适用于所有"
        "实施部门，扩大其适用范围；请照旧填写实施部门，确需适用于所有实施部门的请写“全部”"
    ]
    assert value.details["blank_means_all"] == [
        {"line": 2, "column": "实施部门", "measure": "m001", "current": ["czj"]}
    ]
    bar = Measure.objects.get()
    assert list(bar.implementing_departments.values_list("code", flat=True)) == ["czj"]
    summary = load_measures_file(write_csv(tmp_path / "v3.csv", [header, [*BAR, "不限"]]),
                                 actor="officer")  # fmt: skip
    assert summary.updated == ("m001",)
    assert not bar.implementing_departments.exists()


def test_the_command_names_the_row_the_column_and_the_current_domains(tmp_path):
    load_measures_file(write_csv(tmp_path / "v1.csv", [HEADER, BAR]), actor="officer")
    path = write_csv(tmp_path / "v2.csv", [HEADER, with_domains(BAR, "")])
    with pytest.raises(CommandError) as refused:
        call_command("measures", "load", str(path), stdout=io.StringIO())
    assert f"第 2 行：{WIDENS}" in str(refused.value)
    assert domain_codes() == ["food_drugs", "tax"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks")
def test_a_blank_is_checked_against_the_domains_a_change_meanwhile_gave_the_measure(
    tmp_path, monkeypatch
):
    """The load holds the list before it checks its file: an officer giving the measure a domain
    while the file is checked waits for the load, rather than have the load, checked against no
    domain, take away the one just given."""
    load_measures_file(write_csv(tmp_path / "v1.csv", [HEADER, with_domains(BAR, "")]),
                       actor="officer")  # fmt: skip
    checked, go, done, failures = threading.Event(), threading.Event(), threading.Event(), []
    current_links = loading._current_links

    def pausing(codes):
        found = current_links(codes)
        checked.set()
        go.wait(timeout=30)
        return found

    monkeypatch.setattr(loading, "_current_links", pausing)
    changed = with_domains([*BAR[:4], "第二版依据", *BAR[5:]], "")
    loader = in_thread(
        lambda: load_measures_file(write_csv(tmp_path / "v2.csv", [HEADER, changed]),
                                   actor="officer"), failures,
    )  # fmt: skip
    assert checked.wait(timeout=30)

    def limit() -> None:
        with transaction.atomic():
            Measure.objects.get(code="m001").domains.add(Domain.objects.get(code="food_drugs"))

    officer = in_thread(limit, failures, done=done)
    until_another_waits(done)
    go.set()
    for thread in (loader, officer):
        thread.join(timeout=30)
    assert not failures
    assert Measure.objects.get(code="m001").legal_basis == "第二版依据"
    assert domain_codes() == ["food_drugs"]
