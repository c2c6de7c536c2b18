"""Demo log-ins: the credit office's administrator and officers of three departments.

Each account has an Officer row (who acted, for the audit trail) and a group whose admin
permissions fit the role (R14): the credit office keeps reference data, recognizing departments
record information and work on entries, implementing departments look things up.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from xinyong.subjects.models import Department, Officer

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
    "信用办工作人员": {
        "subjects": ["region", "domain", "department"],
        "catalog": ["catalogitem"],
        "listings": ["listdefinition"],
        "measures": ["scenario", "measure"],
        "calendars": ["calendaryear", "calendarday"],
    },
    "认定部门工作人员": {
        "subjects": ["subject", "linkedperson"],
        "catalog": ["creditrecord"],
        "listings": ["listentry"],
    },
    "实施部门工作人员": {},
}


@dataclass(frozen=True)
class Account:
    username: str
    department: str
    group: str
    last_name: str
    first_name: str
    role: str
    can_sign: bool = False
    superuser: bool = False


ACCOUNTS: tuple[Account, ...] = (
    Account("admin", "zj-fgw", "信用办工作人员", "周", "明远", "信用办管理员（超级用户）",
            can_sign=True, superuser=True),
    Account("xyb_officer", "zj-fgw", "信用办工作人员", "陈", "静怡", "信用办工作人员"),
    Account("scjg_officer", "zj-scjg", "认定部门工作人员", "王", "浩然",
            "市场监管局认定部门经办人"),
    Account("scjg_signer", "zj-scjg", "认定部门工作人员", "李", "建国", "市场监管局签发负责人",
            can_sign=True),
    Account("cz_officer", "zj-czt", "实施部门工作人员", "张", "晓燕",
            "财政厅（政府采购）实施部门经办人"),
)  # fmt: skip


def permissions_for(extra: dict[str, list[str]]) -> list[Permission]:
    wanted = Q()
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
        group.permissions.set(permissions_for(extra))
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
        user.groups.set([groups[account.group]])
        Officer.objects.update_or_create(
            user=user,
            defaults={"department": departments[account.department], "can_sign": account.can_sign},
        )
    return list(ACCOUNTS)


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
        lines.append(f"  username:  {account.username:<13} password: {shown}   # {account.role}")
    return "\n".join(lines)
