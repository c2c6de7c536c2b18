"""``xinyong serve``: the production server (gunicorn), never Django's development server."""

import os
import sys

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from xinyong.deployment import (
    CHECKED_BY_SERVE,
    checked_identity,
    gunicorn_argv,
    refuse_to_serve,
)


class Command(BaseCommand):
    help = "Serve the platform with gunicorn."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("XINYONG_WORKERS", "0")) or None,
            help="worker processes (default: 2 × CPU cores + 1)",
        )

    def handle(self, *args, host: str, port: int, workers: int | None, **options) -> None:
        # Each refusal is printed as its reason, with no traceback, and exits with status 1.
        try:
            refuse_to_serve(report=self.stderr.write)  # the data key proven (R14) among them
        except ImproperlyConfigured as refused:
            raise CommandError(str(refused)) from None
        workers = workers or (2 * (os.cpu_count() or 1) + 1)
        argv = gunicorn_argv(host=host, port=port, workers=workers)
        self.stdout.write(f"Serving on http://{host}:{port}/ with {workers} workers")
        self.stdout.flush()
        self.stderr.flush()
        # What was just checked is not checked again by each worker that loads the application,
        # while it loads the configuration and code checked (not after a reload that changed them).
        os.environ[CHECKED_BY_SERVE] = checked_identity(os.getpid()) or ""
        # Replace this process, so that signals reach gunicorn's arbiter directly.
        os.execv(sys.executable, argv)
