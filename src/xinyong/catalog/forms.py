"""The back office's upload form."""

from django import forms
from django.utils.translation import gettext_lazy as _

from xinyong.catalog.models import ImportKind


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of information"), choices=ImportKind.choices)
    item = forms.CharField(
        label=_("Catalog item code"),
        required=False,
        max_length=64,
        help_text=_("Leave empty to use your department's licence or penalty item."),
    )
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (UTF-8 or GBK), Excel or JSON, with a header row.")
    )
