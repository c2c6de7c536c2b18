"""Reads for imports: what a file is checked against, a department's jobs, reports, timeliness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db.models import Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce, TruncMonth

from xinyong.calendars.selectors import work_calendar
from xinyong.catalog.importers.context import ImportContext, ItemInfo, KnownPenaltyType
from xinyong.catalog.importers.penalty_types import normalize_penalty_name
from xinyong.catalog.models import (
    CatalogItem,
    CreditRecord,
    ImportJob,
    ImportKind,
    InfoKind,
    PenaltyType,
    PublicationRule,
    RecordFormat,
    ReportRow,
)
from xinyong.catalog.publication import TierRule, timeliness_is_provisional
from xinyong.core.errors import XinyongError
from xinyong.subjects.models import Department
from xinyong.subjects.protection import keyring

FORMAT_OF_KIND = {
    ImportKind.LICENCES: RecordFormat.LICENCE,
    ImportKind.PENALTIES: RecordFormat.PENALTY,
}


def department_of(user: Any) -> Department:
    """The department an account works for (an officer, or a department's system account)."""
    officer = getattr(user, "officer", None) if user is not None else None
    if officer is None:
        raise XinyongError("not-an-officer", "当前账号不属于任何部门，不能导入信用信息", status=403)
    return officer.department


def penalty_types() -> dict[str, KnownPenaltyType]:
    """Every spelling of a penalty type → its name, its tier and its id."""
    table: dict[str, KnownPenaltyType] = {}
    for kind in PenaltyType.objects.order_by("name"):
        for spelling in [kind.name, *kind.aliases]:
            known = KnownPenaltyType(kind.name, kind.tier, kind.pk)
            table[normalize_penalty_name(spelling)] = known
    return table


def corrected_on_the_platform(record_ids: Iterable[int]) -> dict[int, tuple[str, dt.date]]:
    """Of the live records ``record_ids``, those recorded in place of a decision the platform
    revoked on a founded objection (R6: the wrong one revoked, the right one sent under the
    same document number): record → (its document number, the day the last was revoked).
    Read through the revoked records' own index, by the record's identity."""
    revoked = CreditRecord.objects.filter(
        revoked_on__isnull=False,
        department_id=OuterRef("department_id"),
        document_number=OuterRef("document_number"),
        subject_id=OuterRef("subject_id"),
    ).order_by("-revoked_on")
    found = (
        CreditRecord.objects.filter(pk__in=list(record_ids), revoked_on__isnull=True)
        .annotate(corrected_on=Subquery(revoked.values("revoked_on")[:1]))
        .filter(corrected_on__isnull=False)
        .values_list("pk", "document_number", "corrected_on")
    )
    return {pk: (number, day) for pk, number, day in found}


def _rules(item: CatalogItem) -> dict[str, TierRule]:
    """The item's own rule for each tier, else the default one (R8)."""
    rules: dict[str, TierRule] = {}
    rows = PublicationRule.objects.filter(Q(catalog_item=item) | Q(catalog_item__isnull=True))
    for rule in rows.order_by("catalog_item_id"):  # NULL (the default) first, the item's after
        if rule.catalog_item_id is None and rule.tier in rules:
            continue
        rules[rule.tier] = TierRule(rule.is_published, rule.months_min, rule.months_max)
    return rules


def tier_rule(item: CatalogItem, tier: str) -> TierRule | None:
    """The rule a record of ``item`` in ``tier`` is published by, as an import reads it: the
    item's own, else the default; None when neither is kept (R8)."""
    return _rules(item).get(tier)


def item_info(item: CatalogItem) -> ItemInfo:
    return ItemInfo(
        id=item.pk,
        code=item.code,
        name=item.name,
        subject_kinds=frozenset(item.subject_kinds),
        is_public=item.is_public,
        is_serious=item.info_kind == InfoKind.SERIOUS_DISHONESTY,
        months=(item.publication_months_min, item.publication_months_max),
        rules=_rules(item),
        data_items=frozenset(str(name).strip() for name in item.data_items or ()),
    )


def recordable_items(department: Department) -> QuerySet[CatalogItem]:
    """The active catalog items this department may record under (its own, or any provider's)."""
    return CatalogItem.objects.filter(
        Q(provider=department) | Q(provider__isnull=True), is_active=True
    )


def other_record_items(department: Department) -> QuerySet[CatalogItem]:
    """The items a records import may name: licences and penalties come in their own national
    format, through their own import, where their tier and publication rules apply (R8, R9)."""
    return recordable_items(department).filter(record_format=RecordFormat.OTHER)


def catalog_item_for(kind: str, department: Department, code: str | None) -> CatalogItem | None:
    """The item a licence or penalty file is recorded under, or None when the catalog has none.

    Named, it must be one this department may record under, in the file's format; otherwise the
    department's own item of that format comes before a shared one.
    """
    wanted = FORMAT_OF_KIND[kind]
    items = recordable_items(department).filter(record_format=wanted)
    if code:
        return items.filter(code=code).first()
    return items.order_by(F("provider_id").asc(nulls_last=True), "code").first()


def import_context(job: ImportJob, today: dt.date) -> ImportContext:
    """Everything the rows of ``job`` are checked against on ``today``, the business day the
    run reads them (a resumed job's, not the day it opened), read once. The calendar and the
    day may change while the job runs: each chunk is counted again on those in force when it
    is written (``services.checkpoints``)."""
    items: dict[str, ItemInfo] = {}
    own_imports: dict[str, str] = {}  # a licence or penalty item named in a records file
    if job.kind == ImportKind.RECORDS:
        items = {item.code: item_info(item) for item in other_record_items(job.department)}
        kind_of_format = {str(fmt): str(kind) for kind, fmt in FORMAT_OF_KIND.items()}
        formats = recordable_items(job.department).values_list("code", "record_format")
        own_imports = {code: kind_of_format[fmt] for code, fmt in formats if fmt in kind_of_format}
    return ImportContext(
        kind=job.kind,
        today=today,
        calendar=work_calendar(),
        keys=keyring(),
        item=item_info(job.catalog_item) if job.catalog_item else None,
        items=items,
        own_imports=own_imports,
        penalty_types=penalty_types() if job.kind == ImportKind.PENALTIES else {},
    )


# -- what is shared -------------------------------------------------------------------------


def shared_on(today: dt.date) -> Q:
    """Records still shared with other departments on ``today``: sharing not stopped, and its
    end not passed, whether or not the daily job has yet stopped it (停止共享, R4, R8)."""
    return Q(sharing_stopped_on__isnull=True) & (
        Q(sharing_ends_on__isnull=True) | Q(sharing_ends_on__gte=today)
    )


# -- jobs and reports ------------------------------------------------------------------------


def jobs_for(user: Any) -> QuerySet[ImportJob]:
    """The import jobs of the caller's department, newest first."""
    return ImportJob.objects.filter(department=department_of(user)).select_related("catalog_item")


def jobs_listed(user: Any) -> QuerySet[ImportJob]:
    """The caller's department's jobs, newest first, each with ``has_report``: whether its
    report names a row, refused, accepted with a code to review, or accepted as a decision
    another department recorded (R9). The counters tell the first two only."""
    rows = ReportRow.objects.filter(job=OuterRef("pk"))
    return jobs_for(user).annotate(has_report=Exists(rows))


def job_for(user: Any, job_id: int) -> ImportJob:
    """One of the caller's department's jobs; another department's is as good as missing."""
    job = jobs_for(user).filter(pk=job_id).first()
    if job is None:
        raise XinyongError("import-not-found", f"导入任务不存在：{job_id}", status=404)
    return job


REPORT_HEADER = ("数据行号", "处理结果", "错误代码", "说明")
OUTCOME_LABELS = {
    ReportRow.Outcome.QUARANTINED: "未入库",
    ReportRow.Outcome.REVIEW: "已入库，代码待核查",
    ReportRow.Outcome.BY_ANOTHER: "已由其他部门归集，未重复入库",
}


def report_lines(job: ImportJob) -> Iterator[list[str]]:
    """The report as rows of text: the header, then one row per reason of every named row."""
    yield [*REPORT_HEADER, *job.columns]
    rows = job.report_rows.order_by("row_number").values_list(
        "row_number", "outcome", "reasons", "values"
    )
    for number, outcome, reasons, values in rows.iterator(chunk_size=2000):
        codes = "；".join(reason["code"] for reason in reasons)
        messages = "；".join(
            f"{reason['column']}：{reason['message']}" if reason["column"] else reason["message"]
            for reason in reasons
        )
        yield [str(number), OUTCOME_LABELS.get(outcome, outcome), codes, messages, *values]


# -- timeliness (R9) -------------------------------------------------------------------------


# Public by the due day (R9): the stored count is 0, and the day shown is not past the due. A
# record never shown (its window had ended when it came, ``publication.Publication._public``)
# was not public within 7 working days: it is due and counted, never on time, whatever its
# count (``published_on`` is NULL, so the comparison is not true).
ON_TIME = Q(workdays_late=0, published_on__lte=F("publication_due_on"))


def sent_again() -> Exists:
    """Whether a record is a decision sent again in place of a revoked record of it that was
    due to be public (R6, R9). A record wrong in its subject, its date or an amount is revoked,
    and the department sends the right decision as a record of its own
    (``remedies.record_corrections``): under the same document number, compared in its
    canonical form, which the column holds (``core.document_numbers``); the subject and the
    decision date may be the very things corrected. The decision was published when it first
    came: it is counted once, by that first record, in the month of its decision, however
    often it is corrected, so that correcting an error never makes a department late nor
    undoes a first publication that was.

    Only a correction qualifies, lest a decision of its own pass for one: a record of the same
    department and number as an earlier revoked record, shown from the day that one was revoked
    or later (or never shown), for the same subject, or for another when the revoked record's
    subject holds no live record under the number (the subject was what was wrong). Another
    subject of one decision sent with the revoked record came before it was revoked and counts
    as it came; a decision sent under a number never revoked counts as it came.

    The revoked records are read through their own partial index (department, number first,
    ``revoked_on`` set): few records are ever revoked, so the check adds little to a count over
    every record."""
    subject_still_live = CreditRecord.objects.filter(
        revoked_on__isnull=True,
        department=OuterRef("department"),
        document_number=OuterRef("document_number"),
        subject=OuterRef("subject"),
    )
    first = CreditRecord.objects.filter(
        Q(subject=OuterRef("subject")) | ~Exists(subject_still_live),
        revoked_on__isnull=False,
        # Never shown (its window was over when it came): it published nothing of its own.
        revoked_on__lte=Coalesce(OuterRef("published_on"), Value(dt.date.max)),
        publication_due_on__isnull=False,
        department=OuterRef("department"),
        document_number=OuterRef("document_number"),
        pk__lt=OuterRef("pk"),
    )
    return Exists(first)


def timeliness_seen_by(department: Department, *, since: dt.date | None = None):
    """The timeliness an officer of ``department`` sees: the credit office every department's,
    any other department its own (R9)."""
    return timeliness(None if department.is_credit_office else department, since=since)


def timeliness(
    department: Department | None = None, *, since: dt.date | None = None
) -> list[dict[str, Any]]:
    """Per department and month of decision: records due for publication, and the share public
    within 7 working days (R9). Rows of the credit office's view when no department is given.

    Counted: the records due to be public, those with a due day. A record not to be published
    (a minor penalty, an item that is not public) has none and is neither on time nor late.
    On time means public on or before the due day: no working day late, and never public after
    the due day (a collection on a rest day past it is late, ``publication.workdays_late``). A
    record due to be public but never shown, because its window had ended when it was
    collected (a licence expired before it came), was not public within 7 working days: it
    counts as not on time (``ON_TIME``), though the working days it came late may be none.
    A decision revoked and sent again is one decision, counted by its first publication: the
    records sent again are left out (``sent_again``), the revoked first one counts as it was
    published, as does a revoked one never sent again.

    ``provisional``: a due day of the month is counted over a year whose holiday notice is not
    loaded yet (a December decision due in January, say), so it, and whether a record was
    public by it, may change when it is (R15: marked provisional until known;
    ``catalog.receivers`` counts them again then; ``publication.timeliness_is_provisional``).
    Once every due day is known, so is every outcome: the day a record was shown is fixed.

    ``since``: the months from the one it falls in, each whole (rounded down to its first).
    """
    records = CreditRecord.objects.filter(~sent_again(), publication_due_on__isnull=False)
    if department is not None:
        records = records.filter(department=department)
    if since is not None:
        # A row is a month: from the first of the month ``since`` falls in, or the row labelled
        # with that month would count only part of it.
        records = records.filter(decision_date__gte=since.replace(day=1))
    rows = (
        records.annotate(month=TruncMonth("decision_date"))
        .values("department__code", "department__name", "month")
        .annotate(
            total=Count("id"), on_time=Count("id", filter=ON_TIME),
            first_decided=Min("decision_date"), last_due=Max("publication_due_on"),
        )
        .order_by("department__code", "-month")
    )  # fmt: skip
    calendar = work_calendar()
    return [
        {
            "department": row["department__code"],
            "department_name": row["department__name"],
            "month": row["month"].strftime("%Y-%m"),
            "total": row["total"],
            "on_time": row["on_time"],
            "late": row["total"] - row["on_time"],
            # Rounded down, as every share shown is: 19,999 on time of 20,000 is not 1.0 (R9).
            "share_on_time": (
                float(
                    (Decimal(row["on_time"]) / row["total"]).quantize(Decimal("0.0001"), ROUND_DOWN)
                )
                if row["total"]
                else None
            ),
            "provisional": timeliness_is_provisional(
                calendar, row["first_decided"], row["last_due"]
            ),
        }
        for row in rows
    ]
