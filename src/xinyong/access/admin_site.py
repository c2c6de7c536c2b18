"""The admin site, with its autocomplete registered as a query when it names natural persons.

Choosing a linked person in an organisation's page searches subjects by name and answers their
names: a query of personal data like any other, so it leaves a registration (R14). Everything
else is Django's admin site as it is.
"""

from __future__ import annotations

import json

from django.apps import apps
from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist

from xinyong.access.admin_scope import ADMIN_READ
from xinyong.audit import purposes
from xinyong.audit.models import QueryKind
from xinyong.audit.registrations import register_request
from xinyong.subjects.models import Subject, SubjectKind


def _target_model(request):
    """The model the autocomplete answers with: that of the field it fills."""
    try:
        source = apps.get_model(request.GET["app_label"], request.GET["model_name"])
        return source._meta.get_field(request.GET["field_name"]).remote_field.model
    except (KeyError, LookupError, FieldDoesNotExist, AttributeError):
        return None


class XinyongAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        response = super().autocomplete_view(request)

        if response.status_code != 200 or _target_model(request) is not Subject:
            return response
        ids = [row["id"] for row in json.loads(response.content).get("results", [])]
        # One registration per person answered, naming them: the reviewer sees whom, and the
        # unusual-use count takes each person once however many keystrokes answered them.
        for person in Subject.objects.filter(pk__in=ids, kind=SubjectKind.NATURAL_PERSON):
            register_request(
                request, purpose=purposes.OTHER, purpose_detail=ADMIN_READ,
                kind=QueryKind.SUBJECT_SEARCH, natural_persons=1, rows=len(ids), subject=person,
            )  # fmt: skip
        return response
