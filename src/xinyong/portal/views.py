"""Public portal pages. They read through selectors and show personal data only masked (R5)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xinyong.portal import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/home.html", selectors.home_page())
