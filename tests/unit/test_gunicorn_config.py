"""``xinyong serve`` gives gunicorn the request limits the platform needs: a request line up to
gunicorn's ceiling reaches the platform, rather than gunicorn's own HTML 414."""

from __future__ import annotations

from gunicorn.config import Config
from gunicorn.http.message import MAX_REQUEST_LINE

from xinyong.deployment import gunicorn_argv


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
