"""Fixtures shared by the integration tests of checks and what follows them."""

from tests.check_clients import api, finance, funds, honours, measures, procurement

__all__ = ["api", "finance", "funds", "honours", "measures", "procurement"]
