from django.contrib import admin

from xinyong.audit.admin_mixins import AuditedModelAdmin
from xinyong.subjects.models import Department, Domain, LinkedPerson, Officer, Region, Subject
from xinyong.subjects.protection import identifier_digest


class IdentifierSearchMixin:
    """The search box also finds a subject by its full code or citizen ID, through the keyed
    hash: the stored text of a person's ID is masked and would never match (R14)."""

    identifier_digest_lookup = "identifier_digest"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(  # type: ignore[misc]
            request, queryset, search_term
        )
        term = search_term.strip()
        if term:
            lookup = {self.identifier_digest_lookup: identifier_digest(term)}
            results |= queryset.filter(**lookup)
        return results, may_have_duplicates


@admin.register(Region)
class RegionAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]


@admin.register(Domain)
class DomainAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "dishonesty_category", "is_key_domain"]
    list_filter = ["dishonesty_category", "is_key_domain"]
    search_fields = ["code", "name"]


@admin.register(Department)
class DepartmentAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "level", "region", "is_credit_office", "is_recognizing",
                    "is_implementing"]  # fmt: skip
    list_filter = ["level", "is_credit_office", "is_recognizing", "is_implementing"]
    search_fields = ["code", "name"]
    filter_horizontal = ["domains"]
    autocomplete_fields = ["region"]


class LinkedPersonInline(admin.TabularInline):
    model = LinkedPerson
    fk_name = "organisation"
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Subject)
class SubjectAdmin(IdentifierSearchMixin, AuditedModelAdmin):
    list_display = ["name", "identifier", "kind", "identifier_status", "region"]
    list_filter = ["kind", "identifier_status"]
    search_fields = ["=identifier", "name"]
    autocomplete_fields = ["region"]
    inlines = [LinkedPersonInline]
    show_full_result_count = False


@admin.register(Officer)
class OfficerAdmin(AuditedModelAdmin):
    list_display = ["user", "department", "can_sign"]
    list_filter = ["can_sign", "department"]
    autocomplete_fields = ["user", "department"]
