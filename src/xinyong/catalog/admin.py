from django import forms
from django.contrib import admin

from xinyong.access.admin_scope import DepartmentScopedAdmin, RegisteredReadsAdmin
from xinyong.admin_forms import choices_field, lines_field
from xinyong.audit.admin_mixins import AuditedModelAdmin, ReadOnlyAdmin
from xinyong.audit.models import QueryKind
from xinyong.audit.registrations import persons_in_report_row
from xinyong.catalog.models import (
    CatalogItem,
    CreditRecord,
    ImportJob,
    PenaltyType,
    PublicationRule,
    ReportRow,
)
from xinyong.subjects.admin import IdentifierSearchMixin
from xinyong.subjects.models import SubjectKind

# The national 双公示 fields that name an organisation's legal representative (R9).
LEGAL_REPRESENTATIVE_FIELDS = ("XK_FRDB", "CF_FRDB", "XK_FR_ZJHM", "CF_FR_ZJHM")


class CatalogItemForm(forms.ModelForm):
    subject_kinds = choices_field(CatalogItem, "subject_kinds", SubjectKind.choices)
    data_items = lines_field(CatalogItem, "data_items")

    class Meta:
        model = CatalogItem
        # Every field, as the admin's default form has: a list here would be all it showed.
        fields = "__all__"  # noqa: DJ007


@admin.register(CatalogItem)
class CatalogItemAdmin(AuditedModelAdmin):
    form = CatalogItemForm
    list_display = ["code", "name", "info_kind", "provider", "update_frequency", "share_scope",
                    "disclosure", "record_format", "mask_personal_data", "is_active"]  # fmt: skip
    list_filter = ["info_kind", "provider", "update_frequency", "share_scope", "disclosure",
                   "record_format", "is_active"]  # fmt: skip
    search_fields = ["code", "name", "legal_basis"]


@admin.register(CreditRecord)
class CreditRecordAdmin(
    DepartmentScopedAdmin, RegisteredReadsAdmin, IdentifierSearchMixin, ReadOnlyAdmin
):
    list_display = ["document_number", "subject", "catalog_item", "department", "decision_date",
                    "tier", "published_on", "publication_ends_on", "workdays_late"]  # fmt: skip
    list_filter = ["catalog_item__info_kind", "is_serious", "tier"]
    search_fields = ["=document_number", "=subject__identifier"]
    identifier_digest_lookup = "subject__identifier_digest"
    raw_id_fields = ["subject"]

    def persons_on_page(self, request, row: CreditRecord) -> int:
        """The subject if a person, and the legal representative an organisation's record
        names in its content (双公示 fields)."""
        content = row.content or {}
        named = any(content.get(key) for key in LEGAL_REPRESENTATIVE_FIELDS)
        return self.persons_on(row) + int(named and not row.subject.is_natural_person)


@admin.register(PenaltyType)
class PenaltyTypeAdmin(AuditedModelAdmin):
    """Reference data: the kinds of penalty and the tier each stands for (R8)."""

    list_display = ["name", "tier", "aliases"]
    list_filter = ["tier"]
    search_fields = ["name"]


@admin.register(PublicationRule)
class PublicationRuleAdmin(AuditedModelAdmin):
    """Reference data: publication periods per tier, by default or per catalog item (R8)."""

    list_display = ["catalog_item", "tier", "is_published", "months_min", "months_max"]
    list_filter = ["tier", "is_published"]


@admin.register(ImportJob)
class ImportJobAdmin(DepartmentScopedAdmin, ReadOnlyAdmin):
    list_display = ["id", "department", "kind", "file_name", "status", "rows_done", "accepted",
                    "quarantined", "created_at"]  # fmt: skip
    list_filter = ["status", "kind", "department"]
    search_fields = ["file_name", "file_sha256"]


@admin.register(ReportRow)
class ReportRowAdmin(DepartmentScopedAdmin, RegisteredReadsAdmin, ReadOnlyAdmin):
    """A quarantined row as the department sent it: its cells may hold citizen IDs."""

    department_field = "job__department"
    read_kind = QueryKind.REPORT

    list_display = ["job", "row_number", "outcome"]
    list_filter = ["outcome"]
    raw_id_fields = ["job"]

    def persons_on(self, row: ReportRow) -> int:
        return persons_in_report_row(row.names_natural_person, row.values)

    def subject_of(self, row: ReportRow) -> None:
        return None
