"""A process that reads or writes subjects' identifiers refuses a key that does not open what is
stored (R14): ``xinyong serve`` before it serves, and the commands that use subjects (import,
screen, tick, ids rekey) before they read or write one. Under another key a person is not
found, an import records them a second time, and what it seals the server cannot open.

``xinyong serve`` with DEBUG off also refuses to start when the deploy checks report an error.
So does the WSGI application when a server loads it (gunicorn started directly, wsgi.py), unless
``xinyong serve`` has just made the same checks and become that server.
"""

import io
import logging
import os

import pytest
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from tests.factories import SubjectFactory
from xinyong import deployment
from xinyong.settings import INSECURE_DEFAULT_SECRET_KEY
from xinyong.subjects.models import Subject
from xinyong.subjects.protection import require_the_data_key, stored_key_refusal

pytestmark = pytest.mark.django_db

KEY_A = "1:" + "a" * 40  # the key the subjects are stored under, as the server has it
KEY_B = "1:" + "b" * 40  # another key: a shell or a cron job set up apart from the server
REFUSED = "XINYONG_DATA_KEY"  # the refusal names the setting to fix


@pytest.fixture
def stored(settings):
    """An organisation, then a person sealed under key A."""
    settings.XINYONG_DATA_KEY = KEY_A
    SubjectFactory()
    return SubjectFactory(natural_person=True)


@pytest.fixture
def served(monkeypatch):
    """``xinyong serve`` run to the point where it would become gunicorn: the command line it
    would run is recorded instead. The translations and static files count as ready here
    (their own tests are in test_unready_install)."""
    monkeypatch.setattr(deployment, "_stale_translations", lambda: [])
    monkeypatch.setattr(deployment, "_uncollected_static", lambda: [])
    started = []
    monkeypatch.setattr(os, "execv", lambda path, argv: started.append(argv))
    # Serve leaves its marker in its environment for the gunicorn it becomes; here that is
    # this process's, which the marker leaves with the test.
    monkeypatch.setenv(deployment.CHECKED_BY_SERVE, "")

    def serve() -> tuple[bool, str]:
        err = io.StringIO()
        call_command("serve", "--port", "1", "--workers", "1", stdout=io.StringIO(), stderr=err)
        return bool(started), err.getvalue()

    return serve


def test_an_empty_database_passes_under_any_key_or_none(settings):
    settings.XINYONG_DATA_KEY = KEY_B
    assert stored_key_refusal() == ""
    with override_settings(
        XINYONG_DATA_KEY="", SECRET_KEY=INSECURE_DEFAULT_SECRET_KEY, DEBUG=False,
        XINYONG_DEVELOPMENT_KEY_ALLOWED=False,
    ):  # fmt: skip
        assert stored_key_refusal() == ""
        require_the_data_key()


def test_key_b_is_refused_and_key_a_passes(stored, settings):
    settings.XINYONG_DATA_KEY = KEY_B
    refusal = stored_key_refusal()
    assert REFUSED in refusal and "does not open" in refusal
    with pytest.raises(CommandError, match=REFUSED):
        require_the_data_key()
    settings.XINYONG_DATA_KEY = KEY_A
    assert stored_key_refusal() == ""
    require_the_data_key()


@pytest.mark.parametrize("damaged", ["v1:AAAA", "v1:AAAAAAAA", "v1:AAAAAAAAAAAA", "v1:AAAAA"])
def test_a_damaged_ciphertext_is_named_as_damaged_not_as_a_wrong_key(stored, damaged):
    """A person's stored ciphertext cut short or edited by hand: the proof refuses, with no
    traceback, and says the row is damaged; it does not send the operator to change a key that
    may well be right (R14)."""
    Subject.objects.filter(pk=stored.pk).update(identifier_sealed=damaged)
    refusal = stored_key_refusal()
    assert "damaged" in refusal and stored.identifier_digest[:12] in refusal
    assert "This process's key is not the one" not in refusal
    with pytest.raises(CommandError, match="cannot be read"):
        require_the_data_key()


def test_organisations_alone_prove_the_key_by_their_digests(settings):
    settings.XINYONG_DATA_KEY = KEY_A
    SubjectFactory()
    settings.XINYONG_DATA_KEY = KEY_B
    assert "look-up hash" in stored_key_refusal()


def test_a_person_between_organisations_proves_the_key_that_seals(settings):
    """The person is neither the oldest nor the newest subject: their ciphertext is read."""
    settings.XINYONG_DATA_KEY = "1:" + "a" * 40 + ",2:" + "c" * 40  # version 2 seals
    SubjectFactory()
    person = SubjectFactory(natural_person=True)
    SubjectFactory()
    # The same look-up key, but version 2 is another secret than the one the person's sealed.
    settings.XINYONG_DATA_KEY = "1:" + "a" * 40 + ",2:" + "d" * 40
    assert "does not open" in stored_key_refusal()
    settings.XINYONG_DATA_KEY = "1:" + "a" * 40 + ",2:" + "c" * 40
    assert stored_key_refusal() == "" and person.reveal_identifier()


def test_the_proof_is_three_reads_of_a_row(stored):
    with CaptureQueriesContext(connection) as queries:
        assert stored_key_refusal() == ""
    assert len(queries) <= 3
    assert all("LIMIT 1" in query["sql"].upper() for query in queries.captured_queries)


def test_a_malformed_or_missing_key_is_refused_once_something_is_stored(stored, settings):
    settings.XINYONG_DATA_KEY = "abc"
    assert "XINYONG_DATA_KEY is malformed" in stored_key_refusal()
    with override_settings(
        XINYONG_DATA_KEY="", SECRET_KEY=INSECURE_DEFAULT_SECRET_KEY, DEBUG=False,
        XINYONG_DEVELOPMENT_KEY_ALLOWED=False,
    ):  # fmt: skip
        assert "Neither XINYONG_DATA_KEY nor SECRET_KEY is set" in stored_key_refusal()


def test_import_under_key_b_is_refused_and_records_no_one(stored, settings, tmp_path):
    settings.XINYONG_DATA_KEY = KEY_B
    before = Subject.objects.count()
    with pytest.raises(CommandError, match=REFUSED):
        call_command("import", "penalties", str(tmp_path / "p.csv"), "--no-progress")
    assert Subject.objects.count() == before


def test_screen_under_key_b_is_refused(stored, settings, tmp_path):
    settings.XINYONG_DATA_KEY = KEY_B
    with pytest.raises(CommandError, match=REFUSED):
        call_command("screen", str(tmp_path / "in.csv"), "-o", str(tmp_path / "out.csv"),
                     "--scenario", "x", "--department", "x")  # fmt: skip
    with pytest.raises(CommandError, match=REFUSED):
        call_command("screen", "--run-pending", stdout=io.StringIO())


def test_tick_under_key_b_is_refused_and_under_key_a_runs(stored, settings):
    settings.XINYONG_DATA_KEY = KEY_B
    with pytest.raises(CommandError, match=REFUSED):
        call_command("tick", "--date", "2026-11-01", stdout=io.StringIO())
    settings.XINYONG_DATA_KEY = KEY_A
    call_command("tick", "--date", "2026-11-01", stdout=io.StringIO())


def test_audit_queries_by_subject_and_demo_under_key_b_are_refused(stored, settings):
    """``audit queries --subject`` would find no one under another key and report "none"; the
    demo would add subjects the server cannot open. A demo reset removes what the other key
    sealed, so it is not refused."""
    settings.XINYONG_DATA_KEY = KEY_B
    with pytest.raises(CommandError, match=REFUSED):
        call_command("audit", "queries", "--subject", "91330106000000019W", stdout=io.StringIO())
    before = Subject.objects.count()
    with pytest.raises(CommandError, match=REFUSED):
        call_command("demo", "--subjects", "300", stdout=io.StringIO())
    assert Subject.objects.count() == before


def test_rekey_under_key_b_is_refused_and_changes_nothing(stored, settings):
    sealed = stored.identifier_sealed
    settings.XINYONG_DATA_KEY = KEY_B
    with pytest.raises(CommandError, match=REFUSED):
        call_command("ids", "rekey", stdout=io.StringIO())
    stored.refresh_from_db()
    assert stored.identifier_sealed == sealed


def test_rekey_takes_a_look_up_key_retired_on_purpose(settings):
    """The oldest version removed after a first rekey: every ciphertext opens, the look-up
    hashes differ; ``ids rekey`` computes them again, which the other commands wait for."""
    old, new = "1:" + "o" * 40, "2:" + "n" * 40
    settings.XINYONG_DATA_KEY = old
    person = SubjectFactory(natural_person=True)
    settings.XINYONG_DATA_KEY = f"{new},{old}"
    call_command("ids", "rekey", stdout=io.StringIO())
    settings.XINYONG_DATA_KEY = new
    assert "ids rekey" in stored_key_refusal()
    with pytest.raises(CommandError, match=REFUSED):
        call_command("tick", "--date", "2026-11-01", stdout=io.StringIO())
    call_command("ids", "rekey", stdout=io.StringIO())
    assert stored_key_refusal() == ""
    person.refresh_from_db()
    assert Subject.objects.identified_by(person.reveal_identifier()).get() == person


def test_the_deploy_checks_report_a_key_that_does_not_open_what_is_stored(stored, settings):
    found = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert "subjects.E003" not in found
    settings.XINYONG_DATA_KEY = KEY_B
    found = [m for m in checks.run_checks(include_deployment_checks=True)]
    (message,) = [m for m in found if m.id == "subjects.E003"]
    assert REFUSED in message.msg
    settings.XINYONG_DATA_KEY = "abc"  # malformed: subjects.E002 says so, once
    found = {m.id for m in checks.run_checks(include_deployment_checks=True)}
    assert "subjects.E002" in found and "subjects.E003" not in found


def test_serve_under_key_b_is_refused_before_it_starts(stored, settings, served):
    settings.XINYONG_DATA_KEY = KEY_B
    assert any(
        step.startswith("the data key does not open the stored identifiers")
        for step in deployment.unready_install()
    )
    with pytest.raises(CommandError, match=REFUSED) as refused:
        served()
    assert "Not ready to serve" in str(refused.value)
    settings.DEBUG = True  # a developer's server is refused too: the data would split the same
    with pytest.raises(CommandError, match=REFUSED):
        served()


def test_serve_under_key_a_starts(stored, served):
    assert served()[0]


def test_serve_with_a_weak_data_key_is_refused(settings, served):
    settings.SECRET_KEY, settings.XINYONG_DATA_KEY = "x", "abc"
    with pytest.raises(CommandError, match=r"subjects\.E002") as refused:
        served()
    assert "XINYONG_DATA_KEY is malformed" in str(refused.value)


def test_serve_with_log_in_throttling_off_is_refused(settings, served):
    settings.XINYONG_DATA_KEY, settings.AXES_ENABLED = KEY_A, False
    with pytest.raises(CommandError, match=r"xinyong\.E001"):
        served()


def test_serve_prints_the_deploy_warnings_and_starts(settings, served):
    """Warnings are shown, not refused; so is a data key derived from SECRET_KEY (subjects.E001),
    which opens what it sealed for as long as SECRET_KEY is kept (as ``make demo`` serves)."""
    settings.XINYONG_DATA_KEY, settings.SECURE_HTTPS = "", False
    started, err = served()
    assert started
    assert "xinyong.W001" in err and "subjects.E001" in err


def test_serve_with_debug_on_runs_no_deploy_check(settings, served):
    settings.DEBUG, settings.SECRET_KEY, settings.XINYONG_DATA_KEY = True, "x", "abc"
    settings.AXES_ENABLED = False
    started, err = served()
    assert started and "subjects.E002" not in err


# -- the WSGI application, as a server loads it (wsgi.py) ----------------------------------


def test_loading_the_application_under_key_b_is_refused_in_serves_words(stored, settings, served):
    """A server started without ``xinyong serve`` (gunicorn's own command line, a container's
    CMD) would answer "clear" for a listed person and record people twice (R14)."""
    settings.XINYONG_DATA_KEY = KEY_B
    with pytest.raises(CommandError) as by_serve:
        served()
    with pytest.raises(ImproperlyConfigured) as on_loading:
        deployment.guard_the_served_application()
    assert str(on_loading.value) == str(by_serve.value)
    assert REFUSED in str(on_loading.value) and "Not ready to serve" in str(on_loading.value)


def test_loading_the_application_with_a_failing_deploy_check_is_refused(settings, served):
    settings.SECRET_KEY, settings.XINYONG_DATA_KEY = "x", "abc"
    with pytest.raises(ImproperlyConfigured, match=r"subjects\.E002"):
        deployment.guard_the_served_application()
    settings.XINYONG_DATA_KEY, settings.AXES_ENABLED = KEY_A, False
    with pytest.raises(ImproperlyConfigured, match=r"xinyong\.E001"):
        deployment.guard_the_served_application()


def test_loading_the_application_logs_the_deploy_warnings(settings, served, caplog):
    settings.XINYONG_DATA_KEY, settings.SECURE_HTTPS = "", False
    with caplog.at_level(logging.WARNING):
        deployment.guard_the_served_application()
    logged = caplog.text
    assert "xinyong.W001" in logged and "subjects.E001" in logged


def test_the_workers_of_the_gunicorn_serve_becomes_do_not_check_again(
    stored, settings, served, monkeypatch
):
    """Serve has checked, in the process that becomes gunicorn's arbiter (the same pid): its
    workers load the application without the database reads and the deploy checks again."""
    assert served()[0]
    assert os.environ[deployment.CHECKED_BY_SERVE] == deployment.checked_identity(os.getpid())
    with CaptureQueriesContext(connection) as queries:
        deployment.guard_the_served_application()  # a process serve did not become the parent of
    assert len(queries) > 0  # the checks, made
    monkeypatch.setattr(os, "getppid", os.getpid)  # a worker: its parent is the arbiter
    with CaptureQueriesContext(connection) as queries:
        deployment.guard_the_served_application()
    assert len(queries) == 0
    # Reloaded (``kill -HUP``) under another data key, what serve would have refused: checked.
    settings.XINYONG_DATA_KEY = KEY_B
    with pytest.raises(ImproperlyConfigured, match=REFUSED):
        deployment.guard_the_served_application()
