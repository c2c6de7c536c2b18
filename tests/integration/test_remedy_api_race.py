"""Two of a department's systems decide the same repair application, or the same report, through
the API at the same moment: one decision is taken, the other answers 409 in Chinese, and one
audit row is written (R8, R7; the services' state guards, on real row locks)."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection  # noqa: F401 (read by the skipif condition)
from django.test import Client

from tests.factories import (
    ListDefinitionFactory,
    ListEntryFactory,
    OfficerFactory,
    UserFactory,
)
from tests.races import race
from xinyong.access.models import SubjectAccount
from xinyong.api import tokens
from xinyong.audit.models import AuditEntry
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings.models import ListKind
from xinyong.remedies import repairs
from xinyong.remedies.models import RepairApplication, RepairState
from xinyong.reports import services
from xinyong.reports.models import RedListReport

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="needs real row locks"),
]
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def _api(department) -> Client:
    token, _ = tokens.create_token(actor="test", user=OfficerFactory(department=department).user)
    return Client(headers={"Authorization": f"Bearer {token}"})


def _posting(client: Client, url: str, payload: dict, messages: list[str]):
    """A call for ``race``: a refusal raised with its code, its message kept."""

    def call() -> None:
        answer = client.post(url, payload, content_type="application/json")
        if answer.status_code != 200:
            body = answer.json()
            messages.append(body["message"])
            raise XinyongError(body["code"], body["message"], status=answer.status_code)

    return call


def test_two_repair_decisions_at_once_take_one():
    entry = ListEntryFactory(effective=True)
    user = UserFactory()
    SubjectAccount.objects.create(user=user, subject=entry.subject)
    materials = {
        kind: [SimpleUploadedFile(f"{kind}.pdf", PDF, content_type="application/pdf")]
        for kind in ("fulfilment", "commitment")
    }
    with clock.frozen(dt.date(2026, 10, 27)):
        application = repairs.apply_for_entry(
            entry.pk, actor=user, corrected="已缴清罚款", materials=materials
        )
    department = entry.list.recognizing_department
    url = f"/api/v1/repairs/{application.pk}"
    messages: list[str] = []
    outcomes = race(
        _posting(_api(department), f"{url}/accept", {"reasons": "准予修复"}, messages),
        _posting(_api(department), f"{url}/reject", {"reasons": "材料不全"}, messages),
    )
    assert sorted(outcomes) == ["ok", "repair-already-decided"], outcomes
    assert messages == ["该信用修复申请已办结，请刷新后查看"]
    application.refresh_from_db()
    assert application.state == (
        RepairState.ACCEPTED if outcomes[0] == "ok" else RepairState.REJECTED
    )
    decisions = AuditEntry.objects.filter(action__in=["remedies.repair.accept",
                                                      "remedies.repair.reject"])  # fmt: skip
    assert decisions.count() == 1
    assert RepairApplication.objects.count() == 1


def test_two_report_decisions_at_once_take_one():
    definition = ListDefinitionFactory(kind=ListKind.RED)
    entry = ListEntryFactory(list=definition, effective=True)
    with clock.frozen(dt.date(2026, 10, 27)):
        report = services.receive_report(
            entry.pk, facts="该企业存在偷税行为", evidence="", reporter_name="王举报人",
            reporter_contact="13812345678",
        ).report  # fmt: skip
    department = definition.recognizing_department
    url = f"/api/v1/reports/{report.pk}/decision"
    messages: list[str] = []
    outcomes = race(
        _posting(_api(department), url, {"founded": True, "reasons": "属实"}, messages),
        _posting(_api(department), url, {"founded": False, "reasons": "不属实"}, messages),
    )
    assert sorted(outcomes) == ["ok", "report-already-decided"], outcomes
    assert messages == ["该举报已办结，不能再次处理"]
    report.refresh_from_db()
    assert report.state == ("founded" if outcomes[0] == "ok" else "unfounded")
    assert AuditEntry.objects.filter(action__in=["report.found", "report.dismiss"]).count() == 1
    assert RedListReport.objects.count() == 1
