"""Demo log-ins: the credit office's administrators and reviewer, officers of four departments,
and credit subjects who see their own record: a person, an organisation, and the organisations
whose objections, repair applications and requests to leave a red list the demo makes
(xinyong/demo/remedies.py, xinyong/demo/red_list_exits.py).

Each officer's account has an Officer row (who acted, for the audit trail) and groups whose
admin permissions fit the role (R14): the credit office keeps reference data, its reviewer reads
the query registrations and the audit trail, recognizing departments record information and
work on entries, implementing departments look things up. The groups ``credit_admin`` and
``credit_reviewer`` are also what makes an account of the credit office an administrator or a
reviewer (xinyong/access/roles.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from xinyong.access.models import SubjectAccount
from xinyong.access.roles import ADMIN_GROUP, REVIEWER_GROUP
from xinyong.listings.models import EntryState
from xinyong.subjects.models import Department, Officer, Subject, SubjectKind

DEFAULT_PASSWORD = "xinyong-demo"
DEFAULT_SITE_URL = "http://127.0.0.1:8000"

VIEW_ALL = {
    "subjects": ["region", "domain", "department", "subject", "linkedperson", "officer"],
    "catalog": ["catalogitem", "creditrecord"],
    "listings": [
        "listdefinition",
        "listentry",
        "listentryevent",
        "listentryperson",
        "announcement",
    ],
    "measures": ["scenario", "measure"],
    "calendars": ["calendaryear", "calendarday"],
}
# (group name, {app: [models it may also add and change]})
GROUPS: dict[str, dict[str, list[str]]] = {
    # The credit office also corrects who a subject is (its code, kind and name): no other
    # department may, as lists, records and checks are joined on the code (subjects/admin.py).
    "信用办工作人员": {
        "subjects": ["region", "domain", "department", "subject", "linkedperson"],
        "catalog": ["catalogitem"],
        "listings": ["listdefinition"],
        "measures": ["scenario", "measure"],
        "calendars": ["calendaryear", "calendarday"],
    },
    # Records and entries are written by imports and the listing services, never in the admin.
    # A department adds subjects and keeps their region and linked persons; their code, kind
    # and name, once given, are the credit office's to change (subjects/admin.py).
    "认定部门工作人员": {"subjects": ["subject", "linkedperson"]},
    "实施部门工作人员": {},
    ADMIN_GROUP: {},
    REVIEWER_GROUP: {},
}
# Groups that also read the audit trail and the query registrations (R14).
AUDIT_READERS = {ADMIN_GROUP, REVIEWER_GROUP}


@dataclass(frozen=True)
class Account:
    username: str
    department: str
    groups: tuple[str, ...]
    last_name: str
    first_name: str
    role: str
    can_sign: bool = False
    superuser: bool = False


@dataclass(frozen=True)
class SubjectLogin:
    """A credit subject's own account: which demo subject it is picked from (see below)."""

    username: str
    kind: str  # empty: the subject is chosen by the step that acts for it (demo/remedies.py)
    role: str


OFFICE = "信用办工作人员"
ACCOUNTS: tuple[Account, ...] = (
    Account("admin", "zj-fgw", (OFFICE,), "周", "明远", "信用办管理员（超级用户）",
            can_sign=True, superuser=True),
    Account("xyb_admin", "zj-fgw", (OFFICE, ADMIN_GROUP), "赵", "立新", "信用办管理员"),
    Account("xyb_reviewer", "zj-fgw", (REVIEWER_GROUP,), "孙", "慧敏",
            "信用办审核员（查阅查询登记）"),
    Account("xyb_officer", "zj-fgw", (OFFICE,), "陈", "静怡", "信用办工作人员"),
    Account("scjg_officer", "zj-scjg", ("认定部门工作人员",), "王", "浩然",
            "市场监管局认定部门经办人"),
    Account("scjg_signer", "zj-scjg", ("认定部门工作人员",), "李", "建国",
            "市场监管局签发负责人", can_sign=True),
    Account("cz_officer", "zj-czt", ("实施部门工作人员",), "张", "晓燕",
            "财政厅（政府采购）实施部门经办人"),
    # Most penalties come from the cities' bureaus: this one decides repairs of its records.
    Account("hzscjg_officer", "hangzhou-scjg", ("认定部门工作人员",), "钱", "文博",
            "杭州市市场监管局经办人（处罚、许可信息的信用修复与异议）"),
)  # fmt: skip
SUBJECT_LOGINS: tuple[SubjectLogin, ...] = (
    SubjectLogin("zhuti_person", SubjectKind.NATURAL_PERSON, "信用主体（自然人）本人"),
    SubjectLogin("zhuti_company", SubjectKind.LEGAL_PERSON,
                 "信用主体（企业）：异议不成立，信用修复申请办理中"),
    SubjectLogin("zhuti_objecting", "", "信用主体：异议核实中，相关惩戒措施中止"),
    SubjectLogin("zhuti_corrected", "", "信用主体：异议成立，名单更正并移出"),
    SubjectLogin("zhuti_repaired", "", "信用主体：信用修复先不予通过，再次申请后提前移出名单"),
    SubjectLogin("zhuti_penalty", "", "信用主体：行政处罚信息信用修复通过，停止公示"),
    SubjectLogin("zhuti_record", "", "信用主体：对行政处罚信息提出异议，核实后予以更正"),
    SubjectLogin("zhuti_leaving", "", "信用主体：申请退出红名单，待认定部门移出"),
    SubjectLogin("zhuti_left", "", "信用主体：申请退出红名单，已应申请移出并公告"),
    SubjectLogin("zhuti_expired", "", "信用主体：申请退出红名单期间有效期届满，申请终止办理"),
)  # fmt: skip


def permissions_for(extra: dict[str, list[str]], *, audit: bool = False) -> list[Permission]:
    wanted = Q()
    if audit:
        wanted |= Q(content_type__app_label="audit", codename__startswith="view_")
    for app, models in VIEW_ALL.items():
        wanted |= Q(content_type__app_label=app, codename__in=[f"view_{m}" for m in models])
    for app, models in extra.items():
        codenames = [f"{verb}_{m}" for m in models for verb in ("add", "change")]
        wanted |= Q(content_type__app_label=app, codename__in=codenames)
    return list(Permission.objects.filter(wanted))


def load_accounts(departments: dict[str, Department], password: str) -> list[Account]:
    """Create or update the demo accounts; their password is set to ``password`` each time."""
    groups = {}
    for name, extra in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions_for(extra, audit=name in AUDIT_READERS))
        groups[name] = group
    user_model = get_user_model()
    # One hash for all: the accounts share a published demo password anyway, and each hash
    # costs a noticeable fraction of a second by design.
    hashed = make_password(password)
    for account in ACCOUNTS:
        user, _ = user_model.objects.get_or_create(username=account.username)
        user.first_name, user.last_name = account.first_name, account.last_name
        user.is_staff, user.is_superuser, user.is_active = True, account.superuser, True
        user.password = hashed
        user.save()
        user.groups.set([groups[name] for name in account.groups])
        Officer.objects.update_or_create(
            user=user,
            defaults={"department": departments[account.department], "can_sign": account.can_sign},
        )
    return list(ACCOUNTS)


def _subject_for(kind: str) -> Subject | None:
    """A demo subject worth logging in as: one with a list entry it has been told of."""
    of_kind = Subject.objects.filter(kind=kind)
    told = of_kind.filter(list_entries__state__in=[s for s in EntryState if s != EntryState.DRAFT])
    return told.order_by("pk").first() or of_kind.order_by("pk").first()


def load_subject_accounts(
    password: str, chosen: Mapping[str, Subject] | None = None
) -> list[SubjectLogin]:
    """Accounts for subjects of the demo data (R14: a subject sees only itself): those in
    ``chosen`` by user name, else one of the login's kind; a login with neither is not made.
    Run after the subjects are written; a reset deletes the links with the subjects, and the
    next load makes them again."""
    hashed = make_password(password)
    made = []
    for login in SUBJECT_LOGINS:
        subject = (chosen or {}).get(login.username)
        if subject is None and login.kind:
            subject = _subject_for(login.kind)
        if subject is None:
            continue
        user, _ = get_user_model().objects.get_or_create(username=login.username)
        user.is_staff = user.is_superuser = False
        user.is_active, user.password = True, hashed
        user.save()
        SubjectAccount.objects.update_or_create(user=user, defaults={"subject": subject})
        made.append(login)
    return made


def login_block(password: str | None, site_url: str = DEFAULT_SITE_URL) -> str:
    """The log-ins to print at the end of a load; ``None`` when the password is not known."""
    shown = (
        password
        if password is not None
        else f"(as set by the last load; default {DEFAULT_PASSWORD})"
    )
    site = site_url.rstrip("/")
    lines = [
        "",
        "Log in to the back office:",
        f"  officers:  {site}/office/",
        f"  admin:     {site}/admin/",
    ]
    for account in ACCOUNTS:
        lines.append(f"  username:  {account.username:<15} password: {shown}   # {account.role}")
    lines += ["", "Log in as a credit subject (its own record):", f"  subjects:  {site}/login/"]
    # A small load may leave a case without a subject: only the accounts that exist are shown.
    linked = set(
        SubjectAccount.objects.filter(
            user__username__in=[login.username for login in SUBJECT_LOGINS]
        ).values_list("user__username", flat=True)
    )
    for login in SUBJECT_LOGINS:
        if login.username not in linked:
            continue
        lines.append(f"  username:  {login.username:<15} password: {shown}   # {login.role}")
    return "\n".join(lines)
