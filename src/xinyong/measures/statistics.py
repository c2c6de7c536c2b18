"""Joint reward and punishment statistics (联合奖惩统计): reads only (R11, 002 §二十三, 003 §七).

What implementing departments reported doing after their checks, counted from the outcome rows
(``MeasureOutcome``) by implementing department, recognizing department, domain, list kind or
measure; and the cases against the number listed that 003 §七 asks for (cases at least 10% of
the red and black lists' count: the entries on those lists in the period, ``_listed``).

A case (案例) is one report of one business in which at least one measure was applied. A
measure that followed from entries of two domains counts once in each domain and once in the
totals: every figure counts distinct reports or distinct outcomes, never joined rows.

Only the reports that stand are counted (``STANDING``): a corrected report gives way to its
correction. A measure applied is counted in the period of its first day (``applied_on``).

A measure is counted as the check answered it, by the code, name and type each outcome keeps
(``MeasureOutcome.measure_*``), never as the measures list stands now: a reload that gives a
code to another measure must not turn past punishments into rewards (R10, R11).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import Case, Count, F, Q, QuerySet, When
from django.utils.translation import gettext_lazy as _

from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings.models import EntryState, ExitReason, ListEntry, ListKind
from xinyong.listings.selectors import DecisionStates, corrected_after_exit, in_force
from xinyong.measures.models import Measure, MeasureOutcome
from xinyong.subjects.models import Department

# 003 §七: cases shared to the national platform at least 10% of the red and black lists.
CASE_SHARE_TARGET = Decimal("0.10")
RED_AND_BLACK = (ListKind.RED, ListKind.BLACK)
FOUND_WRONG = (ExitReason.CORRECTED, ExitReason.REPORTED)

# The outcomes of the reports that stand: a report corrected since (``CheckFeedback.corrects``)
# is kept, and its correction is counted in its place (R11, 003 §七): a measure reported
# applied by mistake is no case.
STANDING = Q(feedback__correction__isnull=True)

# Grouping -> (the code's path, the name's path) from an outcome.
GROUPINGS: dict[str, tuple[str, str | None]] = {
    "implementing_department": ("department__code", "department__name"),
    "recognizing_department": (
        "entries__list__recognizing_department__code",
        "entries__list__recognizing_department__name",
    ),
    "domain": ("entries__list__domain__code", "entries__list__domain__name"),
    "list_kind": ("entries__list__kind", None),
    "measure": ("measure_code", "measure_name"),
}
GROUPING_LABELS = {
    "implementing_department": _("Implementing department"),
    "recognizing_department": _("Recognizing department"),
    "domain": _("Domain"),
    "list_kind": _("List kind"),
    "measure": _("Measure"),
}


@dataclasses.dataclass(frozen=True, slots=True)
class Period:
    """The days reported on, both ends included."""

    since: dt.date
    until: dt.date

    @classmethod
    def asked(cls, since: dt.date | None = None, until: dt.date | None = None) -> Period:
        """The period asked for: until today and from the first of January of its last year
        (the year 003 §七's share is judged over) unless given. One that ends before it starts
        is refused rather than answered with nothing."""
        if until is None:  # today, or the first day asked if that is later (a future period)
            until = max(clock.today(), since) if since else clock.today()
        since = since or until.replace(month=1, day=1)
        if since > until:
            raise XinyongError("period-reversed", "统计期间的结束日期早于开始日期", status=422)
        return cls(since, until)


def scope_of(user: Any) -> Department | None:
    """Whose figures an account sees: ``None`` for the whole platform (the credit office, an
    administrator without a department), else its own department's (R14: least privilege)."""
    officer = getattr(user, "officer", None) if user is not None else None
    if officer is None:
        if getattr(user, "is_superuser", False):
            return None
        raise XinyongError("not-an-officer", "当前账号不属于任何部门", status=403)
    return None if officer.department.is_credit_office else officer.department


def outcomes_seen_by(
    department: Department | None, scenarios: list[str] | None = None
) -> QuerySet[MeasureOutcome]:
    """The whole platform's outcomes for ``None``; a department's: those of the checks it made
    and those that followed from entries of the lists it keeps (as implementing or recognizing
    department, R11). A token reaches only its ``scenarios`` (R14: least privilege): of the
    department's own checks, those made in them; what followed from its lists stays its own.
    A token with the whole platform's scope (the credit office's) reaches the checks made in
    its scenarios, whoever made them."""
    outcomes = MeasureOutcome.objects.filter(STANDING)
    in_its_scenarios = Q(feedback__check_record__scenario__code__in=scenarios or [])
    if department is None:
        return outcomes if scenarios is None else outcomes.filter(in_its_scenarios)
    from_its_lists = MeasureOutcome.objects.filter(
        entries__list__recognizing_department=department
    ).values("pk")
    its_checks = Q(department=department)
    if scenarios is not None:
        its_checks &= in_its_scenarios
    return outcomes.filter(its_checks | Q(pk__in=from_its_lists))


def _distinct(field: str, condition: Q | None = None) -> Count:
    """Distinct values of ``field``, of the rows meeting ``condition``: written as a CASE inside
    the count, because SQLite refuses a FILTER clause on a DISTINCT aggregate."""
    if condition is None:
        return Count(field, distinct=True)
    return Count(Case(When(condition, then=F(field))), distinct=True)


# Groupings that join no entry: each outcome is one row there, so outcomes are counted as they
# are, not as distinct values (a distinct count sorts; a plain one does not).
ROW_PER_OUTCOME = ("implementing_department", "measure")


def _figures(grouping: str | None = None) -> dict[str, Count]:
    """The figures of a group by name. Annotated under ``n_<name>``: an annotation called
    ``applied`` would stand for the field of that name in the conditions of those after it.

    Reports and cases are distinct reports whatever the grouping (a report has several
    outcomes); outcomes are counted plainly where no entry is joined (``ROW_PER_OUTCOME``).
    """

    def outcomes(condition: Q | None = None) -> Count:
        if grouping in ROW_PER_OUTCOME:
            return Count("id", filter=condition)
        return _distinct("id", condition)

    return {
        "reports": _distinct("feedback"),
        "measures": outcomes(),
        "applied": outcomes(Q(applied=True)),
        "not_applied": outcomes(Q(applied=False)),
        # What 002 §二十 asks every implementing department to apply, in force through an
        # entry no objection suspended, left unapplied: each has its reason in the report.
        "mandatory_not_applied": outcomes(Q(applied=False, binding=True)),
        "cases": _distinct("feedback", Q(applied=True)),
    }


def _name_of(grouping: str, code: str | None, name: str | None) -> str:
    if code is None:
        return str(_("(no entry)"))
    if grouping == "list_kind":
        return str(ListKind(code).label) if code in ListKind.values else code
    return name or code


def by_group(
    department: Department | None, period: Period, grouping: str,
    scenarios: list[str] | None = None,
) -> list[dict[str, Any]]:  # fmt: skip
    """One row per group of ``grouping`` (a key of ``GROUPINGS``), most cases first, of the
    outcomes ``outcomes_seen_by`` gives the department (and a token's ``scenarios``)."""
    code_path, name_path = GROUPINGS[grouping]
    names = {"code": F(code_path)}
    if name_path is not None:
        names["name"] = F(name_path)
    if grouping == "measure":
        names["type"] = F("measure_type")
    outcomes = outcomes_seen_by(department, scenarios).filter(
        applied_on__gte=period.since, applied_on__lte=period.until
    )
    figures = _figures(grouping)
    rows = (
        outcomes.values(**names)
        .annotate(**{f"n_{key}": count for key, count in figures.items()})
        .order_by("-n_cases", "code")
    )
    types = dict(Measure.Type.choices)
    result = []
    for row in rows:
        item = {"code": row["code"], "name": _name_of(grouping, row["code"], row.get("name"))}
        if grouping == "measure":
            item["type"] = row["type"]
            item["type_label"] = str(types.get(row["type"], row["type"]))
        item.update({key: row[f"n_{key}"] for key in figures})
        result.append(item)
    return result


def _red_and_black(department: Department | None) -> QuerySet[ListEntry]:
    """Red and black entries (of the department's lists), less those found wrong: ended by an
    objection upheld or a report found true (``FOUND_WRONG``), or found wrong after they ended
    (``listings.selectors.corrected_after_exit``). They were never rightly listed, and a measure
    that followed from them is no case to count (003 §七).

    Two exclusions rather than one condition with OR: a NOT EXISTS of its own is read as an
    anti-join, the few ``correct`` steps gathered once, not looked for entry by entry."""
    entries = (
        ListEntry.objects.filter(list__kind__in=RED_AND_BLACK)
        .exclude(exit_reason__in=FOUND_WRONG)
        .exclude(corrected_after_exit())
    )
    if department is not None:
        entries = entries.filter(list__recognizing_department=department)
    return entries


def _in_force_during(period: Period) -> Q:
    """Entries in force on at least one day of the period: taken effect by its last day, and on
    its first either in force (``listings.selectors.in_force``: effective, within its validity
    through the last day) or ended that day or later, having been within its validity then.

    An entry that ended on the period's first day counts (it was in force that day until its
    exit); one whose validity ended the day before does not, though the daily job dates its
    exit on the first day (R4: the day after the last day of validity).
    """
    within_validity = Q(valid_until__isnull=True) | Q(valid_until__gte=period.since)
    ended_since = Q(state=EntryState.EXITED, exited_on__gte=period.since) & within_validity
    return Q(effective_on__lte=period.until) & (in_force(period.since) | ended_since)


def _listed(department: Department | None, period: Period) -> QuerySet[ListEntry]:
    """The red and black lists' count in the period (003 §七: cases at least 10% of it): their
    entries in force on at least one day of it, whenever they were listed (``_red_and_black``,
    ``_in_force_during``). An entry listed in an earlier year and still on the list counts in
    every year it stays there; the listings of the period alone would leave it out."""
    return _red_and_black(department).filter(_in_force_during(period))


def case_share(
    department: Department | None, period: Period, scenarios: list[str] | None = None
) -> dict[str, Any]:
    """Cases that followed from red and black entries, in the period, against the red and
    black entries in force in it (003 §七 compares the cases with the lists' count; R11).

    For the whole platform (``None``), every case and entry; for a department, the cases that
    followed from its own lists against its own lists' entries, which is its part of the same
    figure. A token's ``scenarios`` keep the cases to those among the outcomes it sees
    (``outcomes_seen_by``, R14: least privilege), as its groups are: a platform-wide token,
    the checks made in its scenarios; a department's, still every case of its own lists. The
    entries counted against them belong to no scenario, and stay as they are.
    """
    # One set of entries, named once: conditions on the entries in two filters would join them
    # twice and could be met by two different entries. Of those, only an entry whose decision
    # states the measure, or states none, carried it (R1, R10): a report made on an answer given
    # before checks read the decisions' measures may link another. The measure is matched by
    # the name the report gave it and by the one it has now: renamed since, the decisions that
    # stated it state its new name (``core.measure_renames``).
    entries = _red_and_black(department)
    outcomes = MeasureOutcome.objects.filter(
        STANDING
        & Q(applied=True, applied_on__gte=period.since, applied_on__lte=period.until,
            entries__in=entries)
        & DecisionStates("entries__stated_measures", "measure_name", "measure__name")
    )  # fmt: skip
    if scenarios is not None:
        outcomes = outcomes.filter(pk__in=outcomes_seen_by(department, scenarios).values("pk"))
    counted = outcomes.aggregate(
        cases=_distinct("feedback"),
        reward=_distinct("feedback", Q(measure_type=Measure.Type.REWARD)),
        punishment=_distinct("feedback", Q(measure_type=Measure.Type.PUNISHMENT)),
    )  # fmt: skip
    listed = _listed(department, period).count()
    share = None
    if listed:  # shown rounded down, so that 9.99% never reads as 10%
        share = (Decimal(counted["cases"]) / listed).quantize(Decimal("0.0001"), ROUND_DOWN)
    return {
        "cases": counted["cases"],
        "reward_cases": counted["reward"],
        "punishment_cases": counted["punishment"],
        "listed_red_black": listed,
        "share": share,
        "target": CASE_SHARE_TARGET,
        "met": listed > 0 and counted["cases"] >= CASE_SHARE_TARGET * listed,  # exact
    }
