"""``xinyong serve``: the production server (gunicorn), never Django's development server."""

import os
import sys

from django.core.management.base import BaseCommand

from xinyong.deployment import (
    gunicorn_argv,
    refuse_an_unready_install,
    refuse_default_secret_key,
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
        refuse_default_secret_key()
        refuse_an_unready_install()
        workers = workers or (2 * (os.cpu_count() or 1) + 1)
        argv = gunicorn_argv(host=host, port=port, workers=workers)
        self.stdout.write(f"Serving on http://{host}:{port}/ with {workers} workers")
        self.stdout.flush()
        # Replace this process, so that signals reach gunicorn's arbiter directly.
        os.execv(sys.executable, argv)
