"""The server's own log lines, citizen IDs masked (R14: the database and what it leaves behind
are protected against leaks).

Gunicorn writes its access log itself, not through Django's logging, so the platform's
``CitizenIdLogFilter`` never sees it. Yet citizen IDs travel in URLs: a search of the query
registrations (``/office/queries/?subject=…``), the API's list filters, the admin's search
(``?q=``) and its autocomplete (``?term=``); and the page that follows repeats the URL as its
Referer. ``xinyong serve`` therefore runs gunicorn with this logger (``--logger-class``), which
masks IDs in every value an access line is made of, the request line and the referrer among
them, before the line is written; the rest of the line stays as it was. The error log, whose
messages name the request a worker was handling, is masked by the same rule. A gunicorn started
directly, with another logger class, has its two loggers masked once the application is loaded
(``mask_gunicorn_logs``, from wsgi.py).

A browser sends what follows a Chinese name escaped (``%E4%B8%89110105…``), and may escape the
digits themselves: each value is also read with its escapes decoded, and an ID found only so is
masked where it stands in the line.
"""

from __future__ import annotations

import codecs
import logging
import re
from typing import Any
from urllib.parse import unquote

from gunicorn.glogging import Logger

from xinyong.core.protection import CitizenIdLogFilter, has_citizen_id_run, mask_citizen_ids

_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")


def mask_logged_text(text: str) -> str:
    """``text`` with citizen IDs masked, also those written with percent escapes."""
    masked = mask_citizen_ids(text)
    if "%" not in masked or not has_citizen_id_run(unquote(masked, errors="replace")):
        return masked  # the common case, a Chinese search term say, decided at C speed
    decoded, spans = _decoded(masked)
    hidden = mask_citizen_ids(decoded)
    if hidden == decoded:
        return masked
    if len(hidden) != len(decoded):  # masking keeps lengths; were it ever not to, the line
        return hidden.encode("unicode_escape").decode("ascii")  # is written decoded, escaped
    # Each character masking changed replaces what stood for it in the line: a digit of the
    # birth date becomes *, a full-width digit is written as the plain digit it stands for.
    pieces, last = [], 0
    for index, (before, after) in enumerate(zip(decoded, hidden, strict=True)):
        if before != after:
            start, end = spans[index]
            pieces += [masked[last:start], after]
            last = max(last, end)
    pieces.append(masked[last:])
    return "".join(pieces)


def _decoded(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with its percent escapes decoded as UTF-8, and for each character of the result
    the span of ``text`` it was written as."""
    chars: list[str] = []
    spans: list[tuple[int, int]] = []
    last = 0
    for run in _ESCAPES.finditer(text):
        chars.extend(text[last : run.start()])
        spans.extend((position, position + 1) for position in range(last, run.start()))
        decoder = codecs.getincrementaldecoder("utf-8")("replace")
        began = run.start()
        for index, byte in enumerate(bytes.fromhex(run.group().replace("%", ""))):
            end = run.start() + 3 * (index + 1)
            for char in decoder.decode(bytes((byte,))):
                chars.append(char)
                spans.append((began, end))
            if not decoder.getstate()[0]:  # no character left half-read
                began = end
        for char in decoder.decode(b"", final=True):  # a character cut short
            chars.append(char)
            spans.append((began, run.end()))
        last = run.end()
    chars.extend(text[last:])
    spans.extend((position, position + 1) for position in range(last, len(text)))
    return "".join(chars), spans


class _MaskingFilter(CitizenIdLogFilter):
    """The platform's log filter, reading escaped IDs in a message too (a request's URL)."""

    mask = staticmethod(mask_logged_text)


def _add_masking_filter(log: logging.Logger) -> None:
    # On the logger, not a handler: whatever handlers a log configuration adds. Once: a
    # configuration reload sets gunicorn's logger up again, and wsgi.py may run again.
    if not any(isinstance(f, _MaskingFilter) for f in log.filters):
        log.addFilter(_MaskingFilter())


def mask_gunicorn_logs() -> None:
    """Gunicorn's access log and error log mask citizen IDs whatever logger class gunicorn was
    started with (R14): its default one writes a request line as it came, query and referrer.

    The filter masks the line once written from its values, percent escapes read too; under
    ``CitizenIdMaskingLogger`` the values are masked already and the line passes unchanged.
    """
    for name in ("gunicorn.access", "gunicorn.error"):
        _add_masking_filter(logging.getLogger(name))


class CitizenIdMaskingLogger(Logger):
    """Gunicorn's logger, masking citizen IDs in the access log and the error log (R14)."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        _add_masking_filter(self.error_log)

    def atoms(self, resp: Any, req: Any, environ: dict, request_time: Any) -> dict:
        """The values an access line is made of (request line, path, query, referrer, the
        request's headers and environment), IDs masked in each."""
        return {
            key: mask_logged_text(value) if isinstance(value, str) else value
            for key, value in super().atoms(resp, req, environ, request_time).items()
        }
