from django.contrib import admin

from xinyong.audit.admin_mixins import AuditedModelAdmin
from xinyong.catalog.models import (
    CatalogItem,
    CreditRecord,
    ImportJob,
    PenaltyType,
    PublicationRule,
    ReportRow,
)
from xinyong.subjects.admin import IdentifierSearchMixin


@admin.register(CatalogItem)
class CatalogItemAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "info_kind", "provider", "share_scope", "disclosure",
                    "record_format", "mask_personal_data", "is_active"]  # fmt: skip
    list_filter = ["info_kind", "share_scope", "disclosure", "record_format", "is_active"]
    search_fields = ["code", "name", "legal_basis"]


@admin.register(CreditRecord)
class CreditRecordAdmin(IdentifierSearchMixin, AuditedModelAdmin):
    list_display = ["document_number", "subject", "catalog_item", "department", "decision_date",
                    "tier", "published_on", "publication_ends_on", "workdays_late"]  # fmt: skip
    list_filter = ["catalog_item__info_kind", "is_serious", "tier"]
    search_fields = ["=document_number", "=subject__identifier"]
    identifier_digest_lookup = "subject__identifier_digest"
    raw_id_fields = ["subject"]
    readonly_fields = ["import_job", "import_row"]
    show_full_result_count = False


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


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written only by imports: shown, never edited here."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["id", "department", "kind", "file_name", "status", "rows_done", "accepted",
                    "quarantined", "created_at"]  # fmt: skip
    list_filter = ["status", "kind", "department"]
    search_fields = ["file_name", "file_sha256"]


@admin.register(ReportRow)
class ReportRowAdmin(ReadOnlyAdmin):
    list_display = ["job", "row_number", "outcome"]
    list_filter = ["outcome"]
    raw_id_fields = ["job"]
    show_full_result_count = False
