"""A credit subject applies to repair one of its own entries or records, and gets its materials
back (R8: corrected behaviour, proof of fulfilment, a credit commitment, a training record).

Only the subject's own entries, records and files are found here (R14): any other id answers
404, as one that does not exist does. Repair is free of charge: nothing here asks for a fee.
"""

from __future__ import annotations

from django import forms
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xinyong.access.selectors import own_subject
from xinyong.core import clock
from xinyong.core.errors import XinyongError
from xinyong.portal.objections import EvidenceField, EvidenceInput
from xinyong.remedies import evidence, repair_selectors, repairs
from xinyong.remedies.models import MaterialKind


def _files(label, required: bool) -> EvidenceField:
    return EvidenceField(
        label=label, required=required, widget=EvidenceInput(attrs={"accept": evidence.ACCEPT})
    )


class RepairForm(forms.Form):
    corrected = forms.CharField(
        label=_("What you corrected"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    fulfilment = _files(_("Proof of fulfilment"), required=True)
    commitment = _files(_("Credit commitment"), required=True)
    training = _files(_("Training record (optional)"), required=False)

    def clean(self):
        cleaned = super().clean()
        everything = [f for name in MaterialKind.values for f in cleaned.get(name) or []]
        try:
            evidence.check(everything)  # the number of files, across the three materials
        except XinyongError as refused:
            raise forms.ValidationError(refused.message, code=refused.code) from None
        return cleaned


def _page(request: HttpRequest, target, kind: str, refusal: XinyongError | None, apply):
    form = RepairForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST" and refusal is None and form.is_valid():
        materials = {name: form.cleaned_data[name] or [] for name in MaterialKind.values}
        try:
            apply(target.pk, actor=request.user, corrected=form.cleaned_data["corrected"],
                  materials=materials)  # fmt: skip
        except XinyongError as refused:
            error = refused
        else:
            return redirect(reverse("portal:my") + f"#repair-{kind}-{target.pk}")
    open_application = target.repair_applications.filter(state="submitted").exists()
    context = {
        "kind": kind, "target": target, "form": form, "error": error or refusal,
        "may_apply": refusal is None and not open_application, "open": open_application,
        "max_files": evidence.MAX_FILES, "max_megabytes": evidence.MAX_FILE_BYTES // 2**20,
    }  # fmt: skip
    refused = request.method == "POST" and (refusal or not form.is_valid())
    status = 422 if error or refused else 200
    return render(request, "portal/repair.html", context, status=status)


def _not_found(refused: XinyongError) -> None:
    if refused.status == 404:
        raise Http404 from None


def repair_entry(request: HttpRequest, entry_id: int) -> HttpResponse:
    """The repair application form for one of the subject's own entries (R8, R4)."""
    try:
        entry = repairs.own_entry(request.user, entry_id)
    except XinyongError as refused:
        _not_found(refused)
        return render(request, "portal/refused.html", {"error": refused}, status=refused.status)
    return _page(request, entry, "entry", repairs.entry_refusal(entry), repairs.apply_for_entry)


def repair_record(request: HttpRequest, record_id: int) -> HttpResponse:
    """The repair application form for one of the subject's own credit records (R8)."""
    try:
        record = repairs.own_record(request.user, record_id)
    except XinyongError as refused:
        _not_found(refused)
        return render(request, "portal/refused.html", {"error": refused}, status=refused.status)
    refusal = repairs.record_refusal(record, clock.today())
    return _page(request, record, "record", refusal, repairs.apply_for_record)


def material_file(request: HttpRequest, material_id: int) -> FileResponse:
    """One material back to the subject that sent it, as a download, never shown inline."""
    try:
        found = repair_selectors.own_material(own_subject(request.user), material_id)
    except XinyongError:
        raise Http404 from None
    return evidence.download(found)
