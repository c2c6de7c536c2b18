"""Writes of a report on a red-list entry: one verb each, one transaction, one audit row (R7).

Anyone reports a red-list entry in force (000 §十一.1); the entry's recognizing department
verifies and decides (002 §十九). A founded report ends the entry through the listing
procedure's own exit, with the reason "report found it undeserved" (R4), so the exit is
announced and measures stop as for any exit. The reporter's identity is sealed at once and
appears in no audit row, history event or announcement: they carry the report's number.
"""

from __future__ import annotations

import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from xinyong.audit import services as audit
from xinyong.catalog.models import Disclosure
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.selectors import in_force
from xinyong.listings.services.transitions import officer_of
from xinyong.reports import workflow
from xinyong.reports.models import RedListReport, ReportState
from xinyong.subjects.protection import keyring

# Letters and digits that cannot be mistaken for one another when copied by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
# A red entry the portal shows: one whose catalog item, if any, is public (as /lists/red/).
_PUBLIC = Q(list__catalog_item__isnull=True) | Q(list__catalog_item__disclosure=Disclosure.PUBLIC)


def reportable_entry(entry_id: int) -> ListEntry:
    """A red-list entry in force that the portal shows; any other takes no report (R7)."""
    entry = (
        ListEntry.objects.filter(in_force(clock.today()), _PUBLIC, pk=entry_id,
                                 list__kind=ListKind.RED)
        .select_related("subject", "list__recognizing_department", "list__catalog_item")
        .first()
    )  # fmt: skip
    if entry is None:
        raise XinyongError(
            "entry-not-reportable", "只能对公示中的有效守信激励对象名单记录进行举报", status=404
        )
    return entry


def code_digest(number: str, code: str) -> str:
    """The keyed digest a look-up code is kept as, bound to its receipt number."""
    return keyring().digest(f"report-code:{number}:{code.strip().upper()}")


def codes_match(report: RedListReport, code: str) -> bool:
    return hmac.compare_digest(report.code_digest, code_digest(report.number, code))


@dataclass(frozen=True)
class Receipt:
    report: RedListReport
    code: str  # shown once to the reporter, never stored in clear


@transaction.atomic
def receive_report(
    entry_id: int, *, facts: str, evidence: str, reporter_name: str, reporter_contact: str
) -> Receipt:
    """Take a report against a red-list entry in force (R7, 000 §十一.1)."""
    entry = reportable_entry(entry_id)
    today = clock.today()
    number = f"JB{today:%Y%m%d}{secrets.randbelow(10**8):08d}"
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    identity = json.dumps({"name": reporter_name, "contact": reporter_contact}, ensure_ascii=False)
    report = RedListReport.objects.create(
        entry=entry, number=number, code_digest=code_digest(number, code), facts=facts,
        evidence=evidence, reporter_sealed=keyring().seal(identity), received_on=today,
    )  # fmt: skip
    audit.record(
        actor="public", action="report.receive", obj=report,
        after={"entry": entry.pk, "number": number, "state": report.state},
    )  # fmt: skip
    return Receipt(report, code)


def reporter_of(report: RedListReport) -> dict[str, str]:
    """The reporter's name and contact, for the verifying department's officers only (R7)."""
    return json.loads(keyring().open(report.reporter_sealed))


def _ended_by_a_report(entry_id: int) -> bool:
    """A second report found true on an entry a first one already ended: the exit is not
    repeated (nor announced twice), and this reporter too is told the report was founded."""
    return ListEntry.objects.filter(
        pk=entry_id, state=EntryState.EXITED, exit_reason=ExitReason.REPORTED
    ).exists()


def _ended_another_way(entry_id: int) -> bool:
    """The entry is no longer in force for a reason other than a report: it expired (also
    past its last day before the daily job records it), the subject asked to leave, a black
    listing ended it, or it was corrected (R4)."""
    past_validity = Q(state=EntryState.EFFECTIVE, valid_until__lt=clock.today())
    return (
        ListEntry.objects.filter(pk=entry_id)
        .filter(~Q(state=EntryState.EFFECTIVE) | past_validity)
        .exclude(state=EntryState.EXITED, exit_reason=ExitReason.REPORTED)
        .exists()
    )


@transaction.atomic
def decide_report(report_id: int, *, actor: Any, founded: bool, reasons: str) -> RedListReport:
    """The department's decision on a received report, with its reasons (R7, 002 §十九).

    Founded: the entry exits for the report (R4, 000 §十), announced as every exit is.
    Unfounded: the entry stays. Closed, whatever was asked, when the entry has already ended
    another way. Each way the reporter reads the result with its code. Two
    officers deciding at once: the state is changed only where it is still ``received``, so
    the second finds the report decided and is refused.
    """
    officer = officer_of(actor)
    report = (
        RedListReport.objects.select_related("entry__list")
        .filter(pk=report_id, entry__list__recognizing_department_id=officer.department_id)
        .first()
    )
    if report is None:  # another department's report is as invisible as one that is not there
        raise XinyongError("report-not-found", "举报记录不存在", status=404)
    action = workflow.Action.FOUND if founded else workflow.Action.DISMISS
    if _ended_another_way(report.entry_id):
        # Nothing left to end or to keep: the reporter is told the entry had already ended,
        # with the department's reasons, not that the report was unfounded (R4, R7).
        action = workflow.Action.CLOSE
    target = workflow.transition(report.state, action)
    today = clock.today()
    taken = RedListReport.objects.filter(pk=report.pk, state=ReportState.RECEIVED).update(
        state=target, decided_on=today, reasons=reasons
    )
    if not taken:
        raise XinyongError("report-already-decided", "该举报已办结，不能再次处理", status=409)
    if action == workflow.Action.FOUND and not _ended_by_a_report(report.entry_id):
        listings.exit_entry(report.entry_id, actor=actor, reason=ExitReason.REPORTED, note=reasons)
    audit.record(
        actor=actor, action=f"report.{action}", obj=report,
        before={"state": report.state}, after={"state": target, "entry": report.entry_id},
        reason=reasons,
    )  # fmt: skip
    report.refresh_from_db()
    return report
