"""Reference data for the demo: regions, domains, departments and business scenarios.

Loading is idempotent: every row is found by its code and brought up to date, so running the
demo again (or after an officer edited a row) never duplicates reference data.
"""

from __future__ import annotations

from dataclasses import dataclass

from xinyong.demo.regions import CITIES, PROVINCE_CODE, PROVINCE_NAME
from xinyong.measures.models import Scenario
from xinyong.subjects.models import Department, DishonestyCategory, Domain, Region

LIFE = DishonestyCategory.LIFE_AND_HEALTH
MARKET = DishonestyCategory.MARKET_ORDER
OBLIGATIONS = DishonestyCategory.LEGAL_OBLIGATIONS
DEFENCE = DishonestyCategory.NATIONAL_DEFENCE

# (code, name, serious-dishonesty category or None, key domain). Black lists only exist in
# domains of the four categories (000 §三); the last two domains have red or derived lists only.
DOMAINS: tuple[tuple[str, str, int | None, bool], ...] = (
    ("food_drug", "食品药品安全", LIFE, True),
    ("ecology", "生态环境", LIFE, True),
    ("construction", "工程质量安全", LIFE, True),
    ("work_safety", "安全生产", LIFE, True),
    ("fire_safety", "消防安全", LIFE, True),
    ("tax", "税收征管", MARKET, True),
    ("market_order", "市场秩序", MARKET, True),
    ("intellectual_property", "知识产权", MARKET, True),
    ("labour", "劳动保障", MARKET, True),
    ("transport", "交通运输", MARKET, True),
    ("government_procurement", "政府采购", MARKET, False),
    ("bidding", "招标投标", MARKET, False),
    ("judicial_enforcement", "司法执行", OBLIGATIONS, True),
    ("national_defence", "国防义务", DEFENCE, False),
    ("civilization", "精神文明建设", None, False),
    ("social_credit", "社会信用综合监管", None, False),
)


@dataclass(frozen=True)
class DepartmentSpec:
    code: str
    name: str
    abbr: str  # prefix of its document numbers: 浙市监处罚〔2026〕12号
    level: str
    region: str
    domains: tuple[str, ...] = ()
    credit_office: bool = False
    recognizing: bool = False
    implementing: bool = False


def _province(code: str, name: str, abbr: str, roles: str, *domains: str) -> DepartmentSpec:
    """A provincial department; ``roles`` holds C (credit office), R (recognizing), I."""
    return DepartmentSpec(code, name, abbr, Department.Level.PROVINCE, PROVINCE_CODE, domains,
                          "C" in roles, "R" in roles, "I" in roles)  # fmt: skip


DEPARTMENTS: tuple[DepartmentSpec, ...] = (
    _province("zj-fgw", "浙江省发展和改革委员会（省信用办）", "浙发改", "CRI", "social_credit"),
    _province("zj-scjg", "浙江省市场监督管理局", "浙市监", "RI",
              "market_order", "food_drug", "intellectual_property"),
    _province("zj-yjj", "浙江省药品监督管理局", "浙药监", "RI", "food_drug"),
    _province("zj-sw", "国家税务总局浙江省税务局", "浙税", "RI", "tax"),
    _province("zj-sthj", "浙江省生态环境厅", "浙环", "RI", "ecology"),
    _province("zj-jst", "浙江省住房和城乡建设厅", "浙建", "RI", "construction"),
    _province("zj-yjgl", "浙江省应急管理厅", "浙应急", "RI", "work_safety"),
    _province("zj-xfjy", "浙江省消防救援总队", "浙消", "RI", "fire_safety"),
    _province("zj-fy", "浙江省高级人民法院", "浙", "RI", "judicial_enforcement"),
    _province("zj-rlsb", "浙江省人力资源和社会保障厅", "浙人社", "RI", "labour"),
    _province("zj-jtys", "浙江省交通运输厅", "浙交", "RI", "transport"),
    _province("zj-gfdy", "浙江省国防动员办公室", "浙国动", "RI", "national_defence"),
    _province("zj-tyjr", "浙江省退役军人事务厅", "浙退役军人", "I", "national_defence"),
    _province("zj-czt", "浙江省财政厅", "浙财", "RI", "government_procurement"),
    _province("zj-ggzy", "浙江省公共资源交易中心", "浙公资", "I", "bidding"),
    _province("zj-rmyh", "中国人民银行浙江省分行", "银浙", "I"),
    _province("zj-jrjg", "国家金融监督管理总局浙江监管局", "浙金管", "I"),
    _province("zj-wmb", "浙江省精神文明建设委员会办公室", "浙文明办", "RI", "civilization"),
    _province("zj-mzt", "浙江省民政厅", "浙民", "I"),
    DepartmentSpec("hangzhou-xzsp", "杭州市行政审批服务局", "杭审批", Department.Level.CITY,
                   "330100", implementing=True),
    # Most licences and penalties come from the cities' market supervision bureaus.
    *(DepartmentSpec(f"{city.slug}-scjg", f"{city.name}市场监督管理局", f"{city.abbr}市监",
                     Department.Level.CITY, city.code, ("market_order", "food_drug"),
                     recognizing=True, implementing=True) for city in CITIES),
)  # fmt: skip

DEPARTMENT_BY_CODE = {spec.code: spec for spec in DEPARTMENTS}

# The business scenarios (事项) in which implementing departments check subjects (002 §二十).
SCENARIOS: tuple[tuple[str, str], ...] = (
    ("government_procurement", "政府采购"),
    ("fiscal_funds", "财政性资金安排"),
    ("administrative_approval", "行政审批"),
    ("honours", "评优评先"),
    ("financing", "融资授信"),
    ("public_resource_trading", "公共资源交易"),
    ("high_consumption", "高消费行为"),
    ("market_entry", "市场准入"),
    ("daily_supervision", "日常监管"),
    ("public_office", "担任法定代表人及董事、监事、高级管理人员"),
)


def load_regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    regions[PROVINCE_CODE], _ = Region.objects.update_or_create(
        code=PROVINCE_CODE,
        defaults={"name": PROVINCE_NAME, "level": Region.Level.PROVINCE, "parent": None},
    )
    for city in CITIES:
        parent, _ = Region.objects.update_or_create(
            code=city.code,
            defaults={
                "name": city.name,
                "level": Region.Level.CITY,
                "parent": regions[PROVINCE_CODE],
            },
        )
        regions[city.code] = parent
        for code, name in city.counties:
            regions[code], _ = Region.objects.update_or_create(
                code=code, defaults={"name": name, "level": Region.Level.COUNTY, "parent": parent}
            )
    return regions


def load_domains() -> dict[str, Domain]:
    domains = {}
    for code, name, category, key in DOMAINS:
        domains[code], _ = Domain.objects.update_or_create(
            code=code,
            defaults={"name": name, "dishonesty_category": category, "is_key_domain": key},
        )
    return domains


def load_departments(
    regions: dict[str, Region], domains: dict[str, Domain]
) -> dict[str, Department]:
    departments = {}
    for spec in DEPARTMENTS:
        department, _ = Department.objects.update_or_create(
            code=spec.code,
            defaults={
                "name": spec.name,
                "level": spec.level,
                "region": regions[spec.region],
                "is_credit_office": spec.credit_office,
                "is_recognizing": spec.recognizing,
                "is_implementing": spec.implementing,
            },
        )
        department.domains.set([domains[code] for code in spec.domains])
        departments[spec.code] = department
    return departments


def load_scenarios() -> dict[str, Scenario]:
    scenarios = {}
    for code, name in SCENARIOS:
        scenarios[code], _ = Scenario.objects.update_or_create(code=code, defaults={"name": name})
    return scenarios
