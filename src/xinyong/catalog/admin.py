from django.contrib import admin

from xinyong.audit.admin_mixins import AuditedModelAdmin
from xinyong.catalog.models import CatalogItem, CreditRecord


@admin.register(CatalogItem)
class CatalogItemAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "info_kind", "provider", "share_scope", "disclosure",
                    "mask_personal_data", "is_active"]  # fmt: skip
    list_filter = ["info_kind", "share_scope", "disclosure", "is_active"]
    search_fields = ["code", "name", "legal_basis"]


@admin.register(CreditRecord)
class CreditRecordAdmin(AuditedModelAdmin):
    list_display = ["document_number", "subject", "catalog_item", "department", "decision_date"]
    list_filter = ["catalog_item__info_kind", "is_serious"]
    search_fields = ["=document_number", "=subject__identifier"]
    raw_id_fields = ["subject"]
    show_full_result_count = False
