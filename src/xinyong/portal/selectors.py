"""Reads for the public portal: only public, effective information, personal data masked (R5)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Subquery
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from xinyong.catalog.models import Disclosure
from xinyong.core import clock
from xinyong.listings import documents
from xinyong.listings.decision_records import Announcement
from xinyong.listings.models import EntryState, ListEntry, ListEntryEvent, ListKind
from xinyong.listings.selectors import in_force
from xinyong.listings.workflow import Action
from xinyong.subjects.models import Subject, SubjectKind
from xinyong.subjects.selectors import LINKED_NAMES_PREFETCH

PUBLIC_LIST_KINDS = (ListKind.RED, ListKind.BLACK)
# Which lists' entries are published (R5, 001 §三(二)): defined with the public texts, whose
# red-list exits must not tell of a black listing kept back (R2).
DISCLOSED = documents.DISCLOSED


def _public_entry(entry: ListEntry) -> dict[str, Any]:
    return {
        "entry_id": entry.pk,
        "subject_name": documents.public_name(entry),
        "subject_code": documents.public_code(entry),
        "list_name": entry.list.name,
        "list_kind": entry.list.get_kind_display(),
        "department": entry.list.recognizing_department.name,
        "effective_on": entry.effective_on,
        "valid_until": entry.valid_until,
    }


def latest_public_entries(kind: str, limit: int = 8) -> list[dict[str, Any]]:
    entries = (
        ListEntry.objects.filter(in_force(clock.today()), DISCLOSED, list__kind=kind)
        .select_related("subject", "list__recognizing_department", "list__catalog_item")
        .order_by("-effective_on", "-id")[:limit]
    )
    return [_public_entry(entry) for entry in entries]


def public_entries(kind: str, query: str = "") -> QuerySet[ListEntry]:
    """A list's entries in force, newest first, for its public page (R5).

    ``query`` finds an organisation by a part of its name or by its code. A natural person is
    never found by a search: its entries show masked, and a name that found one would unmask
    it (R5, R14). A person's code is not searched either.
    """
    entries = ListEntry.objects.filter(in_force(clock.today()), DISCLOSED, list__kind=kind)
    query = query.strip()
    if query:
        organisations = entries.exclude(subject__kind=SubjectKind.NATURAL_PERSON)
        # The code compared upper-cased on both sides, as the index on the upper-cased code is
        # (``subjects_identifier_upper``): with the name's trigram index, an OR of two indexed
        # reads, where a plain equality beside it read every subject.
        entries = organisations.filter(
            Q(subject__name__icontains=query) | Q(subject__identifier__iexact=query)
        )
    return entries.select_related(
        "subject", "list__recognizing_department", "list__catalog_item"
    ).order_by("-effective_on", "-id")


def shown(entries) -> list[dict[str, Any]]:
    """Entries as the public sees them: persons masked."""
    return [_public_entry(entry) for entry in entries]


# --- a subject's own page: in full, to the subject alone (R1, R14) ---------------------------

# The letters the listing procedure writes to the subject, by the step that writes each and the
# key its history event keeps it under (001 §8): the notice before publicity, with the reasons,
# the basis and the subject's rights, and the decision document at the signature, with the
# measures, the exit conditions and procedure and the remedies.
LETTERS_TO_SUBJECT = {Action.NOTIFY: ("notice", "notice"),
                      Action.SIGN: ("decision", "decision_document")}  # fmt: skip


def letters_to_subject(entries: Any) -> list[dict[str, Any]]:
    """The notice and, once signed, the decision document each of the subject's own
    ``entries`` was sent, with the day it was written: entries in the order given, each
    entry's letters in the order written (R1, 001 §8).

    Only these two texts are read out of an event's details: the rest (an objector's name,
    the measures and leniency kept for later texts) stays the department's (R14). The caller
    passes the subject's own entries; an organisation's letters are not shown to the persons
    its entries name, as they state its facts and leniency in full."""
    own = {entry.pk: (position, entry) for position, entry in enumerate(entries)}
    events = ListEntryEvent.objects.filter(
        entry_id__in=list(own), action__in=list(LETTERS_TO_SUBJECT)
    )
    letters = []
    for event in events.order_by("id"):
        kind, key = LETTERS_TO_SUBJECT[event.action]
        text = event.data.get(key)
        if text:
            position, entry = own[event.entry_id]
            letters.append({"position": position, "entry": entry, "kind": kind,
                            "day": event.business_date, "text": text})  # fmt: skip
    letters.sort(key=lambda letter: letter["position"])  # stable: each entry's stay in order
    return letters


# --- announcements (公示公告, R1, R4, R5) -------------------------------------------------------

# The channel the platform's own portal publishes on: every entry's channel unless a department
# names another (``ListEntry.channel``). Notices on other channels are published elsewhere.
PORTAL_CHANNEL = "credit-portal"
ANNOUNCEMENTS_ON_HOME = 5

# The portal's filter: an amended publicity notice is still a publicity notice (R1, R15).
_Kind = Announcement.Kind
ANNOUNCEMENT_GROUPS: dict[str, tuple[str, ...]] = {
    "publicity": (_Kind.PUBLICITY, _Kind.PUBLICITY_AMENDED),
    "decision": (_Kind.DECISION,),
    "exit": (_Kind.EXIT,),
    "correction": (_Kind.CORRECTION, _Kind.RULING_LIFTED),
}


# A candidate's notices stay while it may still be objected to or signed (R1).
_CANDIDATE_STATES = (
    EntryState.IN_PUBLICITY, EntryState.UNDER_VERIFICATION, EntryState.AWAITING_SIGNATURE,
)  # fmt: skip


def _still_public(today: dt.date) -> Q:
    """Exits and corrections stay published (R4, 000 §十一.3). A publicity or decision notice
    stays while its entry is a candidate or in force: once the entry ends (exit, repair, a
    rejected candidacy, validity over), it is no longer public (R4, R8, 001 §12). The correction
    of a lifted not-repairable ruling quotes the decision and the listing, and goes with the
    decision notice: its publication period is the entry's validity (R5, R8)."""
    in_force = Q(entry__state=EntryState.EFFECTIVE) & (
        Q(entry__valid_until__isnull=True) | Q(entry__valid_until__gte=today)
    )
    return (
        Q(kind__in=(Announcement.Kind.EXIT, Announcement.Kind.CORRECTION))
        | Q(entry__state__in=_CANDIDATE_STATES)
        | in_force
    )


def _published_announcements() -> QuerySet[Announcement]:
    """Announcements the portal shows: on its channel, published by today and still public,
    of a list it publishes (the red and black lists, as ``/lists/``) whose catalog item, if the
    list names one, is disclosed to the public (R5, 001 §三(二)). Texts are stored masked (R5)."""
    today = clock.today()
    shown = Announcement.objects.filter(
        Q(entry__list__catalog_item__isnull=True)
        | Q(entry__list__catalog_item__disclosure=Disclosure.PUBLIC),
        _still_public(today),
        channel=PORTAL_CHANNEL,
        published_on__lte=today,
        entry__list__kind__in=PUBLIC_LIST_KINDS,
    ).select_related("entry__subject", "entry__list__recognizing_department",
                     "entry__list__catalog_item")  # fmt: skip
    # The persons the texts are masked for (``_masked``), read once for a page.
    linked = (f"entry__subject__{path}" for path in LINKED_NAMES_PREFETCH)
    return shown.prefetch_related("entry__persons__person", *linked)


def public_announcements(group: str = "", query: str = "") -> QuerySet[Announcement]:
    """The portal's announcements, newest first; ``group`` a key of ``ANNOUNCEMENT_GROUPS``
    (anything else: all of them), ``query`` a part of the title."""
    announcements = _published_announcements()
    if group in ANNOUNCEMENT_GROUPS:
        announcements = announcements.filter(kind__in=ANNOUNCEMENT_GROUPS[group])
    query = query.strip()
    if query:
        announcements = announcements.filter(title__icontains=query)
    return announcements.order_by("-published_on", "-id")


def _masked(text: str, entry: ListEntry, *, identifier: bool = False) -> str:
    """``text`` with the persons in it masked (R5, R14).

    The stored texts mask the subject line, but the facts in them are an officer's words,
    which may name the person, other persons the platform knows (an organisation's legal
    representative) and anyone's citizen ID; a text stored before its facts were masked
    still shows them. The portal masks them all again (``documents.public_text``), and with
    ``identifier`` the subject's own ID written in any other form (decrypted for the
    comparison only)."""
    text = documents.public_text(entry, text)
    subject = entry.subject
    if identifier and subject.is_natural_person:
        code, full = documents.public_code(entry), subject.reveal_identifier()
        if code != full:
            text = text.replace(full, code)
    return text


def announcement_row(announcement: Announcement) -> dict[str, Any]:
    definition = announcement.entry.list
    return {
        "id": announcement.pk,
        "kind": announcement.kind,
        "kind_label": str(announcement.get_kind_display()),
        "title": _masked(announcement.title, announcement.entry),
        "published_on": announcement.published_on,
        "list_name": definition.name,
        "department": definition.recognizing_department.name,
    }


def announcement_rows(announcements) -> list[dict[str, Any]]:
    return [announcement_row(announcement) for announcement in announcements]


def public_announcement(announcement_id: int) -> dict[str, Any] | None:
    """One announcement with its text and the published ones it follows and that follow it,
    or None when the portal does not show it.

    Its entry's published notices are read at once, the one asked for among them, and the
    notices it follows and that follow it are found there: every notice follows one of its own
    entry's (``transitions.announce``, the amendments of a publicity period in ``receivers``,
    the exits of ``tick.expiry``), so the page costs as many queries however long the chain."""
    its_entry = Announcement.objects.filter(pk=announcement_id).values("entry_id")
    notices = {n.pk: n for n in _published_announcements().filter(entry_id=Subquery(its_entry))}
    announcement = notices.get(announcement_id)
    if announcement is None:
        return None
    follows = notices.get(announcement.follows_id) if announcement.follows_id else None
    return {
        **announcement_row(announcement),
        "body": _masked(announcement.body, announcement.entry, identifier=True),
        "follows": announcement_row(follows) if follows else None,
        "followed_by": _followed_by(notices.values(), announcement),
        "reportable_entry_id": _reportable(announcement.entry),
    }


def _published_order(notice: Announcement) -> tuple[dt.date, int]:
    return notice.published_on, notice.pk


def _followed_by(
    published: Iterable[Announcement], announcement: Announcement
) -> list[dict[str, Any]]:
    """The ``published`` notices that follow ``announcement``, in the order published, each
    with ``then``: the published notices that follow it in turn, and those that follow them,
    in that order too. A listing notice public again after its entry's exit was undone (a red
    entry reinstated once the black listing that ended it was found wrong, R2, R6, 000 §十一.3)
    shows the exit and, after it, the notice that put the entry back (R4), as the exit's own
    page does: the exit is not its last word. A notice not published ends its branch: what
    follows it is not reached through it."""
    following: dict[int, list[Announcement]] = defaultdict(list)
    for notice in published:
        if notice.follows_id is not None:
            following[notice.follows_id].append(notice)
    rows = []
    for later in sorted(following[announcement.pk], key=_published_order):
        then: list[Announcement] = []
        seen, after = {announcement.pk, later.pk}, [later.pk]
        while after:  # each notice follows an older one: the chain ends
            found = [n for pk in after for n in following[pk] if n.pk not in seen]
            seen.update(n.pk for n in found)
            then.extend(found)
            after = [n.pk for n in found]
        then.sort(key=_published_order)
        rows.append({**announcement_row(later), "then": announcement_rows(then)})
    return rows


def _reportable(entry: ListEntry) -> int | None:
    """The entry's id when the public may report it: a red-list entry in force (R7)."""
    today = clock.today()
    in_force_now = entry.state == EntryState.EFFECTIVE and (
        entry.valid_until is None or entry.valid_until >= today
    )
    return entry.pk if entry.list.kind == ListKind.RED and in_force_now else None


# The home page is open to anyone, and its figures count whole tables (every organisation,
# every effective entry): each process computes them at most once a minute. A change to an
# entry saved in this process is shown at once (``forget_home_page``); one saved in another
# process, or by the daily job's bulk updates, within this time. A page is kept for the business
# date it was counted on: from midnight in China an entry whose validity ended the day before
# counts no more (R4), so a page counted before then is not shown after it. Searches and
# subject pages always read the database.
HOME_CACHE_SECONDS = 60


def _home_key(language: str | None) -> str:
    return f"xinyong:portal:home:{language}"  # the list kinds' labels are in the visitor's language


def home_page() -> dict[str, Any]:
    """The home page's figures and latest public entries (cached, see ``HOME_CACHE_SECONDS``)."""
    key, today = _home_key(get_language()), clock.today()
    # The business date is kept with the page rather than in the key: a save forgets the one
    # key per language whatever day the page was counted on.
    cached = cache.get(key)
    if cached is None or cached[0] != today:
        cached = (today, _home_page())
        cache.set(key, cached, HOME_CACHE_SECONDS)
    return cached[1]


def forget_home_page(**_: Any) -> None:
    """Drop the cached home page now, and again when the saving transaction commits: a visit
    in between would have cached what it read before the commit."""
    keys = [_home_key(code) for code, _name in settings.LANGUAGES]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def _home_page() -> dict[str, Any]:
    effective_by_kind = dict(
        ListEntry.objects.filter(
            in_force(clock.today()), DISCLOSED, list__kind__in=PUBLIC_LIST_KINDS
        )
        .values_list("list__kind")
        .annotate(n=Count("id"))
        .values_list("list__kind", "n")
    )
    return {
        "organisation_count": Subject.objects.exclude(kind=SubjectKind.NATURAL_PERSON).count(),
        "red_count": effective_by_kind.get(ListKind.RED, 0),
        "black_count": effective_by_kind.get(ListKind.BLACK, 0),
        "latest_red": latest_public_entries(ListKind.RED),
        "latest_black": latest_public_entries(ListKind.BLACK),
        "latest_publicity": announcement_rows(
            public_announcements("publicity")[:ANNOUNCEMENTS_ON_HOME]
        ),
    }


# An entry saved or deleted here (an officer's decision, an exit) shows on the home page at once.
post_save.connect(forget_home_page, sender=ListEntry, dispatch_uid="portal-home-entry-saved")
post_delete.connect(forget_home_page, sender=ListEntry, dispatch_uid="portal-home-entry-deleted")
# A notice published here (a publicity started, its period amended) shows there at once too.
post_save.connect(
    forget_home_page, sender=Announcement, dispatch_uid="portal-home-announcement-saved"
)
