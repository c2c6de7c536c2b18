import pytest
from django.db import connection


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches (the API tokens' budgets are counted there)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
