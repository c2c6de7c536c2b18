"""Checks made where requests are served, not where offline commands run, and the command line
of the server that serves them."""

import fcntl
import hashlib
import hmac
import importlib.metadata
import json
import logging
import os
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from xinyong.settings import INSECURE_DEFAULT_SECRET_KEY

logger = logging.getLogger(__name__)


def refuse_default_secret_key() -> None:
    """Serving with the built-in key is refused unless DEBUG is on: sessions would be forgeable.

    Called before serving (``refuse_to_serve``), not with the settings, so that ``xinyong ids
    check`` and the other offline commands work on a machine that has no key configured.
    """
    if not settings.DEBUG and settings.SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (DEBUG is off, so the built-in "
            "development key is refused)."
        )


PACKAGE = Path(__file__).resolve().parent


def unready_install() -> list[str]:
    """What an install or an upgrade has left undone, each as the step that does it.

    An upgrade is more than new code: the database must be migrated, the translations compiled
    (they are not kept in git: a pulled ``.po`` leaves the old compiled ``.mo``, and the pages
    show English for every new message) and the static files collected (the manifest storage
    answers every page with an error for a file it does not know, and serves the old copy of
    one that changed). Each is checked here before a request is served.

    And the data key must open the identifiers stored (R14): under another key the server
    would find no one by an ID, record a person a second time, and fail the pages that show
    one (``subjects.protection.stored_key_refusal``). Asked once the database is migrated.
    """
    from xinyong.subjects.protection import stored_key_refusal

    undone = []
    if _pending_migrations():
        undone.append("the database is not migrated: run `xinyong migrate`")
    elif refusal := stored_key_refusal():
        undone.append(f"the data key does not open the stored identifiers: {refusal.rstrip('.')}")
    stale = _stale_translations()
    if stale:
        undone.append(
            f"translations not compiled or older than their source ({', '.join(stale)}):"
            f" run `make messages` in a checkout, or `django-admin compilemessages` in {PACKAGE}"
        )
    # With DEBUG on, static files are served from the apps as they are, with no manifest.
    uncollected = [] if settings.DEBUG else _uncollected_static()
    if uncollected:
        undone.append(
            f"static files not collected or changed since ({', '.join(uncollected)}):"
            " run `xinyong collectstatic --no-input`"
        )
    return undone


def refuse_an_unready_install() -> None:
    """Serving is refused while an install or upgrade step is undone (``unready_install``)."""
    undone = unready_install()
    if undone:
        raise ImproperlyConfigured("Not ready to serve: " + "; ".join(undone) + ".")


# Reported by ``xinyong serve``, not refused: a data key derived from SECRET_KEY opens what it
# sealed for as long as SECRET_KEY is kept, and ``stored_key_refusal`` refuses the day it is
# not. ``make demo`` serves so, and so does an install made before XINYONG_DATA_KEY existed,
# whose identifiers are sealed under it.
SERVED_DESPITE = frozenset({"subjects.E001"})


def failing_deploy_checks() -> tuple[list[str], list[str]]:
    """What ``xinyong check --deploy`` reports, as (errors that refuse serving, the rest).

    None with DEBUG on: a developer's server is no deployment. A weak data key, log-in
    throttling turned off (R14) and the like fail every request that needs them, or leave the
    platform open to guessing, from the first request on; ``check --deploy`` is the
    documented test, and one not run before a start is no test.
    """
    if settings.DEBUG:
        return [], []
    found = sorted(
        (m for m in checks.run_checks(include_deployment_checks=True) if not m.is_silenced()),
        key=lambda m: (-m.level, m.id or ""),
    )
    refused = [m for m in found if m.is_serious(checks.ERROR) and m.id not in SERVED_DESPITE]
    return [str(m) for m in refused], [str(m) for m in found if m not in refused]


def refuse_failing_deploy_checks(report: Callable[[str], None]) -> None:
    """Serving is refused while a deploy check reports an error (``failing_deploy_checks``);
    what it reports besides is passed to ``report``, one message at a time."""
    refused, reported = failing_deploy_checks()
    for message in reported:
        report(message)
    if refused:
        raise ImproperlyConfigured(
            "Not ready to serve: `xinyong check --deploy` reports errors:\n" + "\n".join(refused)
        )


def refuse_to_serve(report: Callable[[str], None]) -> None:
    """Every refusal made before requests are served, in this order: the built-in secret key,
    an install or upgrade step undone (the data key proven against the stored IDs, R14), a
    deploy check failing (what it reports besides is passed to ``report``)."""
    refuse_default_secret_key()
    refuse_an_unready_install()
    refuse_failing_deploy_checks(report=report)


# ``xinyong serve`` makes those checks, then becomes gunicorn's arbiter (``os.execv``: the same
# process, the same pid) and leaves under this name in the environment its identity with the
# fingerprint of what it checked (``checked_identity``): the workers the arbiter forks, whose
# parent it is, load the application without making them again while what they load is what
# serve checked. The identity is the pid with the process's start time and the boot
# (``process_identity``): a marker copied into another server's environment, or set by hand,
# names no process that is that server's parent, not even pid 1 of another container, and skips
# nothing.
CHECKED_BY_SERVE = "XINYONG_CHECKED_BY_SERVE"
# A gunicorn started directly has no serve to check for it: its first workers check, and the
# first of them to pass writes its arbiter's ``checked_identity`` here, so that the workers that
# replace others later (recycled after --max-requests, killed by a timeout) do not check again,
# as under serve, and that the workers booting with it do not log the deploy warnings again.
CHECKED_FILE = "served-checks"
# The kernel's id of the running boot, drawn anew at each: a process's start time counts from
# the boot, and a machine booting the same way twice may start its server at the same tick
# under the same pid.
BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
# What settings.py reads from the environment besides the XINYONG_ variables.
READ_BY_THE_SETTINGS = frozenset({"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DATABASE_URL"})


def process_identity(pid: int) -> str | None:
    """``pid:start time:boot id`` of a live process (Linux: field 22 of ``/proc/<pid>/stat``, in
    clock ticks since boot; ``BOOT_ID``), which no later process with the same pid shares, not
    even after a reboot; ``pid:start time`` where the boot id cannot be read; None where the
    start time cannot, and then nothing is taken as checked."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()  # after the command's name, which may hold spaces
    if len(fields) <= 19:
        return None
    boot = _read(BOOT_ID)
    return f"{pid}:{fields[19]}:{boot}" if boot else f"{pid}:{fields[19]}"


def checked_identity(pid: int) -> str | None:
    """What stands for the checks made for the arbiter ``pid`` (R14): its ``process_identity``
    and the ``checks_fingerprint`` of this process, separated by a space; None where the
    identity cannot be read.

    ``kill -HUP`` keeps gunicorn's arbiter, its pid and its start, re-reads its configuration
    (``raw_env``: the data key, the database, SECRET_KEY may change) and forks workers that load
    the application afresh (new code, new migrations): the arbiter alone would let them serve
    under what no one checked, answering "clear" for a listed person.
    """
    identity = process_identity(pid)
    return None if identity is None else f"{identity} {checks_fingerprint()}"


def checks_fingerprint() -> str:
    """A digest of what ``refuse_to_serve`` depends on, the same in the processes that load the
    same configuration and code, and another where either differs (R14): the data key, SECRET_KEY,
    DEBUG, the database, every variable of the environment the settings read (the deploy checks'
    settings among them), the installed version and the migration files of the installed apps.

    An HMAC keyed with SECRET_KEY: it is written where anyone reading the data directory reads
    it, and names no secret. Made at each worker's boot, so it reads no database and builds no
    migration graph: a migration added is a file added.
    """
    database = settings.DATABASES["default"]
    described = {
        "data key": getattr(settings, "XINYONG_DATA_KEY", ""),
        "development key allowed": getattr(settings, "XINYONG_DEVELOPMENT_KEY_ALLOWED", False),
        "secret key": settings.SECRET_KEY,
        "debug": settings.DEBUG,
        "database": [database.get(k) for k in ("ENGINE", "NAME", "HOST", "PORT", "USER")],
        "environment": sorted(
            (name, value)
            for name, value in os.environ.items()
            if (name.startswith("XINYONG_") or name in READ_BY_THE_SETTINGS)
            and name != CHECKED_BY_SERVE  # set by serve once it has checked, not before
        ),
        "version": _installed_version(),
        "migrations": _migration_files(),
    }
    message = json.dumps(described, sort_keys=True, default=str).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _installed_version() -> str:
    try:
        return importlib.metadata.version("xinyong")
    except importlib.metadata.PackageNotFoundError:  # run from a checkout, not installed
        from xinyong import __version__

        return __version__


def _migration_files() -> list[str]:
    """``app label/file name`` of each file in each installed app's migrations folder."""
    from django.apps import apps

    found = []
    for app in apps.get_app_configs():
        try:
            names = os.listdir(Path(app.path) / "migrations")
        except OSError:  # an app with no migrations
            continue
        found.extend(f"{app.label}/{name}" for name in names if name.endswith(".py"))
    return sorted(found)


def guard_the_served_application() -> bool:
    """What wsgi.py does once a server has loaded the application, in each process that loads
    it (each gunicorn worker as it boots, or gunicorn's arbiter itself under ``--preload``).

    Under gunicorn, its logs mask citizen IDs whatever logger class it was started with (R14).
    Then ``refuse_to_serve``, unless the arbiter is known to have passed the checks under the
    configuration and code this process loaded (``checked_identity``): ``xinyong serve`` made
    them and became it, or an earlier worker of a gunicorn started directly made them
    (``CHECKED_FILE``); a worker forked after a reload (``kill -HUP``) under another data key,
    database or SECRET_KEY, or with other code, checks again. A server started without serve (a
    systemd unit's or a container's own command line) would otherwise serve under a data key
    that opens nothing, answering "clear" for a listed person and recording people twice.
    Gunicorn is handed a refusal as an application that does not load: it prints the reason
    alone, as serve does, and stops. What the deploy checks report besides their errors is
    logged once for each arbiter, by the worker that notes it as checked, not by each of the
    workers booting with it. A database that cannot be reached is no refusal: the server starts,
    logs it, and serves errors until the database is back, as it did before these checks; a
    gunicorn stopped by it would not come back by itself. Answers False then, and the
    application makes the checks before it answers a request with the database back
    (``CheckedAtFirstRequest``, which wsgi.py puts in front of it); True otherwise.
    """
    under_gunicorn = os.environ.get("SERVER_SOFTWARE", "").startswith("gunicorn/")
    if under_gunicorn:  # its arbiter says so in the environment it loads the application in
        from xinyong.access_log import mask_gunicorn_logs  # imports gunicorn: only under it

        mask_gunicorn_logs()
    # With --preload the arbiter loads the application itself, before it forks any worker: its
    # parent (a shell, systemd, a container's first process) is no arbiter, and noted as one it
    # would skip the checks of every later gunicorn it starts. The arbiter checks at each start.
    preloading = under_gunicorn and not _loaded_by_a_gunicorn_worker()
    arbiter = checked_identity(os.getpid() if preloading else os.getppid())
    checked = Path(settings.VAR_DIR) / CHECKED_FILE
    noted = None if preloading else _read(checked)
    if arbiter is not None and arbiter in (os.environ.get(CHECKED_BY_SERVE), noted):
        return True
    from django.db import DatabaseError

    reported: list[str] = []
    try:
        refuse_to_serve(report=reported.append)
    except ImproperlyConfigured as refused:
        _log_warnings(reported)  # with the refusal, as serve prints them: gunicorn stops
        if not under_gunicorn:
            raise
        raise _gunicorn_refusal(str(refused)) from None
    except DatabaseError as unreachable:
        logger.error(
            "The start-up checks could not read the database (%s): the server starts and "
            "makes them before it answers its first request with the database back.", unreachable,
        )  # fmt: skip
        return False
    finally:
        if preloading:  # the workers forked next must not share the arbiter's connection
            from django.db import connections

            connections.close_all()
    if not under_gunicorn or preloading or arbiter is None or _note_checked(checked, arbiter):
        _log_warnings(reported)
    return True


UNCHECKED = (
    "Not ready to serve: the start-up checks could not read the database yet; retry shortly."
)


class CheckedAtFirstRequest:
    """The application of a process that could not make serve's checks as it loaded it (the
    database out of reach: ``guard_the_served_application`` answered False). Each request makes
    them until they are made (R14: never serve under a data key that opens nothing, however
    long the server runs): while the database is still out of reach, or a refusal, the request
    is answered 503 with the reason and never reaches the application, and the next request
    checks again (an operator may fix the cause without a restart); once they pass, requests go
    straight to the application. Under ``--preload`` every worker forked from the arbiter checks
    for itself, as no note is shared between them."""

    def __init__(self, application: Callable[..., Any]) -> None:
        self.application = application
        self.checked = False
        self._lock = threading.Lock()  # threaded workers: one check at a time

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if not self.checked:
            refusal = self._check()
            if refusal is not None:
                start_response("503 Service Unavailable",
                               [("Content-Type", "text/plain; charset=utf-8"),
                                ("Retry-After", "60")])  # fmt: skip
                return [refusal.encode()]
        return self.application(environ, start_response)

    def _check(self) -> str | None:
        from django.db import DatabaseError

        with self._lock:
            if self.checked:
                return None
            reported: list[str] = []
            try:
                refuse_to_serve(report=reported.append)
            except ImproperlyConfigured as refused:
                _log_warnings(reported)
                logger.error("Refusing requests: %s", refused)
                return str(refused)
            except DatabaseError:  # no request is served unchecked, even one the database
                return UNCHECKED  # would answer by the time it reached the application
            _log_warnings(reported)
            self.checked = True
            return None


def _loaded_by_a_gunicorn_worker() -> bool:
    """Whether a gunicorn worker is loading the application: gunicorn's worker base class, whose
    ``init_process`` every worker class runs and which loads the application, is among the
    callers. It is not in the arbiter, which loads the application itself under --preload."""
    return any(
        frame.f_globals.get("__name__") == "gunicorn.workers.base"
        for frame, _ in traceback.walk_stack(None)
    )


def _gunicorn_refusal(reason: str) -> Exception:
    """A refusal as gunicorn stops on it, printing the reason alone, wherever the application is
    loaded: a worker exits on an ``AppImportError`` (gunicorn's ``Arbiter.spawn_worker``: the
    arbiter then stops, "App failed to load."), and the arbiter, loading it itself under
    --preload, on a ``RuntimeError`` (``BaseApplication.run``: "Error:" and the reason, exit
    status 1). Any other exception is printed with a traceback, in both."""
    from gunicorn.errors import AppImportError

    class RefusedToServe(AppImportError, RuntimeError):
        pass

    return RefusedToServe(reason)


def _note_checked(checked: Path, arbiter: str) -> bool:
    """Notes ``arbiter`` (its ``checked_identity``) as checked in the file ``checked``, unless a
    worker of the same arbiter, under the same configuration and code, did: True when this call
    noted it. The file is locked while it is read and written, as the
    workers booting together pass the checks at nearly the same moment; an unwritable data
    directory notes nothing, and answers True (each worker then checks, and logs)."""
    try:
        with checked.open("a+", encoding="utf-8") as marker:
            fcntl.flock(marker, fcntl.LOCK_EX)  # released as the file is closed
            marker.seek(0)
            if marker.read().strip() == arbiter:
                return False
            marker.seek(0)
            marker.truncate()
            marker.write(arbiter)
    except OSError:
        pass
    return True


def _log_warnings(reported: list[str]) -> None:
    for message in reported:
        logger.warning(message)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return None


def _pending_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


# A compiled catalog counts as older than its source only by more than this: files installed
# together (a wheel writes each ``.mo`` just before its ``.po``) are not out of date, and a pull
# or an edit leaves the ``.po`` minutes or days newer than the last compilation.
STALE_AFTER_SECONDS = 60


def _stale_translations(most: int = 3) -> list[str]:
    """The platform's catalogs (``.po``) with no compiled ``.mo`` beside them, or one compiled
    before the catalog last changed (``STALE_AFTER_SECONDS``)."""
    stale = []
    for folder in map(Path, settings.LOCALE_PATHS):
        for source in sorted(folder.glob("*/LC_MESSAGES/*.po")):
            compiled = source.with_suffix(".mo")
            if (
                not compiled.exists()
                or compiled.stat().st_mtime + STALE_AFTER_SECONDS < source.stat().st_mtime
            ):
                stale.append(str(source.relative_to(folder)))
    return stale[:most]


def _uncollected_static(most: int = 3) -> list[str]:
    """Static files the manifest lacks, or changed after it was written (a pulled file is
    newer than the last ``collectstatic``)."""
    from django.contrib.staticfiles.finders import get_finders

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not manifest.exists():
        return ["staticfiles.json"]
    known = json.loads(manifest.read_text(encoding="utf-8")).get("paths", {})
    written = manifest.stat().st_mtime
    missing = []
    for finder in get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            if path not in known or Path(storage.path(path)).stat().st_mtime > written:
                missing.append(path)
                if len(missing) == most:
                    return missing
    return missing


# gunicorn's own ceilings for what it reads before the platform sees a request. A request line
# (method, target with its query, version) past gunicorn's default of 4094 bytes was answered
# by gunicorn itself with an HTML 414 that an API client cannot read; 8190 is the most
# gunicorn takes (only 0, no limit at all, is more). A header field keeps gunicorn's 8190,
# stated here so that the two are read together.
LIMIT_REQUEST_LINE = 8190
LIMIT_REQUEST_FIELD_SIZE = 8190
# Gunicorn writes its access log itself, past the platform's log filter: this logger masks the
# citizen IDs that query strings and referrers carry (R14; ``xinyong.access_log``).
LOGGER_CLASS = "xinyong.access_log.CitizenIdMaskingLogger"


def gunicorn_argv(*, host: str, port: int, workers: int) -> list[str]:
    """The command line ``xinyong serve`` runs: gunicorn serving the platform's WSGI app."""
    return [
        sys.executable, "-m", "gunicorn", "xinyong.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--access-logfile", "-",
        "--logger-class", LOGGER_CLASS,
        "--limit-request-line", str(LIMIT_REQUEST_LINE),
        "--limit-request-field_size", str(LIMIT_REQUEST_FIELD_SIZE),
    ]  # fmt: skip
