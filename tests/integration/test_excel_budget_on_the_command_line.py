"""The operator's command-line paths read a workbook only within the cell budget an upload is
held to (R14 secure by default; R11: one file must not stop the process that reads it).

A workbook of two cells far apart (A1 and XFD1048576, about 1.6 KB) is read by python-calamine
as the whole rectangle between them, 550 GB. These tests never let this process read one: the
in-process reader is replaced by a tripwire, so that a missing guard fails the test instead of
allocating the grid; the guard itself measures in its own capped child process.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import DepartmentFactory, ScenarioFactory
from xinyong.audit.models import AuditEntry
from xinyong.catalog.importers.excel import MAX_CELLS
from xinyong.core import tables
from xinyong.core.errors import XinyongError
from xinyong.measures.loading import load_measures_file
from xinyong.measures.models import Measure, ScreeningJob

pytestmark = pytest.mark.django_db
openpyxl = pytest.importorskip("openpyxl")
SCENARIO = "government_procurement"


class ReadWithoutGuard(BaseException):
    """Raised by the tripwire: not an Exception, so that no handler on the way swallows it."""


@pytest.fixture
def tripwire(monkeypatch):
    """The in-process workbook reader, replaced: reaching it fails the test at once."""

    def read(path):
        raise ReadWithoutGuard(f"{path} was read in process before its cells were counted")

    monkeypatch.setattr(tables, "_excel_rows", read)


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


def far_apart(path, header="code"):
    """A real workbook of two cells, A1 and XFD1048576 (openpyxl keeps cells by position and
    writes only those two)."""
    book = openpyxl.Workbook()
    book.active["A1"] = header
    book.active["XFD1048576"] = "x"
    book.save(path)
    assert path.stat().st_size < 10_000  # a few KB on disk, 550 GB once read
    return path


def screen(source, out):
    call_command("screen", str(source), "-o", str(out), "--scenario", SCENARIO,
                 "--department", "czj", "--no-progress", stdout=io.StringIO())  # fmt: skip


@pytest.fixture
def finance():
    ScenarioFactory(code=SCENARIO, name="政府采购")
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


def test_screen_refuses_a_workbook_of_far_apart_cells_before_reading_it(
    tmp_path, finance, tripwire
):
    source = far_apart(tmp_path / "far.xlsx")
    with pytest.raises(CommandError) as refused:
        screen(source, tmp_path / "out.csv")
    said = str(refused.value)
    assert said.startswith("excel-too-many-cells: ")
    assert f"{MAX_CELLS:,}" in said and "CSV" in said
    # Refused before the department's system account is made or a job registered.
    assert not ScreeningJob.objects.exists() and not AuditEntry.objects.exists()
    assert not (tmp_path / "out.csv").exists()


def test_screen_still_reads_a_workbook_within_the_budget(tmp_path, finance):
    book = openpyxl.Workbook()
    book.active.append(["code"])
    book.active.append(["bad"])
    book.save(tmp_path / "in.xlsx")
    screen(tmp_path / "in.xlsx", tmp_path / "out.csv")
    job = ScreeningJob.objects.get()
    assert (job.status, job.rows, job.invalid) == ("done", 1, 1)


def test_measures_load_refuses_a_workbook_of_far_apart_cells_before_reading_it(tmp_path, tripwire):
    source = far_apart(tmp_path / "清单.xlsx", header="序号")
    with pytest.raises(XinyongError) as refused:
        load_measures_file(source, actor="officer")
    assert (refused.value.code, refused.value.status) == ("excel-too-many-cells", 422)
    assert f"{MAX_CELLS:,}" in refused.value.message and "CSV" in refused.value.message
    with pytest.raises(CommandError, match=r"^excel-too-many-cells: "):
        call_command("measures", "load", str(source))
    assert not Measure.objects.exists() and not AuditEntry.objects.exists()


def test_a_missing_file_is_still_said_to_be_missing(tmp_path):
    """The guard is for workbooks that exist: a missing one is refused as before, by name."""
    with pytest.raises(XinyongError) as refused:
        load_measures_file(tmp_path / "无此文件.xlsx", actor="officer")
    assert refused.value.code == "file-unreadable" and "无此文件.xlsx" in refused.value.message
