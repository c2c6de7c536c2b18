"""The commands as an operator runs them, in a process of their own: under a data key that does
not open the identifiers stored (R14), ``serve``, ``import``, ``screen``, ``tick`` and
``ids rekey`` exit with status 1 and the reason naming XINYONG_DATA_KEY, with no traceback and
nothing written; ``serve`` with a weak data key is refused by the deploy checks. A gunicorn
started directly on the platform's WSGI application refuses to start in the same words, its
workers loading the application or, with ``--preload``, itself; started, it logs the deploy
checks' warnings once; reloaded (``kill -HUP``) under another key, it checks again and stops."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.data.ingest import samples

XINYONG = str(Path(sys.executable).with_name("xinyong"))
KEY_A = "a" * 40  # the key the server has, and the stored person was sealed under
KEY_B = "b" * 40
STORE_A_PERSON = (
    "from xinyong.subjects.models import Subject, SubjectKind;"
    " Subject.objects.create(kind=SubjectKind.NATURAL_PERSON, name='张三',"
    " identifier='11010519491231002X')"
)
COUNT_SUBJECTS = "from xinyong.subjects.models import Subject; print(Subject.objects.count())"


@pytest.fixture(scope="module")
def install(tmp_path_factory):
    """A migrated install, its static files collected, with one person stored under key A."""
    folder = tmp_path_factory.mktemp("install")
    drop = {
        "DJANGO_SETTINGS_MODULE",
        "XINYONG_DEBUG",
        "XINYONG_DATA_KEY",
        "SECRET_KEY",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    }  # lifted by the browser tests: serve would refuse it
    env = {
        **{k: v for k, v in os.environ.items() if k not in drop},
        "SECRET_KEY": "data-key-guard-" + "s" * 40,
        "XINYONG_DATA_KEY": KEY_A,
        "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
        "XINYONG_VAR_DIR": str(folder),
    }
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"],
                    ["shell", "-c", STORE_A_PERSON]):  # fmt: skip
        subprocess.run([XINYONG, *command], env=env, check=True, cwd=folder)
    return folder, env


def run(install, *command: str, **env: str) -> subprocess.CompletedProcess:
    folder, base = install
    return subprocess.run(
        [XINYONG, *command], env={**base, **env}, cwd=folder, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip


def refused(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    return result.stderr


@pytest.mark.parametrize(
    "command",
    [
        ["serve", "--port", "1", "--workers", "1"],
        ["import", "penalties", "penalties.csv", "--no-progress"],
        ["screen", "in.csv", "-o", "out.csv", "--scenario", "x", "--department", "x"],
        ["tick"],
        ["ids", "rekey"],
    ],
    ids=lambda command: command[0],
)
def test_under_another_key_the_command_is_refused_with_its_reason(install, command):
    folder, _ = install
    samples.write_csv(folder / "penalties.csv", samples.PENALTY_FIELDS,
                      [samples.penalty(1, person=True)])  # fmt: skip
    said = refused(run(install, *command, XINYONG_DATA_KEY=KEY_B))
    assert "XINYONG_DATA_KEY" in said and "does not open" in said
    assert run(install, "shell", "-c", COUNT_SUBJECTS).stdout.splitlines()[-1] == "1"


def test_serve_with_a_weak_data_key_is_refused(install):
    said = refused(run(install, "serve", "--port", "1", SECRET_KEY="x", XINYONG_DATA_KEY="abc"))
    assert "XINYONG_DATA_KEY is malformed" in said


def test_under_the_servers_key_the_commands_run(install):
    result = run(install, "ids", "rekey")
    assert result.returncode == 0, result.stderr
    assert "1 subjects, 0 changed" in result.stdout


def test_gunicorn_started_directly_under_another_key_refuses_to_start(install):
    """Its worker refuses to load the application with ``serve``'s reason, and gunicorn stops
    ("App failed to load.") rather than start the next worker."""
    folder, base = install
    by_serve = refused(
        run(install, "serve", "--port", "1", "--workers", "1", XINYONG_DATA_KEY=KEY_B)
    )
    reason = by_serve.strip().removeprefix("CommandError: ")
    assert reason.startswith("Not ready to serve") and "XINYONG_DATA_KEY" in reason
    # Port 0: any free one, as the server is not meant to answer.
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "xinyong.wsgi:application",
         "--bind", "127.0.0.1:0", "--workers", "1"],
        env={**base, "XINYONG_DATA_KEY": KEY_B}, cwd=folder, capture_output=True, text=True,
        timeout=60,
    )  # fmt: skip
    assert result.returncode == 4, result.stderr  # gunicorn's APP_LOAD_ERROR
    assert reason in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert run(install, "shell", "-c", COUNT_SUBJECTS).stdout.splitlines()[-1] == "1"


def gunicorn(install, log: str, *options: str, **env: str) -> subprocess.Popen:
    """A gunicorn started directly on the platform's WSGI application, on any free loopback port,
    what it writes to standard error kept in the file ``log``."""
    folder, base = install
    with (folder / log).open("w") as written:
        return subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "xinyong.wsgi:application",
             "--bind", "127.0.0.1:0", *options],
            env={**base, **env}, cwd=folder, stdout=subprocess.DEVNULL, stderr=written,
        )  # fmt: skip


def stopped_once_logged(install, server, log: str, said: str, times: int = 1) -> str:
    """What the server has written to ``log`` once ``said`` is there ``times`` times; the
    server stopped."""
    path = install[0] / log
    try:
        deadline = time.monotonic() + 30
        while path.read_text().count(said) < times and time.monotonic() < deadline:
            assert server.poll() is None, path.read_text()
            time.sleep(0.1)
    finally:
        server.send_signal(signal.SIGQUIT)  # gunicorn's quick shutdown
        server.wait(timeout=10)
    return path.read_text()


def test_gunicorn_preloading_under_another_key_refuses_to_start_without_a_traceback(install):
    """With ``--preload`` the arbiter loads the application itself, before any worker: it
    refuses with serve's reason alone, as a worker does, and exits non-zero."""
    server = gunicorn(install, "preload.log", "--preload", "--workers", "1", XINYONG_DATA_KEY=KEY_B)
    status = server.wait(timeout=60)
    said = (install[0] / "preload.log").read_text()
    assert status != 0, said
    assert "Not ready to serve" in said and "XINYONG_DATA_KEY" in said, said
    assert "Traceback" not in said, said


def test_a_preloading_gunicorn_checks_again_each_time_it_is_started(install):
    """The arbiter that preloads is no worker: what it passed is not taken as passed by the next
    gunicorn its parent (a shell, systemd, a container's first process) starts."""
    started = gunicorn(install, "first.log", "--preload", "--workers", "1")
    stopped_once_logged(install, started, "first.log", "Booting worker")
    refused = gunicorn(install, "next.log", "--preload", "--workers", "1", XINYONG_DATA_KEY=KEY_B)
    try:
        status = refused.wait(timeout=20)
    except subprocess.TimeoutExpired:  # serving: it took the checks as made
        refused.terminate()
        status = refused.wait(timeout=10)
    said = (install[0] / "next.log").read_text()
    assert status != 0 and "XINYONG_DATA_KEY" in said, said


# The gunicorn configuration that says when a worker has loaded the application.
SAYS_LOADED = "def post_worker_init(worker):\n    worker.log.info('Application loaded')\n"


def test_the_workers_booting_together_log_the_deploy_warnings_once(install):
    """Two workers load the application at once, each making the checks; one logs the
    deploy checks' warnings (here: HTTPS off), and the next gunicorn started logs them again."""
    folder, _ = install
    (folder / "loaded.py").write_text(SAYS_LOADED)
    for start in ("first.log", "next.log"):
        server = gunicorn(install, start, "--workers", "2", "--config", "loaded.py")
        said = stopped_once_logged(install, server, start, "Application loaded", times=2)
        assert said.count("(xinyong.W001)") == 1, said


def test_a_gunicorn_reloaded_under_another_key_checks_again_and_stops(install):
    """``kill -HUP`` keeps the arbiter (its pid, its start) and re-reads its configuration, here
    the data key its ``raw_env`` sets: the workers it forks then load the application under the
    new key, and refuse it with serve's reason, as the same gunicorn started under it would;
    gunicorn stops ("App failed to load."). The served-checks note of the arbiter, made under the
    old key, does not stand for the new one."""
    folder, _ = install
    config = folder / "reloaded.py"
    config.write_text(f"raw_env = ['XINYONG_DATA_KEY={KEY_A}']\n{SAYS_LOADED}")
    server = gunicorn(install, "reloaded.log", "--workers", "1", "--config", str(config))
    log = folder / "reloaded.log"
    try:
        for loaded in (1, 2):  # by the first worker; then by the reloaded one, serving under B
            deadline = time.monotonic() + 30
            while log.read_text().count("Application loaded") < loaded and server.poll() is None:
                assert time.monotonic() < deadline, log.read_text()
                time.sleep(0.1)
            if loaded == 1:
                config.write_text(f"raw_env = ['XINYONG_DATA_KEY={KEY_B}']\n{SAYS_LOADED}")
                server.send_signal(signal.SIGHUP)
        status = server.poll()
    finally:
        if server.poll() is None:
            server.send_signal(signal.SIGQUIT)
        server.wait(timeout=10)
    said = log.read_text()
    reloaded = said.partition("Handling signal: hup")[2]
    assert status == 4, said  # gunicorn's APP_LOAD_ERROR
    assert "Not ready to serve" in reloaded and "XINYONG_DATA_KEY" in reloaded, said
    assert "App failed to load." in reloaded and "Traceback" not in said, said
