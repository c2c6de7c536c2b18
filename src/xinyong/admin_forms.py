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
