"""List definitions: red and black lists by domain, key-attention, big-data warning, monitoring.

Black lists exist only in domains of the four categories of serious dishonesty (000 §三); red and
black lists are publicized for 20 working days (001 §8); the court's defaulter list keeps its
measures during an objection (R6); especially serious lists are not repairable (000 §九).
Each definition also carries, for the demo only, which subject kinds it takes and facts templates.
"""

from __future__ import annotations

from dataclasses import dataclass

from xinyong.audit.services import SYSTEM_ACTOR
from xinyong.listings import suspension
from xinyong.listings.models import ListDefinition, ListKind, ValidityUnit
from xinyong.subjects.models import Department, Domain, SubjectKind

LP, UN, IB, NP = (
    SubjectKind.LEGAL_PERSON,
    SubjectKind.UNINCORPORATED,
    SubjectKind.INDIVIDUAL_BUSINESS,
    SubjectKind.NATURAL_PERSON,
)
ORGS = (LP, UN)
TRADERS = (LP, UN, IB)
ANYONE = (LP, UN, IB, NP)
YEARS, MONTHS = ValidityUnit.YEARS, ValidityUnit.MONTHS
R, B, K = ListKind.RED, ListKind.BLACK, ListKind.KEY_ATTENTION
GUOBAN_2020_49 = (
    "《国务院办公厅关于进一步完善失信约束制度构建诚信建设长效机制的指导意见》（国办发〔2020〕49号）"
)


@dataclass(frozen=True)
class ListSpec:
    code: str
    name: str
    kind: str
    domain: str
    department: str
    criteria: str
    legal_basis: str
    validity: int | None
    unit: str
    kinds: tuple[str, ...]
    facts: tuple[str, ...]
    publicity_workdays: int = 20
    repairable: bool = True
    objection_suspends: bool = True
    monitoring_months: int | None = None


ZJ_CREDIT_ACT = "《浙江省公共信用信息管理条例》"
FAGAI_2018_87 = (
    "《国家发展改革委办公厅关于做好〈关于加强和规范守信联合激励和失信联合惩戒对象名单管理工作的"
    "指导意见〉贯彻落实工作的通知》（发改办财金〔2018〕87号）"
)

YILI_2019 = (
    "《伊犁州关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的实施方案》"
    "（伊州政发〔2019〕1号）"
)

LISTS: tuple[ListSpec, ...] = (
    ListSpec(
        "red-tax-a", "纳税信用A级纳税人名单", R, "tax", "zj-sw",
        "年度纳税信用评价指标得分90分以上且无直接判级扣分情形的纳税人。",
        "《纳税信用管理办法》（国家税务总局公告2014年第40号）第二十九条", 1, YEARS, TRADERS,
        ("{year}年度纳税信用评价得分{score}分，评价结果为A级。",)),
    ListSpec(
        "red-contract-honour", "浙江省守合同重信用企业名单", R, "market_order", "zj-scjg",
        "连续两年以上合同履约率100%、无合同违法行为和不良信用记录的企业。",
        f"{ZJ_CREDIT_ACT}第十一条；《守合同重信用企业公示工作管理办法》", 2, YEARS, (LP,),
        ("连续{n}年合同履约率100%，无合同违法行为，经公示认定为守合同重信用企业。",)),
    ListSpec(
        "red-integrity-model", "诚信典型红名单", R, "civilization", "zj-wmb",
        "经县级以上人民政府或其部门评选表彰、事迹经公示无异议的诚实守信典型。",
        "《国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见》"
        "（国发〔2016〕33号）第（五）条", 3, YEARS, ANYONE,
        ("诚实守信、履约践诺事迹突出，获评{year}年度“浙江省诚信示范{title}”。",
         "在{county}抗台救灾中主动履行承诺，获评{year}年度“诚信之星”。")),
    ListSpec(
        "red-labour", "劳动保障守法诚信示范单位名单", R, "labour", "zj-rlsb",
        "连续三年无劳动保障违法行为、按时足额支付工资和缴纳社会保险费的用人单位。",
        f"{ZJ_CREDIT_ACT}第十一条；《企业劳动保障守法诚信等级评价办法》", 2, YEARS, (LP,),
        ("连续{n}年按时足额发放工资、缴纳社会保险费，劳动保障守法诚信等级评为A级。",)),
    ListSpec(
        "red-construction", "建筑市场诚信示范企业名单", R, "construction", "zj-jst",
        "建筑市场信用评价得分位列全省前5%且近三年无质量安全事故的建筑业企业。",
        "《建筑市场信用管理暂行办法》（建市〔2017〕241号）", 2, YEARS, (LP,),
        ("{year}年度建筑市场信用评价得分{score}分，承建项目获评省优质工程“钱江杯”。",)),
    ListSpec(
        "black-court-defaulter", "失信被执行人名单", B, "judicial_enforcement", "zj-fy",
        "被执行人有履行能力而拒不履行生效法律文书确定义务等情形之一的。",
        "《中华人民共和国民事诉讼法》第二百六十六条；"
        "《最高人民法院关于公布失信被执行人名单信息的若干规定》第一条、第二条", 2, YEARS, ANYONE,
        ("有履行能力而拒不履行（{year}）浙{court}民初{n}号民事判决书确定的给付义务，"
         "执行标的{amount}万元。",
         "以虚假诉讼、虚假仲裁或者隐匿、转移财产等方法规避执行，执行标的{amount}万元。"),
        objection_suspends=False),
    ListSpec(
        "black-tax", "重大税收违法失信主体名单", B, "tax", "zj-sw",
        "偷税数额100万元以上且占应纳税额10%以上等重大税收违法失信情形。",
        "《中华人民共和国税收征收管理法》第六十三条；"
        "《重大税收违法失信主体信息公布管理办法》（国家税务总局令第54号）第六条", 3, YEARS,
        TRADERS,
        ("经查，{year}年采取虚假申报手段少缴税款{amount}万元，占同期应纳税额{pct}%。",
         "{year}年虚开增值税专用发票{n}份，价税合计{amount}万元。"),
        monitoring_months=12),
    ListSpec(
        "black-food", "食品安全严重违法失信名单", B, "food_drug", "zj-scjg",
        "因食品安全违法行为受到较重行政处罚且性质恶劣、情节严重、社会危害较大的。",
        "《中华人民共和国食品安全法》第一百一十三条；"
        "《市场监督管理严重违法失信名单管理办法》第七条", 3, YEARS, TRADERS,
        ("{year}年生产经营添加非食品原料的食品，货值金额{amount}万元，被吊销许可证。",),
        monitoring_months=12),
    ListSpec(
        "black-drug", "药品安全严重失信主体名单", B, "food_drug", "zj-yjj",
        "生产、销售假药劣药情节严重等特别严重的违法失信行为。",
        f"《中华人民共和国药品管理法》第一百一十八条；{GUOBAN_2020_49}", 3, YEARS, ORGS,
        ("{year}年销售假药，货值金额{amount}万元，情节特别严重。",), repairable=False),
    ListSpec(
        "black-ecology", "生态环境严重失信主体名单", B, "ecology", "zj-sthj",
        "通过暗管、渗井等逃避监管的方式排放污染物或者篡改、伪造监测数据的。",
        f"《中华人民共和国环境保护法》第六十三条；{GUOBAN_2020_49}", 3, YEARS, ORGS,
        ("{year}年通过暗管向{county}河道排放含重金属废水{n}吨，监测数据超标{pct}倍。",)),
    ListSpec(
        "black-work-safety", "安全生产严重失信主体名单", B, "work_safety", "zj-yjgl",
        "发生较大及以上生产安全责任事故或一年内累计发生死亡责任事故3起以上的。",
        "《中华人民共和国安全生产法》第七十八条；"
        "《安全生产严重失信主体名单管理办法》第五条", 3, YEARS, ORGS,
        ("{year}年在{county}发生一起生产安全责任事故，造成{deaths}人死亡，负有主要责任。",),
        monitoring_months=12),
    ListSpec(
        "black-fire", "消防安全领域严重失信主体名单", B, "fire_safety", "zj-xfjy",
        "发生造成人员死亡的火灾事故且负有责任，或拒不整改重大火灾隐患的。",
        f"《中华人民共和国消防法》第六十条；{GUOBAN_2020_49}", 3, YEARS, TRADERS,
        ("{year}年经营场所发生火灾致{deaths}人死亡，经调查负有责任。",
         "被责令限期改正重大火灾隐患逾期{n}日拒不整改。")),
    ListSpec(
        "black-construction", "建筑市场主体严重失信名单", B, "construction", "zj-jst",
        "发生重大及以上工程质量安全责任事故或存在转包、违法分包情节严重的。",
        "《中华人民共和国建筑法》第七十四条；《建筑市场信用管理暂行办法》第十四条", 3, YEARS,
        ORGS,
        ("{year}年承建的{county}某住宅项目发生工程质量责任事故，直接经济损失{amount}万元。",)),
    ListSpec(
        "black-market", "市场监督管理严重违法失信名单", B, "market_order", "zj-scjg",
        "实施严重破坏市场公平竞争秩序和社会正常秩序违法行为且受到较重行政处罚的。",
        "《市场监督管理严重违法失信名单管理办法》（国家市场监督管理总局令第44号）第二条", 3,
        YEARS, TRADERS,
        ("{year}年组织虚假交易、刷单炒信，违法所得{amount}万元。",
         "{year}年因侵犯注册商标专用权被处罚款{amount}万元，五年内第{n}次。"),
        monitoring_months=12),
    ListSpec(
        "black-labour", "拖欠农民工工资失信联合惩戒对象名单", B, "labour", "zj-rlsb",
        "克扣、无故拖欠农民工工资达到认定拒不支付劳动报酬罪数额标准的。",
        "《保障农民工工资支付条例》第四十八条；"
        "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》第五条", 3, YEARS, ORGS,
        ("拖欠{n}名农民工工资共计{amount}万元，经责令限期支付后逾期未支付。",)),
    ListSpec(
        "black-procurement", "政府采购严重违法失信行为记录名单", B, "government_procurement",
        "zj-czt", "提供虚假材料谋取中标、成交或与采购人、其他供应商恶意串通的。",
        "《中华人民共和国政府采购法》第七十七条；《中华人民共和国政府采购法实施条例》第十九条",
        3, YEARS, ORGS, ("在{county}{year}年某政府采购项目中提供虚假业绩材料谋取中标。",)),
    ListSpec(
        "black-defence", "拒服兵役人员名单", B, "national_defence", "zj-gfdy",
        "经兵役机关批准服现役后拒绝服兵役、逃避服兵役，经教育仍坚持拒服的。",
        "《中华人民共和国兵役法》第五十七条；《征兵工作条例》第五十八条", 2, YEARS, (NP,),
        ("{year}年经批准入伍后以怕苦怕累为由拒服兵役，经教育仍不改正。",), repairable=False),
    ListSpec(
        "ka-food-drug", "食品药品安全重点关注名单", K, "food_drug", "zj-scjg",
        "一年内因食品药品违法行为受到两次以上行政处罚、尚未达到严重失信标准的。",
        f"{ZJ_CREDIT_ACT}第十四条；{GUOBAN_2020_49}", 1, YEARS, TRADERS,
        ("一年内因经营超过保质期食品被处罚{n}次。",), publicity_workdays=10),
    ListSpec(
        "ka-ecology", "生态环境重点关注名单", K, "ecology", "zj-sthj",
        "因超标排放受到行政处罚且未按期完成整改的。", f"{ZJ_CREDIT_ACT}第十四条", 1, YEARS, ORGS,
        ("{year}年废气排放超标{pct}%，未按期完成整改。",), publicity_workdays=10),
    ListSpec(
        "ka-work-safety", "安全生产重点关注名单", K, "work_safety", "zj-yjgl",
        "发生一般生产安全责任事故或存在重大事故隐患未及时整改的。",
        "《安全生产严重失信主体名单管理办法》第十一条", 1, YEARS, ORGS,
        ("{year}年存在重大事故隐患{n}项，未在期限内完成整改。",), publicity_workdays=10),
    ListSpec(
        "ka-tax", "税收违法重点关注名单", K, "tax", "zj-sw",
        "存在欠税、非正常户等较重失信情形但未达到重大税收违法标准的。",
        "《纳税信用管理办法》第二十条", 1, YEARS, TRADERS,
        ("欠缴税款{amount}万元，经催缴后逾期{n}日未缴纳。",), publicity_workdays=10),
    ListSpec(
        "ka-market", "市场监管重点关注名单", K, "market_order", "zj-scjg",
        "被列入经营异常名录满一年或一年内多次发生轻微违法行为的。",
        f"《企业信息公示暂行条例》第十七条；{ZJ_CREDIT_ACT}第十四条", 1, YEARS, TRADERS,
        ("通过登记的住所无法联系，被列入经营异常名录已满{n}个月。",), publicity_workdays=10),
    # The platform keeps these two itself (listings.tick): no publicity, no signature.
    ListSpec(
        "big-data-warning", "大数据警示名单", ListKind.BIG_DATA_WARNING, "social_credit",
        "zj-fgw", "在3个以上不同的重点领域被列入重点关注名单的主体，条件消失时移出。",
        f"{FAGAI_2018_87}第四条", None, YEARS, TRADERS, (), publicity_workdays=0),
    *(ListSpec(
        code, name, ListKind.KEY_MONITORING, domain, department,
        "移出严重失信主体名单的主体，在认定部门确定的监测期内实施重点监测。",
        f"{GUOBAN_2020_49}；{YILI_2019}第二十一条", 12, MONTHS, ANYONE, (), publicity_workdays=0,
    ) for code, name, domain, department in (
        ("monitoring-tax", "重大税收违法失信主体移出后重点监测名单", "tax", "zj-sw"),
        ("monitoring-market", "市场监管领域严重失信主体移出后重点监测名单", "market_order",
         "zj-scjg"),
        ("monitoring-work-safety", "安全生产严重失信主体移出后重点监测名单", "work_safety",
         "zj-yjgl"),
    )),
)  # fmt: skip

LIST_BY_CODE = {spec.code: spec for spec in LISTS}


def load_lists(
    domains: dict[str, Domain], departments: dict[str, Department]
) -> dict[str, ListDefinition]:
    """The demo's lists, found by code and brought up to date. A list whose objection-suspension
    setting this changes (an officer changed it since, and ``--reset`` puts it back) is changed
    as the admin changes it (``listings.suspension``): its entries under objection that
    remain, of subjects the reset kept, get their event and the change feed tells it (R6, R11)."""
    settings = dict(ListDefinition.objects.values_list("code", "objection_suspends_measures"))
    lists = {}
    for spec in LISTS:
        changes_suspension = settings.get(spec.code, spec.objection_suspends) != (
            spec.objection_suspends
        )
        if changes_suspension:
            suspension.before_the_change()
        lists[spec.code], _ = ListDefinition.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "kind": spec.kind,
                "domain": domains[spec.domain],
                "recognizing_department": departments[spec.department],
                "criteria": spec.criteria,
                "legal_basis": spec.legal_basis,
                "validity_value": spec.validity,
                "validity_unit": spec.unit,
                "publicity_workdays": spec.publicity_workdays,
                "repairable": spec.repairable,
                "objection_suspends_measures": spec.objection_suspends,
                "monitoring_months": spec.monitoring_months,
            },
        )
        if changes_suspension:
            suspension.record_setting_changed(lists[spec.code], actor=SYSTEM_ACTOR)
    return lists
