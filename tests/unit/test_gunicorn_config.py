"""``xinyong serve`` gives gunicorn the request limits the platform needs: a request line up to
gunicorn's ceiling reaches the platform, rather than gunicorn's own HTML 414. Its logs mask
citizen IDs (R14), also those of a gunicorn started directly, with its own logger class."""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from types import SimpleNamespace

import pytest
from django.core.exceptions import ImproperlyConfigured
from gunicorn import SERVER_SOFTWARE
from gunicorn.config import Config
from gunicorn.errors import AppImportError
from gunicorn.glogging import Logger
from gunicorn.http.message import MAX_REQUEST_LINE

from xinyong import deployment
from xinyong.core.protection import CitizenIdLogFilter
from xinyong.deployment import gunicorn_argv
from xinyong.settings import INSECURE_DEFAULT_SECRET_KEY


def _as_gunicorn_reads(argv: list[str]) -> Config:
    """The settings gunicorn takes from the command line (as its application does)."""
    assert argv[1:4] == ["-m", "gunicorn", "xinyong.wsgi:application"]
    config = Config()
    parsed = config.parser().parse_args(argv[3:])
    for name, value in vars(parsed).items():
        if value is not None and name != "args":
            config.set(name.lower(), value)
    return config


def test_the_request_line_may_be_as_long_as_gunicorn_ever_takes():
    config = _as_gunicorn_reads(gunicorn_argv(host="127.0.0.1", port=8000, workers=3))
    assert config.limit_request_line == MAX_REQUEST_LINE == 8190  # gunicorn's default: 4094
    assert config.limit_request_field_size == 8190


def test_the_rest_of_the_command_line_is_as_asked():
    config = _as_gunicorn_reads(gunicorn_argv(host="0.0.0.0", port=9000, workers=5))
    assert (config.bind, config.workers, config.accesslog) == (["0.0.0.0:9000"], 5, "-")


# -- the access log (R14) ------------------------------------------------------------------

CITIZEN_ID = "11010519491231002X"
MASKED_ID = "110105********002X"


def _served_logger(capsys):
    """The logger gunicorn builds from ``xinyong serve``'s command line, writing where the
    command line says (the access log and the error log to the console)."""
    from xinyong.access_log import CitizenIdMaskingLogger

    config = _as_gunicorn_reads(gunicorn_argv(host="127.0.0.1", port=8000, workers=1))
    assert config.logger_class is CitizenIdMaskingLogger
    logger = config.logger_class(config)
    capsys.readouterr()
    return logger


def _access_line(capsys, uri: str, *, referer: str = "-", logger: Logger | None = None) -> str:
    """One request's line in the access log, as gunicorn's worker writes it after answering
    (by default through the logger ``xinyong serve`` runs gunicorn with)."""
    logger = logger or _served_logger(capsys)
    path, _, query = uri.partition("?")
    environ = {
        "REQUEST_METHOD": "GET", "RAW_URI": uri, "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "10.0.0.5", "PATH_INFO": path, "QUERY_STRING": query,
        "HTTP_REFERER": referer, "HTTP_USER_AGENT": "Mozilla/5.0",
    }  # fmt: skip
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("Content-Type", "text/html")])
    request = SimpleNamespace(headers=[("HOST", "xinyong.example"), ("REFERER", referer)])
    logger.access(response, request, environ, dt.timedelta(milliseconds=12))
    return re.sub(r"\[[^]]*\] ", "[time] ", capsys.readouterr().out.strip())


def test_serve_writes_its_access_log_through_the_masking_logger():
    config = _as_gunicorn_reads(gunicorn_argv(host="127.0.0.1", port=8000, workers=1))
    assert config.logger_class.__module__ == "xinyong.access_log"
    assert config.accesslog == "-"


@pytest.mark.parametrize(
    "uri",
    [
        f"/office/queries/?subject={CITIZEN_ID}",
        f"/api/v1/listings/entries?subject={CITIZEN_ID}&limit=20",
        f"/admin/subjects/subject/?q={CITIZEN_ID}",
        f"/admin/autocomplete/?term={CITIZEN_ID}&app_label=subjects",
    ],
)
def test_a_citizen_id_in_the_request_line_and_the_referrer_is_masked(capsys, uri):
    """Gunicorn writes the line itself, past the platform's log filter: the IDs in a query
    string, and in the next request's Referer, are masked there; the rest stays as it was."""
    line = _access_line(capsys, uri, referer=f"https://xinyong.example{uri}")
    assert CITIZEN_ID not in line and CITIZEN_ID[6:14] not in line
    shown = uri.replace(CITIZEN_ID, MASKED_ID)
    assert line == (
        f'10.0.0.5 - - [time] "GET {shown} HTTP/1.1" 200 512 '
        f'"https://xinyong.example{shown}" "Mozilla/5.0"'
    )


@pytest.mark.parametrize(
    ("uri", "shown"),
    [
        # 张三 then the ID, as a browser sends them: the escape's last digit stands before it.
        (f"/admin/subjects/subject/?q=%E5%BC%A0%E4%B8%89{CITIZEN_ID}",
         f"/admin/subjects/subject/?q=%E5%BC%A0%E4%B8%89{MASKED_ID}"),
        # Every digit escaped.
        ("/office/queries/?subject=" + "".join(f"%{ord(c):02X}" for c in CITIZEN_ID),
         "/office/queries/?subject=" + "".join(f"%{ord(c):02X}" for c in "110105")
         + "********" + "".join(f"%{ord(c):02X}" for c in "002X")),
        # Typed in full width (１１０１０５…), escaped as UTF-8: shown masked, in plain digits.
        ("/office/queries/?subject="
         + "".join(f"%{b:02X}" for b in CITIZEN_ID.translate(
             {ord(c): ord(c) + 0xFEE0 for c in "0123456789X"}).encode()),
         f"/office/queries/?subject={MASKED_ID}"),
    ],
)  # fmt: skip
def test_a_citizen_id_hidden_in_percent_escapes_is_masked_too(capsys, uri, shown):
    line = _access_line(capsys, uri)
    assert f'"GET {shown} HTTP/1.1"' in line, line


def test_a_line_without_an_id_is_written_as_it_was(capsys):
    uri = "/office/records/?q=%E6%9D%AD%E5%B7%9E&document=%E6%B5%99%E5%B8%82%E7%9B%91%E7%BD%9A"
    line = _access_line(capsys, uri, referer="https://xinyong.example/office/")
    assert f'"GET {uri} HTTP/1.1"' in line
    assert '"https://xinyong.example/office/"' in line


def test_the_servers_error_log_masks_the_request_it_names(capsys):
    """A worker's error names the request it was handling (gunicorn's own message)."""
    logger = _served_logger(capsys)
    logger.error("Error handling request %s", f"/office/queries/?subject={CITIZEN_ID}")
    try:
        raise ValueError(f"subject {CITIZEN_ID}")
    except ValueError:
        logger.exception("Error handling request /office/queries/?subject=%s", CITIZEN_ID)
    written = capsys.readouterr().err
    assert CITIZEN_ID not in written
    assert written.count(MASKED_ID) == 3


# -- gunicorn started directly (R14) ---------------------------------------------------------


@pytest.fixture
def gunicorn_loggers():
    """Gunicorn's two loggers; the filters a test adds to them are taken off afterwards, as
    the loggers outlive the test in this process."""
    loggers = [logging.getLogger("gunicorn.access"), logging.getLogger("gunicorn.error")]
    before = [list(log.filters) for log in loggers]
    yield loggers
    for log, filters in zip(loggers, before, strict=True):
        log.filters[:] = filters


@pytest.fixture
def under_gunicorn(monkeypatch, gunicorn_loggers, settings, tmp_path):
    """This process as a worker of a gunicorn started directly: gunicorn says so in the
    environment it loads the application in, its worker is the caller, and no ``xinyong serve``
    marker is there. Its data directory is the test's own (``deployment.CHECKED_FILE`` is
    written there)."""
    monkeypatch.setenv("SERVER_SOFTWARE", SERVER_SOFTWARE)
    monkeypatch.setattr(deployment, "_loaded_by_a_gunicorn_worker", lambda: True)
    monkeypatch.delenv(deployment.CHECKED_BY_SERVE, raising=False)
    settings.VAR_DIR = tmp_path
    return gunicorn_loggers


def _own_logger(capsys) -> Logger:
    """The logger of a gunicorn started with its default logger class and ``--access-logfile -``."""
    config = Config()
    config.set("accesslog", "-")
    assert config.logger_class is Logger
    logger = config.logger_class(config)
    capsys.readouterr()
    return logger


def test_gunicorn_with_its_own_logger_class_masks_once_the_application_is_loaded(
    capsys, monkeypatch, under_gunicorn
):
    """wsgi.py puts the masking filter on gunicorn's loggers, once, however often it runs;
    serve's marker left by this worker's parent skips the checks, not the masking."""
    monkeypatch.setenv(deployment.CHECKED_BY_SERVE, deployment.checked_identity(os.getppid()))
    logger = _own_logger(capsys)
    assert f"?subject={CITIZEN_ID}" in _access_line(
        capsys, f"/?subject={CITIZEN_ID}", logger=logger
    )
    deployment.guard_the_served_application()
    deployment.guard_the_served_application()
    for log in under_gunicorn:
        assert sum(isinstance(f, CitizenIdLogFilter) for f in log.filters) == 1, log.name
    uri = f"/office/queries/?subject={CITIZEN_ID}"
    line = _access_line(capsys, uri, referer=f"https://xinyong.example{uri}", logger=logger)
    assert CITIZEN_ID not in line
    shown = uri.replace(CITIZEN_ID, MASKED_ID)
    assert f'"GET {shown} HTTP/1.1" 200 512 "https://xinyong.example{shown}"' in line
    logger.error("Error handling request %s", uri)
    written = capsys.readouterr().err
    assert MASKED_ID in written and CITIZEN_ID not in written


def test_outside_gunicorn_its_loggers_are_left_alone(monkeypatch, gunicorn_loggers):
    monkeypatch.delenv("SERVER_SOFTWARE", raising=False)
    monkeypatch.setenv(deployment.CHECKED_BY_SERVE, deployment.checked_identity(os.getppid()))
    before = [list(log.filters) for log in gunicorn_loggers]
    deployment.guard_the_served_application()
    assert [list(log.filters) for log in gunicorn_loggers] == before


def test_a_worker_refuses_to_load_the_application_with_serves_reason(settings, under_gunicorn):
    """Gunicorn prints the reason of an application that does not load, alone, and stops;
    the masking is in place before, for what the worker logs on its way out."""
    settings.DEBUG, settings.SECRET_KEY = False, INSECURE_DEFAULT_SECRET_KEY
    with pytest.raises(AppImportError, match="SECRET_KEY is not set"):
        deployment.guard_the_served_application()
    for log in under_gunicorn:
        assert sum(isinstance(f, CitizenIdLogFilter) for f in log.filters) == 1, log.name


@pytest.mark.parametrize(
    "marker",
    [
        lambda: "",
        lambda: "yes",
        lambda: str(os.getpid()),
        lambda: str(os.getppid() + 1),
        lambda: str(os.getppid()),
        lambda: f"{os.getppid()}:1",
        lambda: deployment.process_identity(os.getppid()),
        lambda: f"{deployment.process_identity(os.getppid())} {'0' * 64}",
        lambda: "1",
    ],
    ids=[
        "empty",
        "set by hand",
        "this process",
        "another process",
        "the parent's pid alone",
        "the parent's pid, another start",
        "the parent, with no fingerprint",
        "the parent, under another configuration",
        "pid 1, as a container's first process",
    ],
)
def test_a_marker_not_left_by_the_workers_parent_does_not_skip_the_checks(
    settings, monkeypatch, under_gunicorn, marker
):
    """Only ``xinyong serve``, which became this worker's gunicorn, has made the checks: a
    marker copied into another server's environment proves nothing."""
    monkeypatch.setenv(deployment.CHECKED_BY_SERVE, marker())
    settings.DEBUG, settings.SECRET_KEY = False, INSECURE_DEFAULT_SECRET_KEY
    with pytest.raises(AppImportError, match="SECRET_KEY is not set"):
        deployment.guard_the_served_application()


def test_the_workers_that_replace_others_do_not_check_again(settings, monkeypatch, under_gunicorn):
    """A gunicorn started directly: its first worker checks and notes its arbiter; a worker
    that replaces one later (recycled, or killed by a timeout) does not check again, as under
    serve; another arbiter's workers do. (The checks here: the secret key's, no database.)"""
    monkeypatch.setattr(
        deployment, "refuse_to_serve", lambda report: deployment.refuse_default_secret_key()
    )
    settings.DEBUG = False
    deployment.guard_the_served_application()  # checks pass: noted for this arbiter
    checked = settings.VAR_DIR / deployment.CHECKED_FILE
    assert checked.read_text() == deployment.checked_identity(os.getppid())

    def refused():
        raise ImproperlyConfigured("SECRET_KEY is not set")

    monkeypatch.setattr(deployment, "refuse_default_secret_key", refused)  # as a check now would
    deployment.guard_the_served_application()
    # Noted by an earlier arbiter of the same pid, under the same configuration.
    checked.write_text(f"{os.getppid()}:1 {deployment.checks_fingerprint()}")
    with pytest.raises(AppImportError, match="SECRET_KEY is not set"):
        deployment.guard_the_served_application()


def test_a_database_out_of_reach_lets_the_worker_start_unchecked(
    settings, monkeypatch, under_gunicorn, caplog
):
    """A refusal stops gunicorn for good; a database down for a moment must not: the worker
    starts, says so, and notes nothing, so that the next one checks again."""
    from django.db import OperationalError

    def unreachable(report):
        raise OperationalError("connection refused")

    monkeypatch.setattr(deployment, "refuse_to_serve", unreachable)
    with caplog.at_level(logging.ERROR, logger="xinyong.deployment"):
        deployment.guard_the_served_application()
    assert "could not read the database" in caplog.text
    assert not (settings.VAR_DIR / deployment.CHECKED_FILE).exists()


def _request(application) -> tuple[str, bytes]:
    answered = []
    body = application({}, lambda status, headers: answered.append(status))
    return answered[0] if answered else "", b"".join(body)


def test_a_worker_started_with_the_database_out_of_reach_checks_before_it_answers(
    settings, monkeypatch, under_gunicorn, caplog
):
    """R14: unchecked at start (the database down for a moment), the worker makes serve's
    checks at its requests: while the database is still down, or a refusal, it answers 503
    with the reason, never the application (a flapping database would let a request through), until
    the cause is fixed; checks passed, requests reach the application and nothing is checked
    again."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import OperationalError

    outcome = {"now": OperationalError("connection refused")}
    calls = []

    def checks(report):
        calls.append(1)
        if outcome["now"] is not None:
            raise outcome["now"]
        report("a deploy warning")

    monkeypatch.setattr(deployment, "refuse_to_serve", checks)
    with caplog.at_level(logging.ERROR, logger="xinyong.deployment"):
        assert deployment.guard_the_served_application() is False
    assert "could not read the database" in caplog.text

    def served(environ, start_response):
        start_response("200 OK", [])
        return [b"served"]

    application = deployment.CheckedAtFirstRequest(served)
    status, body = _request(application)  # still down: never served unchecked
    assert status.startswith("503") and b"could not read the database" in body
    outcome["now"] = ImproperlyConfigured("Not ready to serve: XINYONG_DATA_KEY opens nothing")
    status, body = _request(application)
    assert status.startswith("503") and "XINYONG_DATA_KEY" in body.decode()
    assert _request(application)[0].startswith("503")  # refused until the cause is fixed
    outcome["now"] = None
    with caplog.at_level(logging.WARNING, logger="xinyong.deployment"):
        assert _request(application) == ("200 OK", b"served")
    assert "a deploy warning" in caplog.text
    before = len(calls)
    assert _request(application) == ("200 OK", b"served")
    assert len(calls) == before  # checked once for good


def test_a_worker_whose_checks_were_made_at_its_start_is_served_as_it_is(
    settings, monkeypatch, under_gunicorn
):
    monkeypatch.setattr(deployment, "refuse_to_serve", lambda report: None)
    assert deployment.guard_the_served_application() is True


def test_of_the_workers_booting_together_one_logs_the_deploy_warnings(
    settings, monkeypatch, under_gunicorn, caplog
):
    """Workers booting at once each make the checks, none having noted its arbiter yet: the one
    that notes it logs what the deploy checks report besides their errors, the others not; a
    worker of a later arbiter logs them again."""
    checked = settings.VAR_DIR / deployment.CHECKED_FILE
    arbiter = deployment.checked_identity(os.getppid())
    noted_meanwhile = True

    def checks(report):
        report("xinyong.W001: HTTPS is off")
        if noted_meanwhile:  # by a sibling worker that passed them while this one checked
            checked.write_text(arbiter)

    monkeypatch.setattr(deployment, "refuse_to_serve", checks)
    with caplog.at_level(logging.WARNING, logger="xinyong.deployment"):
        deployment.guard_the_served_application()
        assert "xinyong.W001" not in caplog.text
        noted_meanwhile = False
        # Noted by an earlier arbiter of the same pid, under the same configuration.
        checked.write_text(f"{os.getppid()}:1 {deployment.checks_fingerprint()}")
        deployment.guard_the_served_application()
    assert caplog.text.count("xinyong.W001") == 1
    assert checked.read_text() == arbiter


def test_an_arbiter_preloading_the_application_checks_each_time_and_notes_nothing(
    settings, monkeypatch, under_gunicorn
):
    """With ``--preload`` gunicorn's arbiter loads the application, before any worker: its
    parent (a shell, systemd, a container's first process) is no arbiter, and whatever it
    passed is not taken as passed by the next gunicorn that parent starts. A refusal there is
    a ``RuntimeError``, which gunicorn prints alone before it exits (status 1), as it prints
    a worker's ``AppImportError``; any other exception, with a traceback."""
    monkeypatch.setattr(deployment, "_loaded_by_a_gunicorn_worker", lambda: False)
    monkeypatch.setattr(
        deployment, "refuse_to_serve", lambda report: deployment.refuse_default_secret_key()
    )
    checked = settings.VAR_DIR / deployment.CHECKED_FILE
    settings.DEBUG = False
    deployment.guard_the_served_application()
    assert not checked.exists()
    checked.write_text(deployment.checked_identity(os.getppid()))  # as noted by a parent's child
    settings.SECRET_KEY = INSECURE_DEFAULT_SECRET_KEY
    with pytest.raises(RuntimeError, match="SECRET_KEY is not set") as refused:
        deployment.guard_the_served_application()
    assert isinstance(refused.value, AppImportError)  # and so for a worker, wherever it loads
    # ``xinyong serve`` made the checks and became this arbiter: they are not made again.
    monkeypatch.setenv(deployment.CHECKED_BY_SERVE, deployment.checked_identity(os.getpid()))
    deployment.guard_the_served_application()


# -- a reload (SIGHUP) or another configuration checks again (R14) ---------------------------

KEY_A = "1:" + "a" * 40
KEY_B = "1:" + "b" * 40


@pytest.fixture
def counted(settings, monkeypatch, under_gunicorn):
    """This worker's checks, counted as they are made (they pass); key A, DEBUG off."""
    made = []
    monkeypatch.setattr(deployment, "refuse_to_serve", lambda report: made.append(1))
    settings.DEBUG, settings.XINYONG_DATA_KEY = False, KEY_A
    return made


def _moved_migrations(monkeypatch, tmp_path, *extra: str) -> None:
    """The subjects app's migrations as files of the same names elsewhere, and ``extra`` too."""
    from django.apps import apps

    subjects = apps.get_app_config("subjects")
    folder = tmp_path / "subjects" / "migrations"
    folder.mkdir(parents=True)
    for name in [*os.listdir(os.path.join(subjects.path, "migrations")), *extra]:
        (folder / name).touch()
    monkeypatch.setattr(subjects, "path", str(folder.parent))


@pytest.mark.parametrize(
    "change",
    [
        lambda settings, monkeypatch, tmp_path: setattr(settings, "XINYONG_DATA_KEY", KEY_B),
        lambda settings, monkeypatch, tmp_path: setattr(settings, "SECRET_KEY", "s" * 50),
        lambda settings, monkeypatch, tmp_path: monkeypatch.setitem(
            settings.DATABASES["default"], "NAME", "another"
        ),
        lambda settings, monkeypatch, tmp_path: monkeypatch.setitem(
            settings.DATABASES["default"], "HOST", "db.example"
        ),
        lambda settings, monkeypatch, tmp_path: setattr(settings, "DEBUG", True),
        lambda settings, monkeypatch, tmp_path: monkeypatch.setenv("XINYONG_LOGIN_THROTTLING", "0"),
        lambda settings, monkeypatch, tmp_path: monkeypatch.setattr(
            deployment, "_installed_version", lambda: "99.0"
        ),
        lambda settings, monkeypatch, tmp_path: _moved_migrations(
            monkeypatch, tmp_path, "0999_new.py"
        ),
    ],
    ids=[
        "data key",
        "secret key",
        "database name",
        "database host",
        "debug",
        "environment",
        "installed version",
        "a migration added",
    ],
)
def test_an_arbiter_noted_under_another_configuration_is_checked_again(
    settings, monkeypatch, tmp_path, counted, change
):
    """``kill -HUP`` keeps gunicorn's arbiter, its pid and its start, and re-reads its
    configuration (``raw_env``: the data key, the database, SECRET_KEY), and the workers it
    forks load the application afresh (new code, new migrations): what the first workers passed
    does not stand for them. What is noted is the arbiter with a fingerprint of what the checks
    depend on, and a worker whose fingerprint differs checks again, and notes it."""
    deployment.guard_the_served_application()
    deployment.guard_the_served_application()  # the same arbiter, the same configuration
    assert len(counted) == 1
    change(settings, monkeypatch, tmp_path)
    deployment.guard_the_served_application()
    assert len(counted) == 2
    deployment.guard_the_served_application()
    assert len(counted) == 2


def test_the_same_migration_files_elsewhere_give_the_same_note(
    settings, monkeypatch, tmp_path, counted
):
    """The migrations are told apart by their files' names, not by where the app lies."""
    deployment.guard_the_served_application()
    noted = (settings.VAR_DIR / deployment.CHECKED_FILE).read_text()
    _moved_migrations(monkeypatch, tmp_path)
    deployment.guard_the_served_application()
    assert len(counted) == 1
    assert (settings.VAR_DIR / deployment.CHECKED_FILE).read_text() == noted


def test_serves_marker_made_under_another_configuration_does_not_skip_the_checks(
    settings, monkeypatch, counted
):
    """``xinyong serve`` leaves the same kind of note for the gunicorn it becomes: reloaded
    under another data key, that gunicorn's workers check again."""
    monkeypatch.setenv(deployment.CHECKED_BY_SERVE, deployment.checked_identity(os.getppid()))
    deployment.guard_the_served_application()
    assert counted == []
    settings.XINYONG_DATA_KEY = KEY_B
    deployment.guard_the_served_application()
    assert len(counted) == 1


def test_the_note_holds_no_secret_in_clear(settings, monkeypatch, counted):
    """Anyone who reads the data directory reads the note: it is a keyed hash of the secrets,
    never the secrets."""
    settings.SECRET_KEY = "the-secret-key-" + "k" * 40
    monkeypatch.setenv("DATABASE_URL", "postgres://xinyong:db-password-xyz@db.example/xinyong")
    deployment.guard_the_served_application()
    noted = (settings.VAR_DIR / deployment.CHECKED_FILE).read_text()
    assert noted.startswith(deployment.process_identity(os.getppid()) + " ")
    for secret in (KEY_A, "a" * 40, settings.SECRET_KEY, "k" * 40, "db-password-xyz"):
        assert secret not in noted


def test_the_process_identity_names_the_boot(monkeypatch, tmp_path):
    """Start times count from the boot: after a reboot with the same boot sequence an arbiter of
    the same pid and start time is another process, told apart by the kernel's boot id. A
    system without one is named by pid and start time alone."""
    booted = tmp_path / "boot_id"
    boot = "25e53b7e-3749-480f-9553-f32472cb181b"
    booted.write_text(f"{boot}\n")
    monkeypatch.setattr(deployment, "BOOT_ID", booted)
    pid = os.getpid()
    identity = deployment.process_identity(pid)
    assert identity.startswith(f"{pid}:") and identity.endswith(f":{boot}")
    booted.write_text("0f7c2b1e-0000-4000-8000-000000000001\n")
    rebooted = deployment.process_identity(pid)
    assert rebooted != identity and rebooted.rsplit(":", 1)[0] == identity.rsplit(":", 1)[0]
    booted.unlink()
    assert deployment.process_identity(pid) == identity.rsplit(":", 1)[0]


def test_an_arbiter_preloading_the_application_hands_no_connection_to_its_workers(
    settings, monkeypatch, under_gunicorn
):
    """Under --preload the checks run in the arbiter, whose workers are forked after: a
    connection left open would be shared by all of them, one worker reading another's rows."""
    from django.db import connections

    closed = []
    monkeypatch.setattr(deployment, "_loaded_by_a_gunicorn_worker", lambda: False)
    monkeypatch.setattr(deployment, "refuse_to_serve", lambda report: None)
    monkeypatch.setattr(connections, "close_all", lambda: closed.append(True))
    assert deployment.guard_the_served_application() is True
    assert closed == [True]
