"""What the tests of reports on red-list entries share (R7, 000 §十一.1, 002 §十九): the
business day, the reporter whose identity must stay confidential, a red list, and a report
received on one of its entries."""

import datetime as dt

from tests.factories import ListDefinitionFactory
from xinyong.listings.models import ListKind
from xinyong.reports import services
from xinyong.reports.models import RedListReport

DAY = dt.date(2026, 11, 10)
NAME, PHONE = "王举报人", "13812345678"
FACTS, EVIDENCE = "该企业存在偷税行为", "税务处理决定书"


def red_list(department=None):
    """A red list, recognized by ``department`` if given."""
    return ListDefinitionFactory(
        kind=ListKind.RED, name="纳税信用A级名单",
        **({"recognizing_department": department} if department else {}),
    )  # fmt: skip


def received(entry, facts=FACTS, evidence=EVIDENCE, name=NAME, contact=PHONE) -> RedListReport:
    """A report on ``entry`` received through the service, as the public form sends it."""
    return services.receive_report(
        entry.pk, facts=facts, evidence=evidence, reporter_name=name, reporter_contact=contact
    ).report
