"""The measures list (措施清单): rewards and punishments with their legal basis (R10, 002 §二十)."""

import re
import unicodedata
import uuid
from collections.abc import Iterable

from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xinyong.listings.models import ListKind
from xinyong.subjects.models import Department, Domain


class Scenario(models.Model):
    """A business scenario (事项) in which implementing departments check subjects."""

    code = models.SlugField(_("Code"), max_length=64, unique=True)
    name = models.CharField(_("Name"), max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = _("Scenario")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


# What a list writes in 政策依据 when it has none (R10): compared once punctuation, spaces and
# case are gone, so that "（无）", "无。", "N/A" and "—" read as what they are.
PLACEHOLDER_BASES = frozenset({
    "无", "暂无", "没有", "空", "略", "无依据", "暂无依据", "无相关依据", "待定", "待补充",
    "待完善", "不详", "未知", "同上", "见上", "不适用", "0", "na", "none", "null", "nil", "nan",
    "tbd",
})  # fmt: skip
_NOT_WORDS = re.compile(r"[\W_]+")
# A label a cell repeats before its value ("政策依据：无"), read off before the value is judged.
_BASIS_LABEL = re.compile(r"^(?:政策|法律|法规|法律法规|政策法规|实施)?(?:依据|根据)")
# A whole text that says there is no basis ("暂无法律依据", "无明确依据", "尚无相关规定"). Anchored
# at both ends: a real basis may begin with 无 (《无障碍环境建设法》, 无锡市…).
_STATES_NO_BASIS = re.compile(
    r"^(?:暂|尚|目前|现|当前)?(?:无|没有|缺乏|未有|未找到|未明确)"
    r"(?:明确|相关|具体|直接|可依|对应)?的?"
    r"(?:法律|法规|政策|规章|文件|法律法规|政策法规|法律法规政策|上位法)?"
    r"(?:依据|规定|根据|出处)?$"
)


def is_placeholder_basis(text: str) -> bool:
    """Whether a 政策依据 names no legal basis: blank, punctuation only (—, /, -), a word that
    stands for none (无, 暂无, 同上, N/A…), or a sentence saying so (暂无法律依据, 政策依据：无).
    A measure is applied only with its legal basis in the measures list (R10, 001 §9-10), and
    such a text is none."""
    words = _NOT_WORDS.sub("", unicodedata.normalize("NFKC", text)).casefold()
    unlabelled = _BASIS_LABEL.sub("", words)
    return (
        not unlabelled
        or words in PLACEHOLDER_BASES
        or unlabelled in PLACEHOLDER_BASES
        or _STATES_NO_BASIS.match(unlabelled) is not None
    )


class MeasureCategory(models.IntegerChoices):
    """The three categories of the national basic list of dishonesty measures."""

    RIGHTS_AND_DUTIES = (
        1,
        _("Measures by public administrations that reduce rights or add obligations under law"),
    )
    MANAGEMENT = 2, _("Management measures by public administrations in the course of their duties")
    OTHER_ORGANISATIONS = 3, _("Measures taken by organisations other than public administrations")


class Measure(models.Model):
    """One measure; none is ever applied unless it is here with its legal basis (R10)."""

    class Type(models.TextChoices):
        REWARD = "reward", _("Reward")
        PUNISHMENT = "punishment", _("Punishment")

    class Target(models.TextChoices):
        ORGANISATION = "organisation", _("The organisation")
        LEGAL_REPRESENTATIVE = "legal_representative", _("Legal representative")
        PRINCIPAL = "principal", _("Principal")
        RESPONSIBLE = "responsible", _("Responsible person")
        PERSON = "person", _("Natural person")

    code = models.SlugField(_("Measure code"), max_length=64, unique=True)
    sequence = models.PositiveIntegerField(_("Sequence"), null=True, blank=True)
    name = models.CharField(_("Item"), max_length=200)
    content = models.TextField(_("Content"))
    type = models.CharField(_("Type"), max_length=16, choices=Type.choices)
    category = models.PositiveSmallIntegerField(
        _("Measure category"), choices=MeasureCategory.choices, null=True, blank=True
    )
    mandatory = models.BooleanField(
        _("Mandatory"),
        default=False,
        help_text=_("Mandatory measures must be applied, recommended ones may be (004 §2(4)4)."),
    )
    legal_basis = models.TextField(_("Policy basis"))
    list_kinds = models.JSONField(
        _("List kinds"),
        default=list,
        help_text=format_lazy("{}{}", _("Values: "), ", ".join(ListKind.values)),
    )
    # No domain (no department) means every one, so a domain or a department a measure is
    # limited to cannot be deleted while the measure names it (``MeasureDomain``).
    domains = models.ManyToManyField(
        Domain, verbose_name=_("Domains"), blank=True, through="MeasureDomain"
    )
    scenarios = models.ManyToManyField(Scenario, verbose_name=_("Scenario"), blank=True)
    implementing_departments = models.ManyToManyField(
        Department, verbose_name=_("Implementing department"), blank=True,
        through="MeasureDepartment",
    )  # fmt: skip
    targets = models.JSONField(
        _("Targets"),
        default=list,
        help_text=format_lazy("{}{}", _("Values: "), ", ".join(Target.values)),
    )
    implementing_level = models.CharField(_("Implementing level"), max_length=64, blank=True)
    frequency = models.CharField(_("Frequency"), max_length=64, blank=True)
    is_active = models.BooleanField(_("Active"), default=True)
    updated_at = models.DateTimeField(_("Updated at"), auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Measure")
        ordering = ["sequence", "code"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(legal_basis=""), name="measure_has_legal_basis"
            )
        ]

    def __str__(self) -> str:
        return self.name


# The lists a reward follows from; a punishment follows from every other kind, the dishonesty
# lists (black, key attention, big-data warning, key monitoring).
REWARD_LIST_KINDS = frozenset({ListKind.RED.value})


def list_kinds_against_type(measure_type: str, list_kinds: Iterable[str]) -> list[str]:
    """The list kinds a measure of ``measure_type`` cannot follow from (R10, 000 §四): a
    reward follows from the red list only, and a punishment from the dishonesty lists only. A
    punishment of the red-listed, or a reward of the black-listed, is a measure the law does
    not give."""
    if measure_type == Measure.Type.REWARD:
        return [kind for kind in list_kinds if kind not in REWARD_LIST_KINDS]
    if measure_type == Measure.Type.PUNISHMENT:
        return [kind for kind in list_kinds if kind in REWARD_LIST_KINDS]
    return []


class MeasureDomain(models.Model):
    """A domain a measure is limited to (R10: a measure is not added or aggravated).

    A measure with no domain follows from lists in every domain, so deleting a domain would
    widen each measure limited to it alone: the link protects the domain, and the admin's delete
    page names the measures that stand in the way. The table is the one Django made for the
    plain many-to-many field (migration 0016 changes no column).
    """

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "measures_measure_domains"
        # As Django declared it for the plain field, so that the state matches the table.
        unique_together = [("measure", "domain")]
        verbose_name = verbose_name_plural = _("Domain a measure is limited to")

    def __str__(self) -> str:
        return f"{self.measure.code} {self.measure.name}"


class MeasureDepartment(models.Model):
    """An implementing department a measure is limited to; protected as ``MeasureDomain`` is,
    for no department means every one (R10)."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")

    class Meta:
        db_table = "measures_measure_implementing_departments"
        unique_together = [("measure", "department")]
        verbose_name = verbose_name_plural = _("Implementing department a measure is limited to")

    def __str__(self) -> str:
        return f"{self.measure.code} {self.measure.name}"


class CheckResult(models.TextChoices):
    CLEAR = "clear", _("Clear")
    REWARD = "reward", _("Reward")
    PUNISH = "punish", _("Punish")
    BOTH = "both", _("Reward and punish")
    # A name check with several plausible candidates and no decision yet.
    UNDETERMINED = "undetermined", _("Undetermined")


class Check(models.Model):
    """One check by an implementing department in a scenario; also its query registration (R14).

    The answer is kept as given, so that feedback and review read what the department saw.
    """

    id = models.UUIDField(_("Check ID"), primary_key=True, default=uuid.uuid4, editable=False)
    created_at = models.DateTimeField(_("Time"), auto_now_add=True, db_index=True)
    as_of = models.DateField(_("As of"))
    user = models.ForeignKey(
        "auth.User", verbose_name=_("Account"), on_delete=models.PROTECT, related_name="+"
    )
    # No index of its own: the (department, created_at) index below starts with it, and every
    # check writes each index of this, the busiest table.
    department = models.ForeignKey(
        Department, verbose_name=_("Department"), on_delete=models.PROTECT, related_name="checks",
        db_index=False,
    )  # fmt: skip
    scenario = models.ForeignKey(Scenario, verbose_name=_("Scenario"), on_delete=models.PROTECT)
    subject = models.ForeignKey(
        "subjects.Subject", verbose_name=_("Credit subject"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="checks",
    )  # fmt: skip
    query_identifier = models.CharField(_("Identifier asked"), max_length=18, blank=True)
    query_name = models.CharField(_("Name asked"), max_length=200, blank=True)
    # The name sent beside ``query_identifier``, whatever answered (R14: all that was asked is
    # registered). Not ``query_name``: that one makes a check one by name, which a department
    # may decide on (``name_decisions``); here the code may have decided. A default in the
    # database too, for rows written by plain SQL (the benchmarks' bulk loads).
    name_with_code = models.CharField(
        _("Name sent with the code"), max_length=200, blank=True, default="", db_default=""
    )
    result = models.CharField(_("Result"), max_length=16, choices=CheckResult.choices)
    response = models.JSONField(_("Answer"), default=dict)
    # From where, as every other registration (R14); none for a check made by the platform
    # itself (the demo's history).
    client_address = models.GenericIPAddressField(_("Client address"), null=True, blank=True)
    # Which token made it (R14: accountability): a department's tokens all act as its one
    # system account, so the account alone cannot tell a leaked token's checks from the
    # system's. The row, never the token: only its digest is kept, and the registry shows its
    # prefix. None for a check made in a session or by the platform itself (the demo's
    # history), and for checks registered before tokens were. No index: a reviewer reads it
    # beside the rows the department and time find, and every check writes each index.
    token = models.ForeignKey(
        "api.ApiToken", verbose_name=_("API token"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_index=False,
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = _("Check")
        indexes = [models.Index(fields=["department", "created_at"])]

    def __str__(self) -> str:
        return f"{self.id} {self.scenario_id} {self.result}"


class CheckFeedback(models.Model):
    """What the implementing department did after a check, and the result (R11, 002 §二十三)."""

    check_record = models.ForeignKey(
        Check, verbose_name=_("Check"), on_delete=models.PROTECT, related_name="feedback"
    )
    created_at = models.DateTimeField(_("Time"), auto_now_add=True)
    reported_by = models.CharField(_("Reported by"), max_length=150)
    business_reference = models.CharField(_("Business reference"), max_length=128)
    # What tells one business from another: a keyed digest of the reference as sent (trimmed).
    # The reference itself is kept masked for display, and two references can mask alike.
    business_key = models.CharField(_("Business key"), max_length=64, db_index=True)
    outcome = models.TextField(_("Outcome"), blank=True)
    measures = models.JSONField(
        _("Measures applied"), default=list,
        help_text=_("For each measure of the answer: its code, whether it was applied, and why."),
    )  # fmt: skip
    # The day the business applied the measures, as reported (the report's day unless said):
    # the entries are judged as they stood that day (R4, R6). Empty on reports from before.
    applied_on = models.DateField(_("Applied on"), null=True, blank=True)
    # A correction by the department that reported (a measure reported applied that was not, a
    # wrong end): a new report of the same business pointing at the one it corrects, which is
    # kept as it was. Only a report no other corrects counts (``statistics.STANDING``); a report is
    # corrected at most once, so the reports of a business form one line (STYLE: history is
    # append-only, a correction is a new row that points at what it corrects).
    corrects = models.OneToOneField(
        "self", verbose_name=_("Corrects"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="correction",
    )  # fmt: skip
    correction_reason = models.TextField(_("Reason for correction"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Check feedback")
        constraints = [
            # A report sent again (a retry after a lost answer) must not count as a second
            # case (003 §七); one check may serve several businesses, each reported once. A
            # correction is the same business again, pointing at the report it corrects.
            models.UniqueConstraint(
                fields=["check_record", "business_key"],
                name="one_feedback_per_business",
                condition=models.Q(corrects__isnull=True),
            ),
            models.CheckConstraint(
                condition=models.Q(corrects__isnull=True) | ~models.Q(correction_reason=""),
                name="correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.check_record_id} {self.business_reference}"


class MeasureOutcome(models.Model):
    """One measure of a check as its department reported it: applied or not, and why (R11).

    The feedback keeps what was sent; these rows are what the joint reward and punishment
    statistics count (by implementing department, recognizing department, domain, list kind and
    measure, and cases against the number listed: 003 §七), so the database counts them. The
    entries are those of the answer the measure followed from that could carry it when it was
    reported: for an applied measure, those in force and under no objection then
    (``services._followed_from``).
    """

    feedback = models.ForeignKey(
        CheckFeedback, verbose_name=_("Check feedback"), on_delete=models.PROTECT,
        related_name="outcomes",
    )  # fmt: skip
    measure = models.ForeignKey(
        Measure, verbose_name=_("Measure"), on_delete=models.PROTECT, related_name="+"
    )
    # The measure as the check answered it, what the department reported on: the statistics and
    # typical cases count and show these, never the measure as it stands. The list changes
    # under past reports (a reload that shifts 序号 gives a code, and so a row, to another
    # measure), and a report must go on saying what was applied, of which type, on what legal
    # basis (R10, R11).
    measure_code = models.CharField(_("Measure code"), max_length=64)
    measure_name = models.CharField(_("Item"), max_length=200)
    measure_type = models.CharField(_("Type"), max_length=16, choices=Measure.Type.choices)
    measure_legal_basis = models.TextField(_("Policy basis"))
    # The implementing department (the check's), and the day reported in local time: the two
    # things every statistic filters on, kept here so that no count joins the checks.
    department = models.ForeignKey(
        Department, verbose_name=_("Implementing department"), on_delete=models.PROTECT,
        related_name="+",
    )  # fmt: skip
    reported_on = models.DateField(_("Reported on"))
    # The measure's first day, as its report says (its own ``start``, else the report's day of
    # application, else the report's day); for a measure not applied, the report's day: what
    # the statistics count a case in (003 §七), not the day it was reported.
    applied_on = models.DateField(_("Applied on"))
    # Its last day (``end``), when the report says one; empty: it runs while its entries carry
    # it, and stops when they end (R4) or an objection suspends them (R6).
    applied_until = models.DateField(_("Applied until"), null=True, blank=True)
    applied = models.BooleanField(_("Applied"))
    reason = models.TextField(_("Reason"), blank=True)
    mandatory = models.BooleanField(_("Mandatory"))
    suspended = models.BooleanField(
        _("Suspended"), help_text=_("Every entry it followed from was under verification.")
    )
    # Mandatory and in force through at least one entry not under verification: what the
    # report had to account for, with a reason when not applied (002 §二十, R6).
    binding = models.BooleanField(_("Binding"), default=False)
    entries = models.ManyToManyField(
        "listings.ListEntry", verbose_name=_("Entries"), related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = _("Measure outcome")
        constraints = [
            models.UniqueConstraint(fields=["feedback", "measure"], name="one_outcome_per_measure"),
            models.CheckConstraint(
                condition=models.Q(applied_until__isnull=True)
                | models.Q(applied=True, applied_until__gte=models.F("applied_on")),
                name="outcome_ends_after_it_starts",
            ),
        ]
        indexes = [
            models.Index(fields=["applied_on", "department"], name="measures_outcome_applied_on")
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.measure_code} {self.applied}"


class NameDecision(models.Model):
    """A department's decision that a name it asked about is (or is not) a given subject.

    Later name checks by the department remember it (issue: name checks). They find it by
    ``normalized_name``, the normalised name's parts with a separator between them
    (``checks.name_decision_key``: 东方|电气|有限公司| is not |东方电气|有限公司|); ``asked_name``
    keeps the name as the check asked it, so that a later normaliser can key the decision again
    from what was asked rather than from an earlier key, which has already lost what it dropped
    (a region in brackets, 恒泰机械（唐山）…). Decisions made before it was kept have it blank,
    and are keyed again from their key.
    """

    department = models.ForeignKey(
        Department, verbose_name=_("Department"), on_delete=models.PROTECT
    )
    normalized_name = models.CharField(_("Normalized name"), max_length=200, db_index=True)
    asked_name = models.CharField(_("Name as asked"), max_length=200, blank=True, default="")
    subject = models.ForeignKey(
        "subjects.Subject", verbose_name=_("Credit subject"), on_delete=models.PROTECT
    )
    same_subject = models.BooleanField(_("Same subject"))
    reason = models.TextField(_("Reason"))
    decided_by = models.CharField(_("Decided by"), max_length=150)
    decided_at = models.DateTimeField(_("Decided at"), auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Name decision")
        constraints = [
            models.UniqueConstraint(
                fields=["department", "normalized_name", "subject"], name="one_name_decision"
            )
        ]

    def __str__(self) -> str:
        return f"{self.normalized_name} → {self.subject_id} ({self.same_subject})"


class ScreeningJob(models.Model):
    """One batch screening: a file of codes or names checked in one scenario (item 6).

    The job is the registration of the whole batch (R14: who, department, scenario, time, and the
    file that names the subjects); rows are not registered one by one.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(_("Job ID"), primary_key=True, default=uuid.uuid4, editable=False)
    department = models.ForeignKey(
        Department, verbose_name=_("Department"), on_delete=models.PROTECT, related_name="+"
    )
    user = models.ForeignKey(
        "auth.User", verbose_name=_("Account"), on_delete=models.PROTECT, related_name="+"
    )
    scenario = models.ForeignKey(Scenario, verbose_name=_("Scenario"), on_delete=models.PROTECT)
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    input_path = models.CharField(_("Input file"), max_length=500)
    output_path = models.CharField(_("Output file"), max_length=500, blank=True)
    rows = models.PositiveIntegerField(_("Rows"), default=0)
    ok = models.PositiveIntegerField(_("Matched"), default=0)
    invalid = models.PositiveIntegerField(_("Invalid"), default=0)
    unknown = models.PositiveIntegerField(_("Unknown"), default=0)
    ambiguous = models.PositiveIntegerField(_("Ambiguous"), default=0)
    error = models.TextField(_("Error"), blank=True)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("Started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("Finished at"), null=True, blank=True)
    # Runs that took the job: one whose process died is taken again when stale, up to a
    # limit (``screening_jobs.MAX_ATTEMPTS``).
    attempts = models.PositiveSmallIntegerField(_("Runs"), default=0)
    # When the job's process last showed it was alive: registered, claimed, then every second
    # of its run. A job whose process stopped doing so for ``screening_jobs.STALE_AFTER`` died;
    # the time it started says nothing, as a large file takes longer than that.
    heartbeat_at = models.DateTimeField(_("Last sign of life"), null=True, blank=True)
    # Its result is written where the command line asked and handed over at once: a run of it
    # that died is never run again by the sweep, which would write there behind the operator.
    from_command_line = models.BooleanField(_("Run from the command line"), default=False)
    # When the daily job deleted the result and the persons kept beside it, past their days
    # (``screening_retention``): the job stays, as the registration of the batch (R14).
    result_removed_at = models.DateTimeField(_("Result deleted at"), null=True, blank=True)
    # Which token uploaded it (R14), as a check registers its own: a department's tokens all
    # act as its one system account, and a leaked token's batch of a million subjects must be
    # told from the system's. None for a job run from the command line, and for jobs
    # registered before tokens were.
    token = models.ForeignKey(
        "api.ApiToken", verbose_name=_("API token"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", db_index=False,
    )  # fmt: skip

    class Meta:
        verbose_name = verbose_name_plural = _("Screening job")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"{self.id} {self.scenario_id} {self.status}"


class TypicalCaseState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("typical case", "Draft")
    PUBLISHED = "published", pgettext_lazy("typical case", "Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("typical case", "Withdrawn")


class TypicalCase(models.Model):
    """A joint reward or punishment case the credit office publishes on the portal as typical
    (典型案例: R11; 003 §七 asks that typical cases be published on the local credit portal).

    It rests on one reported business in which a measure was applied; its title and summary
    are the credit office's words, kept with personal data masked (``typical_cases.masked``).
    Its state moves only as ``typical_cases.TRANSITIONS`` allows; a withdrawn case stays, with
    its reason, and leaves the portal.
    """

    feedback = models.OneToOneField(
        CheckFeedback, verbose_name=_("Check feedback"), on_delete=models.PROTECT,
        related_name="typical_case",
    )  # fmt: skip
    title = models.CharField(_("Title"), max_length=200)
    summary = models.TextField(_("Summary"))
    state = models.CharField(
        _("State"), max_length=16, choices=TypicalCaseState.choices,
        default=TypicalCaseState.DRAFT,
    )  # fmt: skip
    created_by = models.CharField(_("Created by"), max_length=150)
    created_at = models.DateTimeField(_("Created at"), auto_now_add=True)
    published_on = models.DateField(_("Published on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("Withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("Reason for withdrawal"), blank=True)

    class Meta:
        verbose_name = verbose_name_plural = _("Typical case")
        indexes = [models.Index(fields=["state", "published_on"])]

    def __str__(self) -> str:
        return self.title
