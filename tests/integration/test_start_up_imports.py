"""A command's start imports neither django-ninja nor pydantic: only the API needs them."""

import os
import subprocess
import sys

CODE = """
import sys
import django
django.setup()
import xinyong.measures.management.commands.screen
import importlib; importlib.import_module("xinyong.catalog.management.commands.import")
print(sorted(name for name in ("ninja", "pydantic") if name in sys.modules))
from django.urls import resolve
resolve("/api/v1/health")
print(sorted(name for name in ("ninja", "pydantic") if name in sys.modules))
"""


def test_a_command_starts_without_the_api_libraries(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "xinyong.settings", "SECRET_KEY": "x",
           "XINYONG_VAR_DIR": str(tmp_path)}  # fmt: skip
    env.pop("DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-c", CODE], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["[]", "['ninja', 'pydantic']"]
