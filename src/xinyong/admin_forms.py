"""Admin form fields shared by the apps whose reference data officers maintain."""

from __future__ import annotations

from django import forms
from django.db import models
from django.utils.text import capfirst


def choices_field(model: type[models.Model], name: str, choices) -> forms.MultipleChoiceField:
    """A JSON list of codes, edited as check boxes with their labels; saved as the same list."""
    field = model._meta.get_field(name)
    return forms.MultipleChoiceField(
        label=capfirst(field.verbose_name),
        choices=choices,
        widget=forms.CheckboxSelectMultiple,
        required=not field.blank,
    )


class LinesField(forms.CharField):
    """A JSON list of texts, edited one per line: blank lines and repeats are dropped, the
    order kept."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value) -> list[str]:
        lines = (line.strip() for line in str(super().to_python(value) or "").splitlines())
        return list(dict.fromkeys(line for line in lines if line))


def lines_field(model: type[models.Model], name: str) -> LinesField:
    field = model._meta.get_field(name)
    return LinesField(
        label=capfirst(field.verbose_name), help_text=field.help_text, required=not field.blank
    )
