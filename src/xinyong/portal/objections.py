"""A credit subject objects online to one of its own entries, or a person to an organisation's
entry naming it, and gets its evidence back (R6).

Only the caller's own entries, the entries naming it, and its own files are found here (R14):
any other id answers 404, as an entry that does not exist does.
"""

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xinyong.access.selectors import own_subject
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.listings.documents import public_text
from xinyong.remedies import evidence, selectors, services


class EvidenceInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class EvidenceField(forms.FileField):
    """Several files in one field, each checked as the objection will take it (R6)."""

    def clean(self, data, initial=None):
        files = [file for file in (data if isinstance(data, list | tuple) else [data]) if file]
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        try:
            evidence.check(files)
        except XinyongError as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None
        return files


class ObjectionForm(forms.Form):
    grounds = forms.CharField(
        label=_("Grounds of the objection"), max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )  # fmt: skip
    files = EvidenceField(
        label=_("Evidence (optional)"), required=False,
        widget=EvidenceInput(attrs={"accept": evidence.ACCEPT}),
    )  # fmt: skip


def _found(find, request: HttpRequest, entry_id: int):
    try:
        return find(request.user, entry_id)
    except XinyongError as refused:
        if refused.status == 404:
            raise Http404 from None
        raise


def object_to_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The form to object to one of the subject's own entries, where the workflow takes one."""
    try:
        entry = _found(services.own_entry, request, entry_id)
    except XinyongError as refused:
        return render(request, "portal/refused.html", {"error": refused}, status=refused.status)
    return _objection_page(request, entry, services.object_to_entry)


def object_as_named_person(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The form for a person an organisation's entry names to object to it (R6, 004 §二(三)6);
    the organisation's facts as the person may read them, other persons masked (R14)."""
    try:
        entry, named = _found(services.entry_naming, request, entry_id)
    except XinyongError as refused:
        return render(request, "portal/refused.html", {"error": refused}, status=refused.status)
    entry.facts_for_reader = public_text(entry, entry.facts)
    named_as = services.roles_of(named)
    return _objection_page(
        request, entry, services.object_as_named_person, named_as=named_as,
        person_id=named[0].person_id,
    )  # fmt: skip


def _objection_page(
    request: HttpRequest, entry, send, named_as: str = "", person_id: int | None = None
) -> HttpResponse:
    form = ObjectionForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and form.is_valid():
        try:
            send(
                entry.pk, actor=request.user, grounds=form.cleaned_data["grounds"],
                files=form.cleaned_data["files"],
            )  # fmt: skip
        except XinyongError as refused:
            error = refused
        else:
            return redirect(reverse("portal:my") + f"#entry-{entry.pk}")
    context = {
        "entry": entry, "form": form, "error": error, "named_as": named_as,
        "naming_objection": entry.naming_objection_of(person_id) if person_id else None,
        "may_object": selectors.may_object(entry, clock.today(), person_id),
        "max_files": evidence.MAX_FILES, "max_megabytes": evidence.MAX_FILE_BYTES // 2**20,
    }  # fmt: skip
    return render(request, "portal/objection.html", context, status=422 if error else 200)


def evidence_file(request: HttpRequest, evidence_id: int) -> FileResponse:
    """One evidence file back to the subject or person that sent it, as a download, never shown
    inline."""
    try:
        found = selectors.own_evidence(own_subject(request.user), evidence_id)
    except XinyongError:
        raise Http404 from None
    return evidence.download(found)
