"""Public portal pages. They read through selectors and show personal data only masked (R5).

The one exception is a subject's own page, where the subject sees itself in full (R14).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.access import selectors as access
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.measures import typical_cases as cases
from xinyong.portal import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", selectors.home_page())


def typical_cases(request: HttpRequest) -> HttpResponse:
    """Published typical cases of joint reward and punishment (典型案例, R11, 003 §七)."""
    return render(request, "portal/cases.html", {"cases": cases.published(clock.today())})


def my_record(request: HttpRequest) -> HttpResponse:
    """A subject's own identity, list entries and credit records; only its own (R14)."""
    try:
        own = access.own_record(request.user)
    except XinyongError as refused:
        return render(request, "portal/refused.html", {"error": refused}, status=refused.status)
    return render(request, "portal/my.html", {"own": own})
