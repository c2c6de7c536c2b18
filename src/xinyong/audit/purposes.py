"""The query purposes (查询事由) the platform starts with, and the codes its own answers use (R14).

The credit office keeps the list in the admin (rename, describe, order, deactivate); the codes
are stable, since registrations keep them. Answers the platform registers without asking an
officer (an API read, a download) use the codes named here.
"""

from __future__ import annotations

from typing import Any

LISTING_PROCEDURE = "listing_procedure"
OBJECTION_VERIFICATION = "objection_verification"
CREDIT_REPAIR = "credit_repair"
JOINT_ACTION = "joint_action"
DATA_QUALITY = "data_quality"
QUERY_REVIEW = "query_review"
OTHER = "other"

BUILT_IN = [
    (LISTING_PROCEDURE, "名单认定与管理", "办理本部门名单的认定、告知、公示、异议、签发与退出"),
    (OBJECTION_VERIFICATION, "异议核实", "核实信用主体提出的异议"),
    (CREDIT_REPAIR, "信用修复", "办理信用修复申请"),
    ("administrative_approval", "行政审批", "行政许可、资质资格审核等审批事项中的信用审查"),
    ("regulatory_supervision", "日常监管与执法", "日常监管、检查和行政执法中的信用查询"),
    (JOINT_ACTION, "联合奖惩核查", "实施部门在业务场景中核查；核查与批量核查的业务场景即具体事由"),
    (DATA_QUALITY, "数据质量核对", "核对本部门归集数据的导入报告"),
    (QUERY_REVIEW, "查询登记审查", "信用办审查查询登记"),
    ("statistics", "统计分析", "统计、分析与报告"),
    ("subject_request", "依申请查询", "信用主体本人或其授权的查询"),
    (OTHER, "其他", "须在说明中写明具体事由"),
]  # fmt: skip

# A purpose that says nothing by itself: the officer must write what it is.
NEEDS_DETAIL = frozenset({OTHER})


def ensure_built_in(model: Any) -> None:
    """Create the built-in purposes that are missing; never overwrite the credit office's edits.

    ``model`` is the ``QueryPurpose`` class, or its historical version inside a migration.
    """
    for position, (code, name, description) in enumerate(BUILT_IN, start=1):
        model.objects.get_or_create(
            code=code, defaults={"name": name, "description": description, "position": position}
        )
