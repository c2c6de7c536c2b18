"""A scratch PostgreSQL database for a bench, and Django set up on it (shared by the benches)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import psycopg


def create_database(admin_url: str, name: str) -> str:
    """A new empty database ``name`` (any left by an earlier run dropped); its URL."""
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, name: str) -> None:
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    """Django on the database at ``url``, migrated."""
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "xinyong.settings"
    src = str(Path(__file__).resolve().parents[1] / "src")
    if src not in sys.path:
        sys.path.insert(0, src)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
