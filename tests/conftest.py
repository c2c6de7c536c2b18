import pytest
from django.db import connection


def pytest_configure(config: pytest.Config) -> None:
    """The tests store identifiers with the built-in development key, which the platform
    refuses elsewhere unless DEBUG is on (``subjects.protection.keyring``)."""
    from django.conf import settings

    settings.XINYONG_DEVELOPMENT_KEY_ALLOWED = True


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches (the API tokens' budgets are counted there)."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()
