from django import forms
from django.contrib import admin
from django.utils.text import smart_split, unescape_string_literal

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
from xinyong.core.document_numbers import canonical_document_number
from xinyong.core.protection import mask_citizen_ids
from xinyong.subjects.admin import IdentifierSearchMixin
from xinyong.subjects.models import SubjectKind
from xinyong.subjects.protection import identifier_digest

# The national 双公示 fields that name an organisation's legal representative (R9).
LEGAL_REPRESENTATIVE_FIELDS = ("XK_FRDB", "CF_FRDB", "XK_FR_ZJHM", "CF_FR_ZJHM")


_SEARCH_PREFIXES = {"=": "iexact", "^": "istartswith", "@": "search"}


class SeparateSearchMixin(IdentifierSearchMixin):
    """The admin's search (``search_fields``, and the subject's code or citizen ID through its
    keyed hash), each field read on its own by its own index, the rows kept those whose key
    is among what the reads found (R14).

    What is found is what the admin's own search finds: every word of the term in some field,
    or the whole term as the subject's code. (Those tests ORed in one WHERE across the join to
    the subjects matched no index: every record was joined to its subject and tested, seconds
    for a million records.)

    A document number is also looked for in its canonical form (``core.document_numbers``),
    in the column that keeps it (``document_number_keys``: search field → that column): an
    officer types 杭市监罚[2026]1号 or a court's （2026） where the key reads 〔2026〕 (R9, R4).
    Each word is, and the whole term too, so that spaces typed around the brackets do not
    split the number into words no field holds.
    """

    document_number_keys: dict[str, str] = {}

    def get_search_results(self, request, queryset, search_term):
        term = search_term.strip()
        fields = self.get_search_fields(request)
        if not term or not fields:
            return queryset, False
        model = queryset.model
        everything = model._default_manager.order_by()
        keys = [self.document_number_keys[f] for f in fields if f in self.document_number_keys]
        by_digest = everything.filter(**{self.identifier_digest_lookup: identifier_digest(term)})
        words = []
        for word in smart_split(term):
            if word.startswith(('"', "'")) and word[0] == word[-1]:
                word = unescape_string_literal(word)
            reads = [everything.filter(**{_search_lookup(f): word}).values("pk") for f in fields]
            reads += _by_number(everything, keys, word)
            words.append(reads[0].union(*reads[1:]) if len(reads) > 1 else reads[0])
        if len(words) == 1:
            found = words[0].union(by_digest.values("pk"))
        else:  # every word in some field, or the whole term one number
            every = everything
            for read in words:
                every = every.filter(pk__in=read)
            found = every.values("pk").union(
                by_digest.values("pk"), *_by_number(everything, keys, term)
            )
        return queryset.filter(pk__in=found), False


def _by_number(everything, keys: list[str], text: str) -> list:
    """The reads of ``text``'s canonical form in each key column, in any case as the admin's
    ``=`` search reads (the records' ``UPPER`` index serves it)."""
    number = canonical_document_number(text)
    if not number:
        return []
    return [everything.filter(**{f"{key}__iexact": number}).values("pk") for key in keys]


def _search_lookup(field: str) -> str:
    """The lookup the admin's search makes of a ``search_fields`` entry."""
    if field[:1] in _SEARCH_PREFIXES:
        return f"{field[1:]}__{_SEARCH_PREFIXES[field[0]]}"
    return f"{field}__icontains"


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
    DepartmentScopedAdmin, RegisteredReadsAdmin, SeparateSearchMixin, ReadOnlyAdmin
):
    list_display = ["number_as_written", "subject", "catalog_item", "department",
                    "decision_date", "tier", "published_on", "publication_ends_on",
                    "workdays_late"]  # fmt: skip
    list_filter = ["catalog_item__info_kind", "is_serious", "tier"]
    search_fields = ["=document_number", "=subject__identifier"]
    document_number_keys = {"=document_number": "document_number"}
    identifier_digest_lookup = "subject__identifier_digest"
    raw_id_fields = ["subject"]

    @admin.display(
        description=CreditRecord._meta.get_field("document_number").verbose_name,
        ordering="document_number",
    )
    def number_as_written(self, row: CreditRecord) -> str:
        """As the department wrote it, where the record keeps it; the column holds the
        canonical form, which is what the search compares (R9)."""
        return row.document_number_as_written

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

    def has_delete_permission(self, request, obj=None):
        """A default rule is never deleted: without it, a tier of an item with no rule of its
        own has no window, and the import refuses its penalties (``tier-rule-missing``). The
        bulk deletion asks this of each rule it would delete, and refuses as a whole."""
        if obj is not None and obj.catalog_item_id is None:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        """Nor is a default turned into one item's rule, which would leave its tier none."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.catalog_item_id is None:
            fields.append("catalog_item")
        return fields


@admin.register(ImportJob)
class ImportJobAdmin(DepartmentScopedAdmin, ReadOnlyAdmin):
    list_display = ["id", "department", "kind", "file_name", "status", "rows_done", "accepted",
                    "quarantined", "created_at"]  # fmt: skip
    list_filter = ["status", "kind", "department"]
    search_fields = ["file_name", "file_sha256"]
    # A file named on the command line is the department's own, where it keeps it: its path may
    # hold a citizen ID (a folder per person). The job keeps it as it is, for a resumed import
    # reads the file there again; the page shows it masked, where the path would be (R14).
    exclude = ["file_path"]
    readonly_fields = ["stored_file"]

    def get_fields(self, request, obj=None):
        fields = [name for name in super().get_fields(request, obj) if name != "stored_file"]
        at = fields.index("file_name") + 1 if "file_name" in fields else len(fields)
        return [*fields[:at], "stored_file", *fields[at:]]

    @admin.display(description=ImportJob._meta.get_field("file_path").verbose_name)
    def stored_file(self, job: ImportJob) -> str:
        return mask_citizen_ids(job.file_path)


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
