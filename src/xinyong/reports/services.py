"""Writes of a report on a red-list entry: one verb each, one transaction, one audit row (R7).

Anyone reports a red-list entry in force (000 §十一.1); the entry's recognizing department
verifies and decides (002 §十九). A founded report ends the entry through the listing
procedure's own exit, with the reason "report found it undeserved" (R4), so the exit is
announced and measures stop as for any exit. The reporter's identity is sealed at once and
appears in no audit row, history event or announcement: they carry the report's number.
"""

from __future__ import annotations

import datetime as dt
import hmac
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q

from xinyong.audit import services as audit
from xinyong.catalog.models import Disclosure
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings import daily_job_lock
from xinyong.listings import services as listings
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.selectors import in_force
from xinyong.listings.services.transitions import hold_list_row, officer_of
from xinyong.reports import workflow
from xinyong.reports.models import RedListReport, ReportState
from xinyong.subjects.protection import keyring

# Letters and digits that cannot be mistaken for one another when copied by hand.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8
FORM_TOKEN_BYTES = 16  # 128 random bits: no sender guesses another's form
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


def new_form_token() -> str:
    """The token a report form carries from the page that showed it to its sending (R7)."""
    return secrets.token_urlsafe(FORM_TOKEN_BYTES)


def form_token_digest(token: str) -> str:
    """What a report keeps of its form's token: a keyed digest, under a label of its own so that
    it tells nothing of the code derived from the same token."""
    return keyring().digest(f"report-form-token:{token}")


def code_from_token(token: str) -> str:
    """The look-up code of the report a form's token made: a keyed digest of the token written
    in ``CODE_ALPHABET``, so that sending the form again shows the same code while only the
    code's digest is stored. 256 bits reduced to 31⁸ values: no letter is noticeably likelier."""
    value = int(keyring().digest(f"report-code-from-token:{token}"), 16)
    letters = []
    for _ in range(CODE_LENGTH):
        value, index = divmod(value, len(CODE_ALPHABET))
        letters.append(CODE_ALPHABET[index])
    return "".join(letters)


@dataclass(frozen=True)
class Receipt:
    report: RedListReport
    code: str  # shown to whoever sent the form, never stored in clear
    repeated: bool = False  # the form had been sent before: nothing was taken this time


def _identity(reporter_name: str, reporter_contact: str) -> str:
    return json.dumps({"name": reporter_name, "contact": reporter_contact}, ensure_ascii=False)


def _sent_before(
    entry_id: int, token: str, *, facts: str, evidence: str, reporter_name: str,
    reporter_contact: str,
) -> Receipt | None:  # fmt: skip
    """The receipt of the report this form's token already made, or None.

    The same form sent again with other content (the sender went back and changed the facts)
    is refused rather than answered with the first receipt, which would drop the change
    without a word; nothing of the first report is told."""
    report = RedListReport.objects.filter(form_token_digest=form_token_digest(token)).first()
    if report is None:
        return None
    same = (
        report.entry_id == entry_id and report.facts == facts and report.evidence == evidence
        and keyring().open(report.reporter_sealed)
        == _identity(reporter_name, reporter_contact)
    )  # fmt: skip
    if not same:
        raise XinyongError(
            "report-form-already-sent",
            "该举报表单已提交过，本次填写的内容与已受理的举报不同。如需另行举报，请再次提交，"
            "将作为一件新的举报受理。",
            status=409,
        )
    return Receipt(report, code_from_token(token), repeated=True)


def receipt_already_sent(
    entry_id: int, *, form_token: str | None, **content: str
) -> Receipt | None:
    """The receipt of a report this form already made, looked for before anything is spent:
    a double click or a refreshed receipt page shows the first receipt again (R7)."""
    return _sent_before(entry_id, form_token, **content) if form_token else None


@transaction.atomic
def receive_report(
    entry_id: int, *, facts: str, evidence: str, reporter_name: str, reporter_contact: str,
    form_token: str | None = None,
) -> Receipt:  # fmt: skip
    """Take a report against a red-list entry in force (R7, 000 §十一.1).

    Once per form: the report is stored with its form token's digest under a unique
    constraint, so the same form sent twice — one after the other, or at the same moment —
    makes one report, one audit row and one receipt, shown both times (``repeated`` on the
    second). A caller without a token (an old page, a script) gets a fresh one here: its
    report is taken as before, just not recognised if sent again.
    """
    token = form_token or new_form_token()
    content = {"facts": facts, "evidence": evidence, "reporter_name": reporter_name,
               "reporter_contact": reporter_contact}  # fmt: skip
    entry = reportable_entry(entry_id)
    if (sent := _sent_before(entry.pk, token, **content)) is not None:
        return sent
    today = clock.today()
    number = f"JB{today:%Y%m%d}{secrets.randbelow(10**8):08d}"
    code = code_from_token(token)
    sealed = keyring().seal(_identity(reporter_name, reporter_contact))
    try:
        with transaction.atomic():  # a savepoint: the losing sender reads the winner's report
            report = RedListReport.objects.create(
                entry=entry, number=number, code_digest=code_digest(number, code), facts=facts,
                evidence=evidence, reporter_sealed=sealed, received_on=today,
                form_token_digest=form_token_digest(token),
            )  # fmt: skip
    except IntegrityError:
        # The same form sent at the same moment: the other sending's report was committed
        # first (PostgreSQL waits on the unique index until it is). Anything else re-raises.
        if (sent := _sent_before(entry.pk, token, **content)) is None:
            raise
        return sent
    audit.record(
        actor="public", action="report.receive", obj=report,
        after={"entry": entry.pk, "number": number, "state": report.state},
    )  # fmt: skip
    return Receipt(report, code)


def reporter_of(report: RedListReport) -> dict[str, str]:
    """The reporter's name and contact, for the verifying department's officers only (R7)."""
    return json.loads(keyring().open(report.reporter_sealed))


def _entry_held(entry_id: int) -> ListEntry:
    """The report's entry, locked until the decision commits, after waiting for the daily job
    as every step on an entry does (``listings.daily_job_lock``): an exit another officer
    commits meanwhile is read, not missed, and one sent meanwhile waits for this decision.
    The list's row is held first, as a step holds it (``listings.services.transitions``), so
    that the exit a founded report makes takes no lock out of that order."""
    daily_job_lock.wait_for_the_daily_job()  # first, before any row
    hold_list_row(entry_id)
    return ListEntry.objects.select_for_update(of=("self",)).get(pk=entry_id)


def _action_on(entry: ListEntry, *, founded: bool, today: dt.date) -> workflow.Action:
    """What the decision does to a report on ``entry`` (R7, R4).

    An entry in force: founded ends it, unfounded keeps it. An entry no longer in force (it
    exited, or is past its last day before the daily job records it) has nothing left to end
    or to keep: the report is closed, and its reporter told the entry had already left the
    red list, whatever was asked. One exception: a report found true on an entry a first
    report already ended is founded too, its reporter told so, and the exit not repeated."""
    if ListEntry.objects.filter(in_force(today), pk=entry.pk).exists():
        return workflow.Action.FOUND if founded else workflow.Action.DISMISS
    ended_by_a_report = (entry.state, entry.exit_reason) == (
        EntryState.EXITED, ExitReason.REPORTED
    )  # fmt: skip
    return workflow.Action.FOUND if founded and ended_by_a_report else workflow.Action.CLOSE


@transaction.atomic
def decide_report(report_id: int, *, actor: Any, founded: bool, reasons: str) -> RedListReport:
    """The department's decision on a received report, with its reasons (R7, 002 §十九).

    Founded: the entry exits for the report (R4, 000 §十), announced as every exit is.
    Unfounded: the entry stays. Closed when the entry has already ended, another way or by an
    earlier report (``_action_on``). Each way the reporter reads the result with its code.
    The entry is read locked (``_entry_held``), so its state cannot change before the decision
    commits. Two officers deciding at once: the state is changed only where it is still
    ``received``, so the second finds the report decided and is refused.
    """
    officer = officer_of(actor)
    report = (
        RedListReport.objects.select_related("entry__list")
        .filter(pk=report_id, entry__list__recognizing_department_id=officer.department_id)
        .first()
    )
    if report is None:  # another department's report is as invisible as one that is not there
        raise XinyongError("report-not-found", "举报记录不存在", status=404)
    today = clock.today()
    entry = _entry_held(report.entry_id)
    action = _action_on(entry, founded=founded, today=today)
    target = workflow.transition(report.state, action)
    taken = RedListReport.objects.filter(pk=report.pk, state=ReportState.RECEIVED).update(
        state=target, decided_on=today, reasons=reasons
    )
    if not taken:
        raise XinyongError("report-already-decided", "该举报已办结，不能再次处理", status=409)
    if action == workflow.Action.FOUND and entry.state == EntryState.EFFECTIVE:
        listings.exit_entry(report.entry_id, actor=actor, reason=ExitReason.REPORTED, note=reasons)
    audit.record(
        actor=actor, action=f"report.{action}", obj=report,
        before={"state": report.state}, after={"state": target, "entry": report.entry_id},
        reason=reasons,
    )  # fmt: skip
    report.refresh_from_db()
    return report
