"""A public credit information catalog modelled on the national basic catalog (001 §二(一)).

One or more items for each of the 11 kinds of information, each with its legal basis, provider,
subject kinds, share scope, disclosure, publicity rule and masking.
"""

from __future__ import annotations

from dataclasses import dataclass

from xinyong.catalog.models import CatalogItem, Disclosure, InfoKind, RecordFormat, ShareScope
from xinyong.subjects.models import Department, SubjectKind

ORGS = (SubjectKind.LEGAL_PERSON, SubjectKind.UNINCORPORATED, SubjectKind.INDIVIDUAL_BUSINESS)
ALL = (*ORGS, SubjectKind.NATURAL_PERSON)
U, CO = ShareScope.UNCONDITIONAL, ShareScope.CONDITIONAL
PUB, REQ, HIDDEN = Disclosure.PUBLIC, Disclosure.ON_REQUEST, Disclosure.NOT_PUBLIC


@dataclass(frozen=True)
class ItemSpec:
    name: str
    kind: str
    legal_basis: str
    provider: str | None
    subject_kinds: tuple[str, ...]
    share: str
    disclosure: str
    publicity_rule: str
    months: tuple[int | None, int | None] = (None, None)  # publication period, min and max
    mask: bool = True  # mask personal data unless the legal basis requires it (001 §4)


CATALOG: dict[str, ItemSpec] = {
    "registration-market-entity": ItemSpec(
        "市场主体登记注册基本信息", InfoKind.REGISTRATION,
        "《中华人民共和国市场主体登记管理条例》第三十五条；《企业信息公示暂行条例》第六条",
        "zj-scjg", ORGS, U, PUB, "登记机关自作出登记决定之日起20个工作日内公示。", mask=False),
    "registration-social-organisation": ItemSpec(
        "社会组织登记信息", InfoKind.REGISTRATION,
        "《社会团体登记管理条例》；《民办非企业单位登记管理暂行条例》；《基金会管理条例》",
        "zj-mzt", (SubjectKind.LEGAL_PERSON,), U, PUB, "登记管理机关依法公告。", mask=False),
    "judicial-defaulter": ItemSpec(
        "失信被执行人信息", InfoKind.JUDICIAL,
        "《中华人民共和国民事诉讼法》第二百六十六条；"
        "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条、第六条",
        "zj-fy", ALL, U, PUB,
        "通过最高人民法院失信被执行人名单库统一公布，依规定公布被执行人姓名。", (None, 24),
        mask=False),
    "judicial-consumption-restriction": ItemSpec(
        "限制消费令信息", InfoKind.JUDICIAL,
        "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第一条、第三条",
        "zj-fy", ALL, U, PUB, "限制消费令可以在相关媒体上公告。"),
    "administrative-licence": ItemSpec(
        "行政许可信息", InfoKind.ADMINISTRATIVE,
        "《中华人民共和国行政许可法》第四十条；《国务院办公厅关于运用大数据加强对市场主体服务和"
        "监管的若干意见》（国办发〔2015〕51号）",
        None, ALL, U, PUB, "自作出行政许可决定之日起7个工作日内上网公示（双公示）。"),
    "administrative-penalty": ItemSpec(
        "行政处罚信息", InfoKind.ADMINISTRATIVE,
        "《中华人民共和国行政处罚法》第四十八条；《信用修复管理办法》",
        None, ALL, U, PUB,
        "自作出行政处罚决定之日起7个工作日内上网公示；一般失信信息公示3个月至1年，"
        "严重失信信息公示1年至3年，期满自动停止公示。", (3, 36)),
    "qualification": ItemSpec(
        "职业资格信息", InfoKind.QUALIFICATION,
        "《中华人民共和国劳动法》第六十九条；《国家职业资格目录（2021年版）》",
        "zj-rlsb", (SubjectKind.NATURAL_PERSON,), CO, REQ, "依申请公开。"),
    "abnormal-operation": ItemSpec(
        "经营异常名录信息", InfoKind.ABNORMAL_OPERATION,
        "《企业信息公示暂行条例》第十七条；《企业经营异常名录管理暂行办法》第四条",
        "zj-scjg", ORGS, U, PUB,
        "列入之日起通过国家企业信用信息公示系统公示，移出后停止公示。", mask=False),
    "serious-dishonesty": ItemSpec(
        "严重失信主体名单信息", InfoKind.SERIOUS_DISHONESTY,
        "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》"
        "（国办发〔2020〕49号）第四条",
        None, ALL, U, PUB, "公示期限与名单有效期一致，移出后停止公示和共享。", (12, 36)),
    "contract-procurement": ItemSpec(
        "政府采购合同履约信息", InfoKind.CONTRACT,
        "《中华人民共和国政府采购法实施条例》第五十条、第七十三条",
        "zj-czt", (SubjectKind.LEGAL_PERSON, SubjectKind.UNINCORPORATED), CO, PUB,
        "在省级以上财政部门指定的媒体上公告。"),
    "credit-commitment": ItemSpec(
        "信用承诺及履行情况信息", InfoKind.COMMITMENT,
        "《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》"
        "（国办发〔2019〕35号）第二条",
        "zj-fgw", ALL, U, PUB, "承诺书及履约情况在信用网站公开。"),
    "tax-credit-rating": ItemSpec(
        "纳税信用评价结果", InfoKind.EVALUATION,
        "《中华人民共和国税收征收管理法》；《纳税信用管理办法》第二十六条",
        "zj-sw", ORGS, CO, REQ, "税务机关每年主动公开A级纳税人名单，其他级别依申请查询。",
        (None, 12), mask=False),
    "social-insurance-payment": ItemSpec(
        "社会保险费缴纳情况信息", InfoKind.COMPLIANCE, "《中华人民共和国社会保险法》第八十六条",
        "zj-rlsb", ORGS, CO, HIDDEN, "不向社会公开，仅在政务部门间有条件共享。"),
    "integrity-honour": ItemSpec(
        "诚实守信相关荣誉信息", InfoKind.HONOUR,
        "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》"
        "（国发〔2016〕33号）第二条；《浙江省公共信用信息管理条例》第十一条",
        "zj-wmb", ALL, U, PUB, "表彰决定作出后公示，荣誉有效期内持续公开。", mask=False),
    "contract-honour": ItemSpec(
        "守合同重信用企业公示信息", InfoKind.HONOUR,
        "《浙江省公共信用信息管理条例》第十一条；《守合同重信用企业公示工作管理办法》",
        "zj-scjg", (SubjectKind.LEGAL_PERSON,), U, PUB, "公示有效期两年。", (None, 24),
        mask=False),
}  # fmt: skip


# The items double-publicity files (XK_ / CF_) are imported under (R9).
RECORD_FORMATS = {
    "administrative-licence": RecordFormat.LICENCE,
    "administrative-penalty": RecordFormat.PENALTY,
}


def load_catalog(departments: dict[str, Department]) -> dict[str, CatalogItem]:
    items = {}
    for code, spec in CATALOG.items():
        items[code], _ = CatalogItem.objects.update_or_create(
            code=code,
            defaults={
                "name": spec.name,
                "info_kind": spec.kind,
                "legal_basis": spec.legal_basis,
                "provider": departments[spec.provider] if spec.provider else None,
                "subject_kinds": [str(kind) for kind in spec.subject_kinds],
                "share_scope": spec.share,
                "disclosure": spec.disclosure,
                "publicity_rule": spec.publicity_rule,
                "publication_months_min": spec.months[0],
                "publication_months_max": spec.months[1],
                "mask_personal_data": spec.mask,
                "record_format": RECORD_FORMATS.get(code, RecordFormat.OTHER),
                "is_active": True,
            },
        )
    return items
