"""Public portal pages. They read through selectors and show personal data only masked (R5).

The one exception is a subject's own page, where the subject sees itself in full (R14).
"""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render, resolve_url
from django.templatetags.static import static
from django.utils.translation import pgettext_lazy
from django.views.generic import RedirectView

from xinyong.access import selectors as access
from xinyong.access.roles import Role, role_of
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings.models import ListKind
from xinyong.measures import typical_cases as cases
from xinyong.portal import double_publicity, selectors
from xinyong.remedies import (
    record_objection_selectors,
    red_list_exit_selectors,
    red_list_exits,
    repair_selectors,
)
from xinyong.remedies import selectors as remedies
from xinyong.reports import selectors as reports


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", selectors.home_page())


PUBLIC_LISTS = {"red": ListKind.RED, "black": ListKind.BLACK}
PER_PAGE = 50


def public_list(request: HttpRequest, kind: str) -> HttpResponse:
    """All red-list or black-list entries in force, a page at a time, searchable by an
    organisation's name or code (R5: persons masked, and never found by a search)."""
    if kind not in PUBLIC_LISTS:
        raise Http404
    query = request.GET.get("q", "").replace("\x00", "")[:100]  # PostgreSQL takes no NUL
    found = selectors.public_entries(PUBLIC_LISTS[kind], query)
    # Without a count on each visit: counting every entry in force costs as much as reading
    # them. The whole list's count is the home page's, counted at most once a minute; a
    # search's is shown when it fits on its first page, counted by its rows.
    number = _page_number(request)
    entries, has_next = double_publicity.page_of(found, number, PER_PAGE)
    if number == 1 and not has_next:
        total = len(entries)
    else:
        total = None if query else selectors.home_page()[f"{kind}_count"]
    context = {
        "kind": kind, "kind_label": ListKind(PUBLIC_LISTS[kind]).label, "query": query,
        "entries": selectors.shown(entries), "total": total,
        **_pages(number, has_next, request),
    }  # fmt: skip
    return render(request, "portal/list.html", context)


ANNOUNCEMENTS_PER_PAGE = 20
# How deep the public registers page: a page costs the database every row before it, so the
# announcements, the double publicity and the red and black lists list their newest this far
# (4,000 announcements, 10,000 records or entries) and the search finds the rest. A page asked
# for beyond it shows the last one.
PUBLIC_PAGES = 200


def _page_number(request: HttpRequest) -> int:
    """The page asked for: 1 unless a number, at most ``PUBLIC_PAGES``."""
    try:
        number = int(request.GET.get("page", "1"))
    except ValueError:
        number = 1
    return min(max(number, 1), PUBLIC_PAGES)


def _pages(number: int, has_next: bool, request: HttpRequest) -> dict:
    """What ``portal/pages_uncounted.html`` shows: the page, its neighbours and whether the
    pages stop here with more published (``PUBLIC_PAGES``)."""
    limited = has_next and number >= PUBLIC_PAGES
    filters = request.GET.copy()
    filters.pop("page", None)
    return {"number": number, "has_next": has_next and not limited, "limited": limited,
            "pages_shown": PUBLIC_PAGES, "query_string": filters.urlencode()}  # fmt: skip


# The filter's groups (``selectors.ANNOUNCEMENT_GROUPS``) as the public names them.
ANNOUNCEMENT_FILTERS = (
    ("publicity", pgettext_lazy("announcement filter", "Publicity")),
    ("decision", pgettext_lazy("announcement filter", "Listing decision")),
    ("exit", pgettext_lazy("announcement filter", "Exit")),
    ("correction", pgettext_lazy("announcement filter", "Correction")),
)


def announcements(request: HttpRequest) -> HttpResponse:
    """Publicity notices, listing decisions, exits and corrections, newest first: the public
    sees a candidate in time to object (R1) and every exit (R4). Texts are stored masked (R5)."""
    group = request.GET.get("kind", "")
    if group not in dict(ANNOUNCEMENT_FILTERS):
        group = ""
    query = request.GET.get("q", "").replace("\x00", "")[:100]  # PostgreSQL takes no NUL
    found = selectors.public_announcements(group, query)
    # Without a count of them all: counting every public announcement costs as much as
    # reading them, on every visit; "next" shows when another page follows.
    number = _page_number(request)
    shown, has_next = double_publicity.page_of(found, number, ANNOUNCEMENTS_PER_PAGE)
    context = {
        "filters": ANNOUNCEMENT_FILTERS, "group": group, "query": query,
        "announcements": selectors.announcement_rows(shown), **_pages(number, has_next, request),
    }  # fmt: skip
    return render(request, "portal/announcements.html", context)


def announcement(request: HttpRequest, announcement_id: int) -> HttpResponse:
    """One announcement's text, with the notices it follows and that follow it."""
    shown_announcement = selectors.public_announcement(announcement_id)
    if shown_announcement is None:
        raise Http404
    return render(request, "portal/announcement.html", {"announcement": shown_announcement})


def typical_cases(request: HttpRequest) -> HttpResponse:
    """Published typical cases of joint reward and punishment (典型案例, R11, 003 §七)."""
    return render(request, "portal/cases.html", {"cases": cases.published(clock.today())})


def my_record(request: HttpRequest) -> HttpResponse:
    """A subject's own identity, list entries with the notices and decision documents they sent
    it, objections, repairs, requests to leave its red lists and credit records, and the
    organisations' entries naming it with the objections it sent them; only its own (R14, R1,
    R4, R6, R8)."""
    try:
        own = access.own_record(request.user)
    except XinyongError as refused:
        return render(request, "portal/refused.html", {"error": refused}, status=refused.status)
    context = {
        "own": own, "letters": selectors.letters_to_subject(own.entries),
        "objections": remedies.objections_of(own.entries),
        "corrections": remedies.corrections_of(own.entries),
        "rulings_lifted": remedies.rulings_lifted_of(own.entries),
        "named_objections": remedies.objections_naming(own.named_in, own.subject),
        "repairs": repair_selectors.repairs_of(own.subject, own.entries, own.records),
        "red_list_exits": red_list_exit_selectors.rows_for_subject(own.entries),
        "statement_max": red_list_exits.STATEMENT_MAX_CHARS,
        "verified_reports": reports.verified_reports_on(own.entries),
        "record_objections": record_objection_selectors.objections_of_records(
            own.subject, own.records
        ),
    }  # fmt: skip
    return render(request, "portal/my.html", context)


class LoginView(auth_views.LoginView):
    """The portal's log-in: a credit subject lands on its own record, an officer on the back
    office's page for its role, anyone else on the home page (a page asked for wins)."""

    template_name = "portal/login.html"

    def get_default_redirect_url(self) -> str:
        role = role_of(self.request.user)
        if role is Role.SUBJECT:
            return resolve_url("portal:my")
        if role in OFFICE_ROLES:
            return resolve_url(settings.LOGIN_REDIRECT_URL)
        return resolve_url("portal:home")


# The roles that have a back-office home page (access/matrix.csv, office:home).
OFFICE_ROLES = frozenset(
    {Role.RECOGNIZING_OFFICER, Role.SIGNING_OFFICER, Role.CREDIT_REVIEWER, Role.CREDIT_ADMIN}
)


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico on every site; the icon is a static file."""

    permanent = False  # the hashed file name changes with the icon

    def get_redirect_url(self, *args, **kwargs) -> str:
        return static("portal/favicon.svg")


RECORDS_PER_PAGE = 50
REGISTER_TITLES = {
    "penalties": pgettext_lazy("double publicity", "Administrative penalties"),
    "licences": pgettext_lazy("double publicity", "Administrative licences"),
}


def _register(record_format: str) -> double_publicity.Register:
    if record_format not in double_publicity.REGISTERS:
        raise Http404
    return double_publicity.REGISTERS[record_format]


def _marked(rows: list[dict]) -> list[dict]:
    """Rows of records under objection say so: the public is told the record is disputed while
    its department verifies it (R6)."""
    disputed = record_objection_selectors.open_on(row["id"] for row in rows)
    return [{**row, "under_objection": row["id"] in disputed} for row in rows]


def public_records(request: HttpRequest, record_format: str) -> HttpResponse:
    """Licences or penalties while they are public (双公示, R9, R8), newest first, searchable by
    an organisation's name or code; persons masked and never found by a search (R5)."""
    register = _register(record_format)
    query = request.GET.get("q", "").replace("\x00", "")[:100]  # PostgreSQL takes no NUL
    number = _page_number(request)
    found = double_publicity.public_records(register, clock.today(), query)
    records, has_next = double_publicity.page_of(found, number, RECORDS_PER_PAGE)
    context = {
        "record_format": record_format, "registers": REGISTER_TITLES,
        "title": REGISTER_TITLES[record_format], "query": query,
        "rows": _marked([double_publicity.row(r, register) for r in records]),
        **_pages(number, has_next, request),
    }  # fmt: skip
    return render(request, "portal/records.html", context)


def public_record(request: HttpRequest, record_format: str, record_id: int) -> HttpResponse:
    """One licence or penalty while it is public; any other answers 404."""
    register = _register(record_format)
    shown_record = double_publicity.public_record(register, record_id, clock.today())
    if shown_record is None:
        raise Http404
    context = {"record_format": record_format, "title": REGISTER_TITLES[record_format],
               "record": _marked([shown_record])[0]}  # fmt: skip
    return render(request, "portal/record.html", context)
