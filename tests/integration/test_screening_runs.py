"""Where the command line may write a screening's result: never over its input, never among
the platform's own files, only where it can be written, all refused before anything is read
(item 6; R14)."""

import datetime as dt
import io
import os

import pytest
from django.core.management import CommandError, call_command

from tests.check_clients import client_for
from tests.factories import (
    DepartmentFactory,
    ListEntryFactory,
    ScenarioFactory,
    SubjectFactory,
    UserFactory,
)
from xinyong.audit.models import AuditEntry
from xinyong.listings.models import ListKind
from xinyong.measures import screening_jobs
from xinyong.measures.models import ScreeningJob

pytestmark = pytest.mark.django_db
SCENARIO = "government_procurement"
LONG_AGO = dt.timedelta(hours=2)


@pytest.fixture
def finance():
    ScenarioFactory(code=SCENARIO, name="政府采购")
    return DepartmentFactory(implementing=True, code="czj", name="财政局")


@pytest.fixture(autouse=True)
def _var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def source(tmp_path):
    """A file naming a black-listed person and two unknown codes."""
    person = SubjectFactory(natural_person=True)
    ListEntryFactory(subject=person, effective=True, list__kind=ListKind.BLACK)
    path = tmp_path / "in.csv"
    path.write_text(f"code\n{person.reveal_identifier()}\n123\n456\n", encoding="utf-8")
    return path


def _api_job(source, finance) -> ScreeningJob:
    return screening_jobs.register(
        user=UserFactory(), department=finance, scenario=SCENARIO, input_path=source,
        output_path=source.with_name("out.csv"),
    )  # fmt: skip


def _sweep() -> list[ScreeningJob]:
    return screening_jobs.run_pending()


def _runs(job) -> list[dict]:
    return [row.after for row in AuditEntry.objects.filter(action="screening.run",
                                                           object_id=str(job.pk))]  # fmt: skip


def _files(tmp_path) -> list[str]:
    return sorted(path.name for path in tmp_path.iterdir() if path.is_file())


def _screen(source, out):
    call_command("screen", str(source), "-o", str(out), "--scenario", SCENARIO,
                 "--department", "czj", "--no-progress", stdout=io.StringIO())  # fmt: skip


# -- where the command line may write ----------------------------------------------------------


def _links(tmp_path, source):
    (tmp_path / "sub").mkdir()
    os.link(source, tmp_path / "hard.csv")
    (tmp_path / "soft.csv").symlink_to(source)
    return [source, tmp_path / "sub" / ".." / "in.csv", tmp_path / "hard.csv",
            tmp_path / "soft.csv"]  # fmt: skip


def test_the_output_may_not_be_the_input(tmp_path, source, finance):
    """Written over its input, the caller's file was lost and the job's input named the
    result: refused before anything is read, whatever the path names the input by."""
    before = source.read_bytes()
    for same in _links(tmp_path, source):
        with pytest.raises(CommandError, match="结果文件不能与输入文件相同"):
            _screen(source, same)
    assert source.read_bytes() == before
    assert not ScreeningJob.objects.exists()


def test_the_output_may_not_go_among_the_platforms_screening_files(settings, source, finance):
    screenings = screening_jobs.screenings_dir()
    with pytest.raises(CommandError, match="平台自用的核查文件目录"):
        _screen(source, screenings / "mine.csv")
    assert not list(screenings.iterdir()) and not ScreeningJob.objects.exists()


@pytest.mark.parametrize(
    ("where", "said"),
    [("missing/out.csv", "结果文件所在的目录不存在"), ("folder", "结果文件路径是一个目录")],
)
def test_an_output_that_cannot_be_written_is_refused_before_the_run(
    tmp_path, source, finance, where, said
):
    """Found at the end, it cost the whole run and ended in a traceback in English."""
    (tmp_path / "folder").mkdir()
    with pytest.raises(CommandError, match=said) as refused:
        _screen(source, tmp_path / where)
    assert where in str(refused.value)  # the operator's own path, to find the mistake
    assert not ScreeningJob.objects.exists()


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into any folder")
def test_an_output_in_a_read_only_folder_is_refused_before_the_run(tmp_path, source, finance):
    folder = tmp_path / "read-only"
    folder.mkdir(mode=0o500)
    with pytest.raises(CommandError, match="结果文件所在的目录不可写入"):
        _screen(source, folder / "out.csv")
    assert not ScreeningJob.objects.exists()


def test_an_api_job_whose_output_cannot_be_written_fails_naming_no_path(source, finance):
    """The API's job fails at once with the reason, which names none of the server's paths."""
    job = _api_job(source, finance)
    ScreeningJob.objects.filter(pk=job.pk).update(output_path=str(source.parent / "gone" / "o.csv"))
    ran, report = screening_jobs.run_job(job.pk)
    assert report is None and ran.status == ScreeningJob.Status.FAILED
    said = client_for(finance, [SCENARIO]).get(f"/api/v1/screenings/{job.pk}").json()
    assert said["error"] == "screening-output-folder-missing: 结果文件所在的目录不存在"
