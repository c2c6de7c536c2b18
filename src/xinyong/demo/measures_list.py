"""A measures list (措施清单) modelled on the national basic list of dishonesty measures.

Punishments fall into the list's three categories; rewards follow 国发〔2016〕33号. Every measure
has its legal basis, whether it is mandatory, the list kinds and domains it follows from, the
business scenarios, the implementing departments and its targets (002 §二十, R10).
"""

from __future__ import annotations

from dataclasses import dataclass

from xinyong.demo.reference import DOMAINS
from xinyong.listings.models import ListKind
from xinyong.measures.models import Measure, MeasureCategory, Scenario
from xinyong.measures.selectors import hold_measures_list
from xinyong.subjects.models import Department, Domain

T = Measure.Target
ORG, REP, PRINCIPAL, RESPONSIBLE, PERSON = (
    T.ORGANISATION,
    T.LEGAL_REPRESENTATIVE,
    T.PRINCIPAL,
    T.RESPONSIBLE,
    T.PERSON,
)
RED, BLACK, KEY, WARNING, MONITOR = (
    ListKind.RED,
    ListKind.BLACK,
    ListKind.KEY_ATTENTION,
    ListKind.BIG_DATA_WARNING,
    ListKind.KEY_MONITORING,
)
SERIOUS_DOMAINS = tuple(code for code, _, category, _ in DOMAINS if category is not None)
# The big-data warning list is kept in the credit office's own domain (``list_definitions``):
# a measure that follows from it names that domain too, or it never follows (R3, R10).
WARNING_DOMAIN = "social_credit"
RED_DOMAINS = ("tax", "market_order", "labour", "construction", "civilization")

GUOFA_2016_33 = (
    "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》"
    "（国发〔2016〕33号）"
)
GUOBAN_2019_35 = (
    "《国务院办公厅关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》"
    "（国办发〔2019〕35号）"
)
GUOBAN_2020_49 = (
    "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）"
)
COURT_CONSUMPTION = "《最高人民法院关于限制被执行人高消费及有关消费的若干规定》第三条"


@dataclass(frozen=True)
class MeasureSpec:
    code: str
    name: str
    content: str
    type: str
    category: int | None
    mandatory: bool
    legal_basis: str
    list_kinds: tuple[str, ...]
    domains: tuple[str, ...]
    scenarios: tuple[str, ...]
    departments: tuple[str, ...]
    targets: tuple[str, ...]
    level: str = "省、市、县"
    frequency: str = "每次办理业务时"


PUNISH, REWARD = Measure.Type.PUNISHMENT, Measure.Type.REWARD
C1, C2, C3 = (
    MeasureCategory.RIGHTS_AND_DUTIES,
    MeasureCategory.MANAGEMENT,
    MeasureCategory.OTHER_ORGANISATIONS,
)

MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec(
        "P01", "限制高消费及非生活和工作必需的消费行为",
        "限制乘坐飞机、列车软卧、轮船二等以上舱位，限制在星级以上宾馆、酒店、夜总会、高尔夫球场"
        "等场所进行高消费，限制购买不动产、旅游度假、子女就读高收费私立学校等。",
        PUNISH, C1, True, f"《中华人民共和国民事诉讼法》第二百六十六条；{COURT_CONSUMPTION}",
        (BLACK,), ("judicial_enforcement",), ("high_consumption",), ("zj-fy", "zj-jtys"),
        (ORG, REP, PRINCIPAL, RESPONSIBLE, PERSON)),
    MeasureSpec(
        "P02", "限制参加政府采购活动", "在一定期限内禁止作为供应商参加政府采购活动。",
        PUNISH, C1, True,
        "《中华人民共和国政府采购法》第二十二条第一款第（五）项；"
        "《中华人民共和国政府采购法实施条例》第十九条",
        (BLACK,), SERIOUS_DOMAINS, ("government_procurement",), ("zj-czt", "zj-ggzy"), (ORG,)),
    MeasureSpec(
        "P03", "限制申请财政性资金项目", "严格限制申请财政性资金项目和政府补贴性资金支持。",
        PUNISH, C1, False, f"{GUOFA_2016_33}“严格限制申请财政性资金项目”",
        (BLACK,), SERIOUS_DOMAINS, ("fiscal_funds",), ("zj-czt", "zj-fgw"), (ORG,)),
    MeasureSpec(
        "P04", "限制参与公共资源交易活动",
        "限制参与工程建设项目招标投标、土地使用权出让等公共资源交易活动。",
        PUNISH, C1, False, f"{GUOFA_2016_33}“限制参与有关公共资源交易活动”",
        (BLACK,), SERIOUS_DOMAINS, ("public_resource_trading",), ("zj-ggzy", "zj-jst"), (ORG,)),
    MeasureSpec(
        "P05", "限制担任公司法定代表人及董事、监事、高级管理人员",
        "个人所负数额较大的债务到期未清偿被人民法院列为失信被执行人的，不得担任公司的董事、"
        "监事、高级管理人员。",
        PUNISH, C1, True, "《中华人民共和国公司法》第一百七十八条第一款第（五）项",
        (BLACK,), ("judicial_enforcement",), ("public_office", "market_entry"), ("zj-scjg",),
        (REP, PRINCIPAL, PERSON)),
    MeasureSpec(
        "P06", "拒服兵役人员不得录用为公务员、不得办理出境和升学手续",
        "两年内不得被录用为公务员或者参照公务员法管理的工作人员，不得为其办理出境、升学、"
        "复学手续。",
        PUNISH, C1, True, "《中华人民共和国兵役法》第五十七条",
        (BLACK,), ("national_defence",), ("public_office",), ("zj-gfdy", "zj-tyjr"), (PERSON,),
        frequency="列入期间持续实施"),
    MeasureSpec(
        "P07", "不适用告知承诺制，实行审慎审批",
        "严重失信主体申请行政许可或办理证明事项时，不适用告知承诺制，依法从严审查。",
        PUNISH, C2, True,
        "《国务院办公厅关于全面推行证明事项和涉企经营许可事项告知承诺制的指导意见》"
        "（国办发〔2020〕42号）",
        (BLACK,), SERIOUS_DOMAINS, ("administrative_approval", "market_entry"),
        ("hangzhou-xzsp", "zj-scjg", "zj-fgw"), (ORG, REP)),
    MeasureSpec(
        "P08", "列为重点监管对象，提高抽查比例和频次",
        "在“双随机、一公开”监管中提高抽查比例和频次，依法依规实施重点监管。",
        PUNISH, C2, False, f"{GUOBAN_2019_35}“对失信主体在日常监管中提高抽查比例和频次”",
        (BLACK, KEY, WARNING, MONITOR), (*SERIOUS_DOMAINS, WARNING_DOMAIN), ("daily_supervision",),
        ("zj-scjg", "zj-sthj", "zj-yjgl", "zj-xfjy", "zj-sw"), (ORG,), frequency="每个抽查年度"),
    MeasureSpec(
        "P09", "限制参加评优评先", "取消参加各类评优评先活动的资格，已获得的荣誉依规撤销。",
        PUNISH, C2, False, f"{GUOBAN_2020_49}第（十）项",
        (BLACK, WARNING), (*SERIOUS_DOMAINS, WARNING_DOMAIN), ("honours",), ("zj-wmb", "zj-rlsb"),
        (ORG, REP, PRINCIPAL, PERSON)),
    MeasureSpec(
        "P10", "审慎授信",
        "金融机构依法依规将失信情况作为授信审查的参考，审慎确定授信额度和利率。",
        PUNISH, C3, False,
        f"{GUOFA_2016_33}“对失信主体提高贷款利率和财产保险费率，或者限制向其提供贷款”",
        (BLACK, WARNING), (*SERIOUS_DOMAINS, WARNING_DOMAIN), ("financing",),
        ("zj-rmyh", "zj-jrjg"), (ORG, REP, PERSON)),
    MeasureSpec(
        "P11", "行业自律惩戒",
        "行业协会商会依据章程对会员实施警告、通报批评、取消会员资格等自律惩戒。",
        PUNISH, C3, False, f"{GUOFA_2016_33}“加强对失信行为的行业性约束和惩戒”",
        (BLACK,), SERIOUS_DOMAINS, ("daily_supervision",), ("zj-mzt",), (ORG,)),
    MeasureSpec(
        "R01", "容缺受理", "申请材料主要材料齐全、次要材料欠缺的，先予受理，在规定期限内补齐。",
        REWARD, None, False, f"{GUOFA_2016_33}“实施‘绿色通道’和‘容缺受理’等便利服务措施”",
        (RED,), RED_DOMAINS, ("administrative_approval",), ("hangzhou-xzsp", "zj-scjg", "zj-jst"),
        (ORG, PERSON)),
    MeasureSpec(
        "R02", "开通行政审批绿色通道", "在行政审批中优先受理、优先办理，简化办事程序。",
        REWARD, None, False,
        f"{GUOFA_2016_33}“在办理行政许可过程中，对诚信典型和连续三年无不良信用记录的行政相对人，"
        "可根据实际情况实施‘绿色通道’”",
        (RED,), RED_DOMAINS, ("administrative_approval", "market_entry"),
        ("hangzhou-xzsp", "zj-fgw"), (ORG, PERSON)),
    MeasureSpec(
        "R03", "降低抽查比例和频次",
        "对信用较好、风险较低的市场主体合理降低抽查比例和频次，减少对正常生产经营的影响。",
        REWARD, None, False,
        f"{GUOBAN_2019_35}“对信用较好、风险较低的市场主体，可合理降低抽查比例和频次”",
        (RED,), RED_DOMAINS, ("daily_supervision",), ("zj-scjg", "zj-sw", "zj-rlsb"), (ORG,),
        frequency="每个抽查年度"),
    MeasureSpec(
        "R04", "信易贷优先授信和优惠利率",
        "金融机构对守信主体优先提供融资服务，在授信额度、利率上给予优惠。",
        REWARD, None, False,
        "《国务院办公厅关于印发加强信用信息共享应用促进中小微企业融资实施方案的通知》"
        "（国办发〔2021〕52号）",
        (RED,), RED_DOMAINS, ("financing",), ("zj-rmyh", "zj-jrjg"), (ORG,)),
    MeasureSpec(
        "R05", "评优评先同等条件下优先", "在各类评优评先中，同等条件下优先推荐、优先考虑。",
        REWARD, None, False, f"{GUOFA_2016_33}“在评优评先中优先考虑守信主体”",
        (RED,), RED_DOMAINS, ("honours",), ("zj-wmb", "zj-rlsb"), (ORG, PERSON)),
    MeasureSpec(
        "R06", "财政性资金项目安排同等条件下优先",
        "在实施财政性资金项目安排、招商引资配套优惠政策等各类政府优惠政策中，优先考虑。",
        REWARD, None, False,
        f"{GUOFA_2016_33}“在实施财政性资金项目安排、招商引资配套优惠政策等各类政府优惠政策中，"
        "优先考虑诚信市场主体”",
        (RED,), RED_DOMAINS, ("fiscal_funds", "government_procurement"), ("zj-czt", "zj-fgw"),
        (ORG,)),
    MeasureSpec(
        "R07", "公共资源交易中减免投标保证金",
        "在招标投标等公共资源交易活动中，依法减免投标保证金、履约保证金。",
        REWARD, None, False, f"《优化营商环境条例》第二十条；{GUOFA_2016_33}",
        (RED,), RED_DOMAINS, ("public_resource_trading",), ("zj-ggzy",), (ORG,)),
)  # fmt: skip


def load_measures(
    domains: dict[str, Domain],
    scenarios: dict[str, Scenario],
    departments: dict[str, Department],
) -> dict[str, Measure]:
    measures = {}
    hold_measures_list()  # before update_or_create locks a measure, as every change takes it
    for sequence, spec in enumerate(MEASURES, start=1):
        measure, _ = Measure.objects.update_or_create(
            code=spec.code,
            defaults={
                "sequence": sequence,
                "name": spec.name,
                "content": spec.content,
                "type": spec.type,
                "category": spec.category,
                "mandatory": spec.mandatory,
                "legal_basis": spec.legal_basis,
                "list_kinds": [str(kind) for kind in spec.list_kinds],
                "targets": [str(target) for target in spec.targets],
                "implementing_level": spec.level,
                "frequency": spec.frequency,
                "is_active": True,
            },
        )
        measure.domains.set([domains[code] for code in spec.domains])
        measure.scenarios.set([scenarios[code] for code in spec.scenarios])
        measure.implementing_departments.set([departments[code] for code in spec.departments])
        measures[spec.code] = measure
    return measures
