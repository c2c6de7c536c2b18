"""The texts the procedure produces: the notice to the subject, announcements, the decision;
the letters answering an objection are ``listings.objection_letters``.

The decision document states the reason, the basis, the measures that follow, the exit
conditions and procedure, and the remedies (R1, 001 §8); public texts mask personal data
unless the catalog's legal basis requires it (R5, 001 §4).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.conf import settings
from django.db.models import Q
from django.utils import translation

from xinyong.catalog.models import Disclosure
from xinyong.core.document_dates import written
from xinyong.core.free_text import mask_free_text
from xinyong.core.masking import mask_id_number, mask_subject_name
from xinyong.listings.decision_records import EntryLeniency, EntryNotRepairable
from xinyong.listings.models import ExitReason, ListEntry, ListKind
from xinyong.listings.workflow import EXIT_REASONS
from xinyong.subjects.selectors import linked_names

# A list's entries are published unless the catalog item it is kept under says the information
# is not public (依申请公开 or 不公开: R5, 001 §三(二)); a list naming no item publishes.
DISCLOSED = Q(list__catalog_item__isnull=True) | Q(list__catalog_item__disclosure=Disclosure.PUBLIC)

# The lists the platform derives from others (R3): their start is recorded, never announced, so
# their end is not announced either: an exit notice follows the listing's (R4, 000 §十).
UNANNOUNCED_KINDS = frozenset({ListKind.BIG_DATA_WARNING, ListKind.KEY_MONITORING})

# The public reason of a red-list exit caused by a black listing the public may not see (R5):
# the red exit must not publish what the black list's catalog item keeps back.
NO_LONGER_REWARDED = "不再符合守信激励条件"

REMEDIES = (
    "如对本决定不服，可以自收到本决定之日起六十日内依法申请行政复议，或者六个月内依法提起行政诉讼。"
)


def _masks(entry: ListEntry) -> bool:
    """Whether a person's data is masked in this list's public texts: the catalog item decides,
    and personal data is masked when the list names none (R5, 001 §4)."""
    item = entry.list.catalog_item
    return entry.subject.is_natural_person and (item is None or item.mask_personal_data)


def public_name(entry: ListEntry) -> str:
    subject = entry.subject
    return mask_subject_name(subject.name, is_natural_person=_masks(entry))


def public_code(entry: ListEntry) -> str:
    """A person's ID masked to its first 6 and last 4 characters, or shown where the legal basis
    requires it (decrypted for the page, R14); an organisation's code as stored: in full, but
    masked when it may be a person's ID too (18 digits can be valid both ways, R14)."""
    subject = entry.subject
    if _masks(entry):
        return mask_id_number(subject.identifier)
    return subject.reveal_identifier() if subject.is_natural_person else subject.identifier


def _masks_persons(entry: ListEntry) -> bool:
    """Whether the natural persons in this list's public texts are masked: the catalog item
    decides for them as for the subject (R5, 001 §4)."""
    item = entry.list.catalog_item
    return item is None or item.mask_personal_data


def _published_words(entry: ListEntry, organisations: Sequence[str]) -> list[str]:
    """What a public text about the entry names that is no person and is published in full
    (R5): the organisations' names, the list's, the recognizing department's, the legal basis
    (and each law it cites) and the decision's number. A person's given name inside one of
    them (建设 of 张建设 in 住房和城乡建设局, 《建设工程质量管理条例》) stays as written."""
    definition = entry.list
    words = [*organisations, definition.name,
             definition.recognizing_department.name, entry.basis,
             entry.decision_document_number or ""]  # fmt: skip
    words += _LAW_TITLE.findall(entry.basis or "")
    return [word.strip() for word in words if word and word.strip()]


# A law's title as a basis cites it: 《建设工程质量管理条例》.
_LAW_TITLE = re.compile(r"《[^《》\n]+》")


def public_text(entry: ListEntry, text: str) -> str:
    """An officer's words about the entry (its facts) as a public text may show them (R5, R14):
    citizen IDs and mobile numbers masked whoever they belong to, and the natural persons the
    platform knows the entry concerns masked unless the catalog item's legal basis requires
    them (001 §4): a person subject, the persons linked to an organisation (its legal
    representative and the like, past ones too) and the persons the entry names. Names and
    given names alone are masked as ``core.free_text.mask_free_text`` says; what is published
    in full (``_published_words``: the organisations' names, the list, the department, the
    basis) is kept as written, so that a whole announcement may be masked again."""
    names = linked_names(entry.subject)
    persons: set[str] = set()
    if _masks_persons(entry):
        persons = {named.person.name for named in entry.persons.all()}
        persons.update(names.persons)
    return mask_free_text(text, sorted(persons), keep=_published_words(entry, names.organisations))


def _subject_line(entry: ListEntry) -> str:
    """The subject in a text that is stored (announcements, history): a person's ID always
    masked there, as no table keeps a citizen ID in clear (R14)."""
    label = "身份证号码" if entry.subject.is_natural_person else "统一社会信用代码"
    return f"{public_name(entry)}（{label}：{entry.subject.identifier}）"


def notice_to_subject(entry: ListEntry, *, meeting_on: dt.date, meeting: str) -> str:
    """What the subject is told before publicity: the meeting that decided to propose the
    listing, reasons, basis and its rights (001 §8, R1)."""
    return (
        f"{entry.subject.name}：\n本机关于{written(meeting_on)}经{meeting}集体研究，"
        f"拟将你（单位）列入{entry.list.name}。\n"
        f"事实与理由：{entry.facts}\n依据：{entry.basis}\n"
        f"你（单位）有权在公示期内提出异议并提交证据材料，有权进行陈述和申辩。"
    )


def publicity_notice(entry: ListEntry) -> tuple[str, str]:
    """The public notice of a candidate, with the end of its publicity period (R1, R5)."""
    title = f"关于拟列入{entry.list.name}的公示"
    body = (
        f"拟列入主体：{_subject_line(entry)}\n名单：{entry.list.name}\n"
        f"认定部门：{entry.list.recognizing_department.name}\n"
        f"事实：{public_text(entry, entry.facts)}\n依据：{entry.basis}\n"
        f"公示期：{written(entry.publicity_starts_on)}至"
        f"{written(entry.publicity_ends_on, provisional=entry.publicity_ends_provisional)}。"
        f"公示期内如有异议，可向认定部门书面提出并提交证据材料。"
    )
    return title, body


def publicity_amendment(
    entry: ListEntry, announced_end: dt.date, announced_provisional: bool
) -> tuple[str, str]:
    """The new end of a running publicity period after the holiday schedule changed (R1,
    R15): the last notice announced ``announced_end``; the start and the period stay."""
    workdays = entry.publicity_workdays or entry.list.publicity_workdays
    cause = (
        f"根据{entry.publicity_ends_on.year}年节假日安排" if announced_provisional
        else "因节假日安排调整"
    )  # fmt: skip
    was = written(announced_end, provisional=announced_provisional)
    now = written(entry.publicity_ends_on, provisional=entry.publicity_ends_provisional)
    title = f"关于拟列入{entry.list.name}公示期截止日期调整的公告"
    body = (
        f"拟列入主体：{_subject_line(entry)}\n名单：{entry.list.name}\n"
        f"认定部门：{entry.list.recognizing_department.name}\n"
        f"{cause}，前次公告的公示期截止日{was}调整为{now}；"
        f"公示期起始日期（{written(entry.publicity_starts_on)}）及期限（{workdays}个工作日）不变。"
        f"公示期内如有异议，可向认定部门书面提出并提交证据材料。"
    )
    return title, body


def _validity(entry: ListEntry) -> str:
    return f"有效期至{written(entry.valid_until)}" if entry.valid_until else "至移出之日止"


def _measures(measures: Sequence[str]) -> str:
    """The measures that follow, or the measures list when the decision named none (R10)."""
    named = [measure.strip() for measure in measures if measure.strip()]
    return "；".join(named) if named else "按照措施清单实施"


# How each way out of a list reads in a decision and its announcement (R4, 000 §十), in the
# order a reader meets them; which of them apply is the transition table's to say.
_EXIT_CONDITIONS = (
    (ExitReason.EXPIRED, "有效期届满的，自动移出"),
    (ExitReason.CORRECTED, "经异议核实认定有误的，予以更正并移出"),
    (ExitReason.REPORTED, "经举报核实不符合列入条件的，予以移出"),
    (ExitReason.BLACKLISTED, "被列入严重失信主体名单的，即时移出"),
    (ExitReason.REQUESTED, "当事人申请退出的，予以移出"),
)


def repair_text(entry: ListEntry, *, public: bool = False) -> str:
    """Whether credit repair ends the entry early (R8): only on lists whose kind allows repair
    as an exit; there the list says whether its entries are repairable, and the decision
    whether this one, especially serious, is not (with its reason: an officer's words, masked
    in a ``public`` text as the facts are, R5). Empty where repair is no way out of the list at
    all (red lists, R4)."""
    if ExitReason.REPAIRED not in EXIT_REASONS.get(entry.list.kind, frozenset()):
        return ""
    if not entry.list.repairable:
        return "不适用信用修复"
    if entry.not_repairable_reason:
        return _ruled_out(entry, entry.not_repairable_reason, public=public)
    return "可以依法申请信用修复，信用修复后提前移出"


def _ruled_out(entry: ListEntry, reason: str, *, public: bool) -> str:
    """A ruling that the entry is not repairable, with its reason (masked where ``public``)."""
    reason = reason.strip().rstrip("。；;，,.")
    return f"经认定不适用信用修复（{public_text(entry, reason) if public else reason}）"


def exit_conditions(entry: ListEntry, *, public: bool = False) -> str:
    """The exit conditions and procedure, built from the exits the entry's list kind allows
    (``workflow.EXIT_REASONS``, R4), its repairable flag and the decision on this entry's
    repair (R8; ``repair_text``, masked where ``public``). Expiry is named only for an entry
    with a term; every exit is announced where the listing was and its measures stop."""
    allowed = EXIT_REASONS.get(entry.list.kind, frozenset())
    conditions = [
        text
        for reason, text in _EXIT_CONDITIONS
        if reason in allowed and (reason != ExitReason.EXPIRED or entry.valid_until)
    ]
    repair = repair_text(entry, public=public)
    if repair:
        conditions.append(repair)
    return (
        "；".join(conditions) + "。移出后在原公告渠道发布移出公告，停止公示、停止共享，"
        "相关措施同时停止。"
    )


def decision_document(
    entry: ListEntry, measures: Sequence[str], leniency: EntryLeniency | None = None
) -> str:
    """The listing decision with its required parts (R1, 001 §8), and the lenient and prudent
    treatment the department gave, when it gave one (R10, 001 §10). The public announcement
    leaves the latter out: it may tell a minor's circumstances."""
    definition = entry.list
    weighed = (
        f"宽容审慎：{'；'.join(leniency.ground_labels)}。{leniency.statement}\n"
        if leniency is not None
        else ""
    )
    return (
        f"列入决定书（{entry.decision_document_number}）\n"
        f"当事人：{entry.subject.name}（{entry.subject.identifier}）\n"
        f"列入名单：{definition.name}\n认定部门：{definition.recognizing_department.name}\n"
        f"事实与理由：{entry.facts}\n认定依据：{entry.basis}\n"
        f"生效日期：{written(entry.effective_on)}，{_validity(entry)}。\n"
        f"相应措施：{_measures(measures)}。\n{weighed}"
        f"移出条件和程序：{exit_conditions(entry)}\n"
        f"救济途径：{REMEDIES}"
    )


def decision_announcement(entry: ListEntry, measures: Sequence[str] = ()) -> tuple[str, str]:
    """The public listing notice: what R5 (000 §七) publishes, the measures that follow, credit
    repair and exit included, as the decision document states them."""
    title = f"关于将{public_name(entry)}列入{entry.list.name}的公告"
    body = (
        f"主体：{_subject_line(entry)}\n名单：{entry.list.name}\n"
        f"认定部门：{entry.list.recognizing_department.name}\n"
        f"事实：{public_text(entry, entry.facts)}\n依据：{entry.basis}\n"
        f"决定文书号：{entry.decision_document_number}\n"
        f"生效日期：{written(entry.effective_on)}，{_validity(entry)}。\n"
        f"相应措施：{_measures(measures)}。\n"
        f"移出条件：{exit_conditions(entry, public=True)}"
    )
    return title, body


def not_repairable_lifted_announcement(
    entry: ListEntry, ruling: EntryNotRepairable, reason: str, day: dt.date
) -> tuple[str, str]:
    """The public correction of a ruling that the entry is not repairable, found wrong and
    lifted on ``day`` (R8, R10, 000 §十一.3: a wrong grading corrected and clarified): it
    follows the decision notice that stated the ruling, on its channel (R4, R5). The ruling and
    the reason it is lifted for are an officer's words, masked as the facts are (R5, 001 §4);
    the ruling is quoted as the decision notice stated it (``repair_text``)."""
    title = f"关于{public_name(entry)}不适用信用修复认定的更正公告"
    body = (
        f"主体：{_subject_line(entry)}\n名单：{entry.list.name}\n"
        f"认定部门：{entry.list.recognizing_department.name}\n"
        f"决定文书号：{entry.decision_document_number}\n"
        f"{written(ruling.recorded_on)}发布的列入公告载明该记录“"
        f"{_ruled_out(entry, ruling.reason, public=True)}”。经复核，该认定有误，现予撤销。\n"
        f"撤销理由：{public_text(entry, reason)}\n"
        f"自{written(day)}起，该记录可以依法申请信用修复，信用修复后提前移出。"
    )
    return title, body


def not_repairable_lifted_letter(
    entry: ListEntry, ruling: EntryNotRepairable, reason: str, day: dt.date
) -> str:
    """What the subject is told when the ruling that its entry is not repairable is lifted: the
    correction, its written apology and the public clarification (000 §十一.3: a wrong grading
    of its dishonesty), and that it may now apply for repair (R8)."""
    return "\n".join([
        f"{entry.subject.name}：",
        f"本机关{written(ruling.recorded_on)}作出的将你（单位）列入{entry.list.name}的决定"
        f"（{entry.decision_document_number}）认定该记录不适用信用修复"
        f"（理由：{ruling.reason.strip().rstrip('。；;，,.')}）。经复核，该认定有误，现予撤销。",
        f"撤销理由：{reason}",
        f"自{written(day)}起，你（单位）可以依法申请信用修复，信用修复后提前移出该名单；"
        "信用修复不收取任何费用。",
        "对此认定错误，本机关特向你（单位）书面致歉，已在原公告渠道发布更正公告予以澄清。",
        f"救济途径：{REMEDIES}",
    ])  # fmt: skip


def is_announced(entry: ListEntry) -> bool:
    """Whether the entry's listing and so its exit are announced: not on a list the platform
    derives, whose start nobody announces (R3, R4)."""
    return entry.list.kind not in UNANNOUNCED_KINDS


def in_site_language(text: object) -> str:
    """A label as a stored public text gives it: in the site's language, whatever language the
    request that caused the text was read in (R5: one public text for everyone)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _black_listing_is_public(entry: ListEntry) -> bool:
    """Whether a black listing of the entry's subject in force on its exit day (the one that
    ended it, R2) is disclosed to the public (R5, 001 §三(二))."""
    day = entry.exited_on
    black = ListEntry.objects.filter(
        subject_id=entry.subject_id, list__kind=ListKind.BLACK, effective_on__lte=day
    ).exclude(exited_on__lte=day)
    return black.filter(DISCLOSED).exists()


def public_exit_reason(entry: ListEntry) -> str:
    """The exit reason a public text gives: the entry's, except that a red-list entry ended by a
    black listing the public may not see is said to no longer meet the reward's conditions
    (R2, R5); the entry and its history keep the real reason."""
    if entry.exit_reason == ExitReason.BLACKLISTED and not _black_listing_is_public(entry):
        return NO_LONGER_REWARDED
    return in_site_language(ExitReason(entry.exit_reason).label)


def exit_announcement(entry: ListEntry) -> tuple[str, str]:
    """Every exit is announced where the listing was; measures stop at once (R4, 000 §十)."""
    reason = public_exit_reason(entry)
    title = f"关于将{public_name(entry)}移出{entry.list.name}的公告"
    body = (
        f"主体：{_subject_line(entry)}\n名单：{entry.list.name}\n移出原因：{reason}\n"
        f"移出日期：{written(entry.exited_on)}。自移出之日起停止公示、停止共享，相关措施同时停止。"
    )
    return title, body


def correction_announcement(entry: ListEntry) -> tuple[str, str]:
    """A wrong listing that took effect is corrected publicly; the subject's reputation restored
    (000 §十一.3). A candidacy never listed is announced as not listed instead
    (``not_listed_announcement``). The public text cites no clause: a reader has no use for our
    numbering."""
    title = f"关于{public_name(entry)}有关{entry.list.name}信息的更正公告"
    body = (
        f"经核实，{_subject_line(entry)}列入{entry.list.name}的认定有误，现予更正，并恢复其名誉。"
    )
    return title, body


def correction_letter(entry: ListEntry, finding: str, restored: str = "") -> str:
    """The subject's correction and apology when the department finds a listing wrong with no
    objection to answer (its own review, an implementing department's report of an error): the
    当事人 is owed them whoever found the error (R6, 000 §十一.3); ``restored`` as for
    ``objection_letters.objection_answers``."""
    lines = [
        f"{entry.subject.name}：",
        f"经核实，本机关将你（单位）列入{entry.list.name}的认定有误，现予更正，"
        f"你（单位）自{written(entry.exited_on)}起移出该名单，相关措施同时停止。",
    ]
    if finding.strip():
        lines.append(f"核实结论：{finding.strip()}")
    if restored:
        lines.append(restored)
    lines += [
        "对此认定错误，本机关特向你（单位）书面致歉，已在原公告渠道发布更正公告予以澄清，"
        "并恢复你（单位）的名誉。",
        f"救济途径：{REMEDIES}",
    ]
    return "\n".join(lines)


def not_listed_announcement(entry: ListEntry, *, objected: bool) -> tuple[str, str]:
    """A publicized candidacy the department decides not to list (001 §8), or whose objection
    is founded before it took effect (R6): it was never listed, so the notice says it is not
    listed, not that a listing was wrong (``correction_announcement`` is for that)."""
    why = "经核实，异议成立，不予列入" if objected else "经审议，决定不予列入"
    title = f"关于不予列入{entry.list.name}的公告"
    body = (
        f"拟列入主体：{_subject_line(entry)}\n名单：{entry.list.name}\n"
        f"认定部门：{entry.list.recognizing_department.name}\n"
        f"{written(entry.publicity_starts_on)}发布的拟列入{entry.list.name}的公示，{why}，"
        f"原公示现予撤回。"
    )
    return title, body


def withdrawal_announcement(entry: ListEntry) -> tuple[str, str]:
    """A candidacy withdrawn after its publicity notice is withdrawn in public too, following
    that notice (001 §8, R4): the notice must not stand uncorrected."""
    title = f"关于撤回拟列入{entry.list.name}公示的公告"
    body = (
        f"拟列入主体：{_subject_line(entry)}\n名单：{entry.list.name}\n"
        f"认定部门：{entry.list.recognizing_department.name}\n"
        f"{written(entry.publicity_starts_on)}发布的拟列入{entry.list.name}的公示，"
        f"经认定部门研究决定不予列入，现予撤回。"
    )
    return title, body


def _listing_is_public(entry: ListEntry) -> bool:
    """Whether the entry's list publishes its entries: under no catalog item, or one that is
    public (R5, 001 §三(二); ``DISCLOSED``)."""
    item = entry.list.catalog_item
    return item is None or item.disclosure == Disclosure.PUBLIC


def _cited_blacklisting(red: ListEntry, black: ListEntry) -> str:
    """The red entry's exit notice (``exit_announcement``) as a correction cites it: the reason
    it gave, and the black listing found wrong only where that listing is public (R5): a
    blacklisting the public may not see was published as ``NO_LONGER_REWARDED``, and its
    correction does not tell it either. Nor does it tell an organisation's listing that ended
    the red entry of a person it named (002 §十六): no public text tells a naming (R5), and the
    exit notice gave ``NO_LONGER_REWARDED`` (``_black_listing_is_public``)."""
    announced = f"{written(red.exited_on)}发布的移出公告"
    if black.subject_id != red.subject_id or not _listing_is_public(black):
        return f"{announced}，移出原因为“{NO_LONGER_REWARDED}”；经核实，该移出所依据的情形有误。"
    reason = in_site_language(ExitReason.BLACKLISTED.label)
    return (
        f"{announced}，移出原因为“{reason}”；其所依据的{black.list.name}列入经核实有误，已予撤销。"
    )


def reinstatement_announcement(red: ListEntry, black: ListEntry, day: dt.date) -> tuple[str, str]:
    """A red entry that a wrong black listing ended (R2) is in force again from ``day``, on the
    channel of its listing and exit (R4, R6, 000 §十一.3); read before its exit is undone."""
    title = f"关于恢复{public_name(red)}列入{red.list.name}的公告"
    body = (
        f"主体：{_subject_line(red)}\n名单：{red.list.name}\n"
        f"认定部门：{red.list.recognizing_department.name}\n{_cited_blacklisting(red, black)}"
        f"该移出现予撤销，自{written(day)}起恢复列入{red.list.name}，{_validity(red)}，"
        "相关激励措施恢复实施。"
    )
    return title, body


def exit_reason_correction(red: ListEntry, black: ListEntry, day: dt.date) -> tuple[str, str]:
    """A red entry that a wrong black listing ended (R2) and that is not in force again (its
    validity over, R4): its exit stands, and its notice is corrected (R6, 000 §十一.3)."""
    title = f"关于{public_name(red)}移出{red.list.name}原因的更正公告"
    ended = (
        f"该记录有效期至{written(red.valid_until)}，已届满，"
        if red.valid_until is not None and red.valid_until < day
        else "该记录"
    )
    body = (
        f"主体：{_subject_line(red)}\n名单：{red.list.name}\n"
        f"认定部门：{red.list.recognizing_department.name}\n{_cited_blacklisting(red, black)}"
        f"该移出原因现予更正。{ended}不再恢复列入。"
    )
    return title, body


def restored_red_entries(
    reinstated: Sequence[ListEntry], amended: Sequence[ListEntry], day: dt.date
) -> str:
    """What the subject's letter on a black listing found wrong says of the red entries that
    listing ended (R2): in force again, or, past their validity, their exit notices corrected
    (R6, 000 §十一.3). Empty when it ended none."""
    parts = [
        f"已恢复列入{red.list.name}（{_validity(red)}），相关激励措施恢复实施" for red in reinstated
    ]
    for red in amended:
        ended = (
            f"有效期已于{written(red.valid_until)}届满，"
            if red.valid_until is not None and red.valid_until < day
            else ""
        )
        parts.append(f"{red.list.name}{ended}不再恢复列入，已在原公告渠道更正其移出原因")
    if not parts:
        return ""
    return f"你（单位）因该认定而被移出的守信激励名单：{'；'.join(parts)}。"
