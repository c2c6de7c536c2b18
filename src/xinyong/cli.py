"""The ``xinyong`` console script: the project's ``manage.py``.

Every management command runs as ``xinyong <command>``; ``xinyong serve`` runs gunicorn.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinyong.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xinyong", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
