"""An officer's subject page: find a subject, say why (查询事由), then see its record (R14).

Nothing about a subject shows before the officer has chosen a purpose, and every answer that
names a natural person — the candidates of a name search, a person's page, an organisation's
page naming its legal representative — is registered in the same transaction as its reads: a
page in one row, the candidates in one row per person among them, naming that person.

What an officer sees (least privilege): its own department's records and entries in any state;
of other departments, the records their catalog item shares unconditionally (and whose sharing
has not ended) and the entries in force of lists whose catalog item, if any, shares
unconditionally. A credit-office administrator sees everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from xinyong.access.roles import Role, role_of
from xinyong.audit import purposes
from xinyong.audit.models import QueryKind, QueryPurpose
from xinyong.audit.registrations import register_persons_named, register_request
from xinyong.catalog.models import CreditRecord, ShareScope
from xinyong.catalog.selectors import shared_on
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.core.identifiers import check_identifier, normalize_identifier
from xinyong.listings.models import ListEntry
from xinyong.listings.selectors import in_force, list_shared
from xinyong.remedies import record_objection_selectors
from xinyong.subjects.models import Subject

LOGIN_URL = "office:login"
CANDIDATES_SHOWN = 20
ROWS_SHOWN = 200
MIN_NAME_LENGTH = 2


class PurposeForm(forms.Form):
    """The purpose of a query: a code from the credit office's list, and what it is about."""

    purpose = forms.ModelChoiceField(
        label=_("Purpose of the query"),
        queryset=QueryPurpose.objects.filter(is_active=True),
        empty_label=_("— choose —"),
    )
    purpose_detail = forms.CharField(
        label=_("Purpose detail (case or file number)"), max_length=500, required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = data.get("purpose")
        needs_detail = chosen is not None and chosen.code in purposes.NEEDS_DETAIL
        if needs_detail and not (data.get("purpose_detail") or "").strip():
            self.add_error("purpose_detail", _("Say what the query is for."))
        return data


class SearchForm(PurposeForm):
    field_order = ["query", "purpose", "purpose_detail"]
    query = forms.CharField(
        label=_("Unified social credit code, citizen ID or name"), max_length=200
    )


# -- reads -----------------------------------------------------------------------------------


def find_subjects(query: str, limit: int = CANDIDATES_SHOWN) -> list[Subject]:
    """By code or citizen ID (through its keyed hash), else by part of the name: at most
    ``limit`` candidates, in name order."""
    key = normalize_identifier(query)
    if len(key) == 18 and key.isalnum():
        found = list(Subject.objects.identified_by(key))
        if found:
            return found
    name = query.strip()
    if len(name) < MIN_NAME_LENGTH:
        return []
    return list(Subject.objects.filter(name__contains=name).order_by("name", "id")[:limit])


@dataclass(frozen=True)
class Dossier:
    subject: Subject
    records: list[CreditRecord]
    entries: list[ListEntry]
    named_in: list[ListEntry]
    links: list[Any]  # LinkedPerson rows: an organisation's persons, or a person's organisations

    @property
    def natural_persons(self) -> int:
        """The subject when a person; an organisation's page names its persons too."""
        if self.subject.is_natural_person:
            return 1
        return len({link.person_id for link in self.links})

    @property
    def rows(self) -> int:
        return len(self.records) + len(self.entries) + len(self.named_in) + len(self.links)


def _department_scope(user: Any) -> int | None:
    """None for the credit-office administrator (everything); else the officer's department."""
    if role_of(user) is Role.CREDIT_ADMIN:
        return None
    officer = getattr(user, "officer", None)
    if officer is None:
        raise XinyongError("officer-required", "需由部门工作人员查询", status=403)
    return officer.department_id


def dossier_for(user: Any, subject: Subject) -> Dossier:
    """What an officer sees of a subject: the department's own records and entries, and other
    departments' records shared unconditionally and not past their sharing end today, and
    their entries in force today, whether or not the daily job has run (停止共享, R4, R8), of
    lists under no catalog item or under one shared unconditionally (R13); the credit office
    sees everything."""
    department = _department_scope(user)
    records = CreditRecord.objects.filter(subject=subject)
    entries = ListEntry.objects.filter(subject=subject)
    named_in = ListEntry.objects.filter(persons__person=subject)
    if department is not None:
        records = records.filter(
            Q(department_id=department)
            | (Q(catalog_item__share_scope=ShareScope.UNCONDITIONAL) & shared_on(clock.today()))
        )
        # Another department's entries while in force: through the last day of their validity,
        # not until the daily job exits them (R4); and, as its records, only of a list shared
        # with every department (R13), as checks, screening and the change feed tell them.
        in_force_or_own = Q(list__recognizing_department_id=department) | (
            in_force(clock.today()) & list_shared()
        )
        entries, named_in = entries.filter(in_force_or_own), named_in.filter(in_force_or_own)
    if subject.is_natural_person:
        links = subject.linked_organisations.select_related("organisation")
    else:
        links = subject.linked_persons.select_related("person")
    related = ("list__recognizing_department", "list__domain", "subject")
    shown_records = list(
        records.select_related("catalog_item", "department").order_by("-decision_date", "-id")[
            :ROWS_SHOWN
        ]
    )
    # A record under objection is said to be, so that no department acts on it unawares (R6).
    under_objection = record_objection_selectors.open_on(r.pk for r in shown_records)
    for record in shown_records:
        record.under_objection = record.pk in under_objection
    return Dossier(
        subject=subject,
        records=shown_records,
        entries=list(entries.select_related(*related).order_by("-proposed_on", "-id")[:ROWS_SHOWN]),
        named_in=list(
            named_in.select_related(*related)
            .distinct()
            .order_by("-proposed_on", "-id")[:ROWS_SHOWN]
        ),
        links=list(links.order_by("id")),
    )


# -- pages -----------------------------------------------------------------------------------


def _refused(request: HttpRequest, error: XinyongError) -> HttpResponse:
    return render(request, "office/refused.html", {"error": error}, status=error.status)


def _subject_page(request: HttpRequest, subject: Subject, form: PurposeForm) -> HttpResponse:
    """Read, register and render in one transaction: no page without its registration."""
    with transaction.atomic():
        dossier = dossier_for(request.user, subject)
        register_request(
            request, purpose=form.cleaned_data["purpose"].code, kind=QueryKind.SUBJECT_PAGE,
            purpose_detail=form.cleaned_data["purpose_detail"],
            natural_persons=dossier.natural_persons, rows=dossier.rows, subject=subject,
        )  # fmt: skip
        return render(request, "office/subject.html", {"dossier": dossier, "form": form})


@login_required(login_url=LOGIN_URL)
def search(request: HttpRequest) -> HttpResponse:
    """GET: the search form. POST: one subject's page, or the candidates of a name."""
    form = SearchForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(request, "office/subjects.html", {"form": form})
    try:
        with transaction.atomic():
            # One more than is shown tells whether the list was cut, without counting them all.
            found = find_subjects(form.cleaned_data["query"], CANDIDATES_SHOWN + 1)
            more, found = len(found) > CANDIDATES_SHOWN, found[:CANDIDATES_SHOWN]
            if len(found) == 1:
                return _subject_page(request, found[0], form)
            # The candidates are named: one registration per person among them, naming them,
            # as the admin's autocomplete registers its answers (R14).
            register_persons_named(
                request, purpose=form.cleaned_data["purpose"].code,
                kind=QueryKind.SUBJECT_SEARCH, purpose_detail=form.cleaned_data["purpose_detail"],
                subjects=found, rows=len(found),
            )  # fmt: skip
            # A code or citizen ID read whole whose check character fails is most likely
            # mistyped: say so, not only that nobody matches (DOMAIN.md §4).
            checked = None if found else check_identifier(form.cleaned_data["query"])
            mismatch = checked is not None and checked.fails_check_character
            context = {"form": form, "candidates": found, "searched": True, "more": more,
                       "shown": CANDIDATES_SHOWN, "check_character_mismatch": mismatch}  # fmt: skip
            return render(request, "office/subjects.html", context)
    except XinyongError as refused:
        return _refused(request, refused)


@login_required(login_url=LOGIN_URL)
def subject(request: HttpRequest, subject_id: int) -> HttpResponse:
    """GET: the purpose form alone. POST with a purpose: the subject's page, registered."""
    form = PurposeForm(request.POST or None)
    if request.method != "POST" or not form.is_valid():
        return render(
            request, "office/subject_purpose.html", {"form": form, "subject_id": subject_id}
        )
    found = Subject.objects.filter(pk=subject_id).first()
    if found is None:
        raise Http404(subject_id)
    try:
        return _subject_page(request, found, form)
    except XinyongError as refused:
        return _refused(request, refused)
