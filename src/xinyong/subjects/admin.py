from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from xinyong.access.admin_scope import RegisteredReadsAdmin
from xinyong.audit.admin_mixins import AuditedModelAdmin
from xinyong.audit.models import QueryKind
from xinyong.core import clock
from xinyong.core.identifiers import check_identifier, check_uscc
from xinyong.core.masking import MASK as MASK_CHARACTER
from xinyong.subjects.models import (
    Department,
    Domain,
    IdentifierStatus,
    LinkedPerson,
    Officer,
    Region,
    Subject,
    SubjectKind,
)
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
    list_select_related = ["parent"]  # nullable: not joined unless named
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


class SubjectForm(forms.ModelForm):
    """An identifier typed here is checked as an import checks it (DOMAIN.md §4): a wrong check
    digit, an impossible birth date or a kind that does not fit is refused on its field, and a
    code another subject already has is named as such, never a database error."""

    class Meta:
        model = Subject
        fields = ["kind", "name", "identifier", "region"]

    def clean(self):
        data = super().clean()
        typed, kind = data.get("identifier"), data.get("kind")
        if not typed or not kind:
            return data
        unchanged = self.instance.pk is not None and typed == self.instance.identifier
        if unchanged and MASK_CHARACTER in typed:
            # A person's ID shown masked and left as it was: it stays sealed as it is, so the
            # subject must stay a person (its masked text is no organisation's code). An
            # organisation's code kept sealed, as one that may be a person's ID is, stays so.
            if kind != SubjectKind.NATURAL_PERSON and self.instance.is_natural_person:
                self.add_error("kind", "改为组织须同时填写其统一社会信用代码")
            return data
        checked = check_identifier(typed, today=clock.today())
        is_person = kind == SubjectKind.NATURAL_PERSON
        if not is_person and checked.fails_check_character and checked.kind == "citizen_id":
            # 18 digits that fail both checks and that a person could hold (11… is 北京 and
            # 机构编制·机关) read as a mistyped ID; an organisation entered as such is the
            # other reading, kept for review and never refused (DOMAIN §4), and stored sealed
            # as any code that may be a person's ID (R14).
            as_code = check_uscc(typed)
            if as_code.needs_review:
                checked = as_code
        if checked.status == "invalid" or checked.kind == "unknown":
            self.add_error("identifier", checked.message)
            return data
        if not is_person and checked.kind == "citizen_id" and check_uscc(typed).is_valid:
            # 18 digits valid both ways read as a person's ID when nothing else is known; an
            # organisation entered as such is the other reading (stored sealed all the same).
            checked = check_uscc(typed)
        if is_person != (checked.kind == "citizen_id"):
            self.add_error(
                "identifier",
                "自然人须填写居民身份证号码" if is_person else "组织须填写统一社会信用代码",
            )
            return data
        taken = Subject.objects.filter(identifier_digest=identifier_digest(checked.value))
        if taken.exclude(pk=self.instance.pk).exists():
            self.add_error("identifier", "已有信用主体使用该统一社会信用代码或身份证号码")
            return data
        data["identifier"] = checked.value
        self.instance.identifier_status = (
            IdentifierStatus.REVIEW if checked.needs_review else IdentifierStatus.VALID
        )
        return data


def keeps_subject_identity(user) -> bool:
    """Whether ``user`` may change who an existing subject is: its code or citizen ID, its kind,
    its name. Only the credit office (or a superuser): other departments' lists, records and
    checks are joined on the code, and an officer re-coding a subject another department has
    listed would make every check of the old code answer clear (R14, 000 §十一.4)."""
    if user.is_superuser:
        return True
    officer = getattr(user, "officer", None)  # a missing officer row raises an AttributeError
    return officer is not None and officer.department.is_credit_office


@admin.register(Subject)
class SubjectAdmin(RegisteredReadsAdmin, IdentifierSearchMixin, AuditedModelAdmin):
    form = SubjectForm
    read_kind = QueryKind.SUBJECT_PAGE
    list_display = ["name", "identifier", "kind", "identifier_status", "region"]
    list_select_related = ["region"]  # nullable: not joined unless named, one query a row
    list_filter = ["kind", "identifier_status"]
    search_fields = ["=identifier", "name"]
    autocomplete_fields = ["region"]
    inlines = [LinkedPersonInline]
    show_full_result_count = False
    readonly_fields = ["identifier_status"]
    ordering = ["-id"]  # the newest first, and pages that hold still (the autocomplete's too)
    # Who the subject is: a department's officer gives them when it adds a subject, and only
    # the credit office changes them afterwards (``keeps_subject_identity``).
    IDENTITY_FIELDS = ("kind", "name", "identifier")

    def get_readonly_fields(self, request, obj=None):
        """Read only, not merely hidden: a read-only field is not in the form, so a value posted
        for it anyway is never taken, whatever rights the account's groups give."""
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not keeps_subject_identity(request.user):
            fields += [name for name in self.IDENTITY_FIELDS if name not in fields]
        return fields

    def subject_of(self, row: Subject) -> Subject:
        return row

    def audit_snapshot(self, obj: Subject) -> dict:
        """The subject, and the persons linked to it (落实到人) that the inline edits: who is
        attached to an organisation, in which role and when, is part of the change (R14)."""
        linked = obj.linked_persons.order_by("pk").values_list(
            "pk", "person_id", "role", "since", "until"
        )
        return {
            **super().audit_snapshot(obj),
            "linked_persons": [
                {"id": pk, "person": person, "role": role, "since": since, "until": until}
                for pk, person, role, since, until in linked
            ],
        }

    def get_search_results(self, request, queryset, search_term):
        """The autocomplete answers natural persons only to a search of two characters or
        more: opening the list, or one character, would page through people's names (R14)."""
        results, duplicates = super().get_search_results(request, queryset, search_term)
        match = getattr(request, "resolver_match", None)
        if match is not None and match.url_name == "autocomplete" and len(search_term.strip()) < 2:
            results = results.exclude(kind=SubjectKind.NATURAL_PERSON)
        return results, duplicates

    def persons_on_page(self, request, row: Subject) -> int:
        """An organisation's page lists its linked persons, to whoever may see the inline."""
        if row.is_natural_person:
            return 1
        if not request.user.has_perm("subjects.view_linkedperson"):
            return 0
        return row.linked_persons.count()


@admin.register(Officer)
class OfficerAdmin(AuditedModelAdmin):
    list_display = ["user", "department", "can_sign"]
    list_filter = ["can_sign", "department"]
    autocomplete_fields = ["user", "department"]

    def get_fields(self, request, obj=None):
        """An account the viewer may not open is named, not linked: the admin's read-only
        link to it would lead to a refusal (R14: no link leads to a refusal)."""
        fields = list(super().get_fields(request, obj))
        if self._names_the_account(request, obj):
            fields = ["account_name" if name == "user" else name for name in fields]
        return fields

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self._names_the_account(request, obj):
            readonly.append("account_name")
        return readonly

    def _names_the_account(self, request, obj) -> bool:
        """Read only, by a viewer who may not open accounts."""
        return (
            obj is not None
            and not self.has_change_permission(request, obj)
            and not request.user.has_perm("auth.view_user")
        )

    @admin.display(description=_("Account"))
    def account_name(self, officer: Officer) -> str:
        return officer.user.get_username()
