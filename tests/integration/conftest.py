"""Fixtures shared by the integration tests of checks and what follows them."""

from tests.check_clients import api, finance, funds, honours, measures, procurement
from tests.feedback_reports import credit_office

__all__ = ["api", "credit_office", "finance", "funds", "honours", "measures", "procurement"]
