"""The admin holds data about credit subjects too: there it obeys the same rules as the pages (R14).

* A department's officer sees in the admin only the rows its department keeps (its records, its
  lists' entries, its imports), as on the office pages; the credit office's administrators and
  reviewers see every department's.
* Every admin page that shows a natural person's data, a list or a single row, is registered
  like any other query of personal data: who, when, which route, how many persons, about whom
  (a list page, a search among them, once per person it shows).
  The admin asks for no purpose, so the registration says it was the back office.
"""

from __future__ import annotations

from typing import Any

from django.contrib.admin.utils import unquote

from xinyong.access.roles import Role, role_of
from xinyong.audit import purposes
from xinyong.audit.models import QueryKind
from xinyong.audit.registrations import register_persons_named, register_request

EVERY_DEPARTMENT = frozenset({Role.CREDIT_ADMIN, Role.CREDIT_REVIEWER})
ADMIN_READ = "管理后台查看"  # the purpose's detail: the admin asks for none


class DepartmentScopedAdmin:
    """Rows another department keeps are not shown to a department's officer (R14).

    ``department_field`` is the path from the row to its department, as in a query filter.
    """

    department_field = "department"

    def get_queryset(self, request):
        rows = super().get_queryset(request)  # type: ignore[misc]
        if role_of(request.user) in EVERY_DEPARTMENT:
            return rows
        officer = getattr(request.user, "officer", None)
        if officer is None:
            return rows.none()
        return rows.filter(**{f"{self.department_field}_id": officer.department_id})


class RegisteredReadsAdmin:
    """Registers the admin's list and change pages that show natural persons' data (R14).

    ``subject_of(row)`` is the subject a row is about (its ``subject`` by default), and
    ``persons_on(row)`` the natural persons it shows (that subject, if a person, by default).
    """

    read_kind = QueryKind.ENTRY_READ

    def subject_of(self, row: Any) -> Any:
        return getattr(row, "subject", None)

    def persons_on(self, row: Any) -> int:
        return int(getattr(self.subject_of(row), "is_natural_person", False))

    def persons_on_page(self, request, row: Any) -> int:
        """The persons a row's own page shows this caller: more than its list line may (an
        inline the caller may see)."""
        return self.persons_on(row)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)  # type: ignore[misc]
        self._register_page(request, object_id, response)
        return response

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)  # type: ignore[misc]
        self._register_page(request, object_id, response)
        return response

    def _register_page(self, request, object_id, response) -> None:
        """A row's page shown (read, or a form sent back with errors; not a redirect)."""
        if response.status_code != 200:
            return
        row = self.get_object(request, unquote(object_id))  # type: ignore[attr-defined]
        if row is not None:
            register_request(
                request, purpose=purposes.OTHER, purpose_detail=ADMIN_READ,
                kind=self.read_kind, natural_persons=self.persons_on_page(request, row), rows=1,
                subject=self.subject_of(row),
            )  # fmt: skip

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)  # type: ignore[misc]
        changelist = getattr(response, "context_data", {}).get("cl")
        if changelist is not None:
            self._register_list(request, list(changelist.result_list))
        return response

    def _register_list(self, request, rows: list[Any]) -> None:
        """A list page (a search by citizen ID too): one registration per person shown as a
        row's subject, naming them, as the autocomplete registers; the persons rows show
        besides (those a report row's cells name) are counted on one more (R14)."""
        subjects, others = [], 0
        for row in rows:
            subject, persons = self.subject_of(row), self.persons_on(row)
            named = subject is not None and subject.is_natural_person
            if named:
                subjects.append(subject)
            others += max(persons - 1, 0) if named else persons
        register_persons_named(
            request, purpose=purposes.OTHER, purpose_detail=ADMIN_READ, kind=self.read_kind,
            subjects=subjects, rows=len(rows), others=others,
        )  # fmt: skip
