"""The admin modules load with the URLs, not at start-up; ``check`` still checks every admin."""

import os
import subprocess
import sys

CODE = """
import sys
import django
django.setup()
from django.contrib import admin
from django.core.checks import run_checks
at_start = len(admin.site._registry)
errors = run_checks(tags=["admin"])
print(at_start, len(admin.site._registry) > 20, errors)
"""


def test_a_command_starts_without_the_admin_and_check_discovers_it(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xinyong.settings", "SECRET_KEY": "x",
           "XINYONG_VAR_DIR": str(tmp_path)}  # fmt: skip
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "True", "[]"]
