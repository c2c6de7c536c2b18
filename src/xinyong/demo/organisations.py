"""Synthetic organisations: plausible Chinese names and USCCs that pass GB 32100-2015.

The USCC is registering authority + organisation type + division code (positions 3–8) +
organisation code with its GB 11714 check (9–17) + the GB 32100 check character (18).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from xinyong.core.identifiers import organization_code_check_character, uscc_check_character
from xinyong.demo.regions import PROVINCE_NAME, County
from xinyong.subjects.models import SubjectKind

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

STEMS = (
    "恒泰瑞丰鑫华盛宏达兴源诚信德远博创新嘉锦天海金永安康祥和正明辉卓越汇通顺佳美联众"
    "宇昌隆旺荣富贵振腾飞凯龙鼎力合晟昊润泽宸睿欣悦"
)
INDUSTRIES = (
    "科技", "网络科技", "电子商务", "建设工程", "建材", "贸易", "进出口", "食品", "餐饮管理",
    "物流", "环保科技", "医药", "化工", "机械制造", "纺织", "服饰", "印染", "房地产开发",
    "物业管理", "劳务", "装饰工程", "汽车销售", "农业开发", "文化传媒", "供应链管理", "新材料",
    "电器", "五金", "塑料制品", "包装", "检测技术", "生物科技", "智能装备", "眼镜", "袜业",
)  # fmt: skip
COMPANY_FORMS = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
SHOPS = (
    "小吃店", "面馆", "便利店", "水果店", "五金店", "理发店", "服装店", "副食品店", "汽车修理部",
    "快餐店", "烟酒商行", "农家乐", "茶叶店", "家电维修部", "建材经营部", "日用品商行", "早餐店",
    "羊肉馆", "粮油店", "手机维修店", "鞋店", "洗车店", "花店", "文具店",
)  # fmt: skip
PRODUCE = (
    "茶叶", "水果", "蔬菜", "杨梅", "柑橘", "蜜梨", "竹笋", "水产养殖", "生猪养殖", "粮食",
    "花卉苗木", "食用菌", "葡萄", "蓝莓",
)  # fmt: skip
ASSOCIATIONS = ("餐饮行业协会", "个体劳动者协会", "建筑业协会", "电子商务协会", "物流协会",
                "温州商会", "青年企业家协会", "慈善总会")  # fmt: skip
NON_PROFITS = ("幼儿园", "职业技能培训学校", "养老服务中心", "社会工作服务中心", "康复中心")


@dataclass(frozen=True)
class Organisation:
    kind: str
    name: str
    identifier: str
    county: County


class OrganisationGenerator:
    """Draws organisations of one subject kind with distinct codes and names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.codes: set[str] = set()
        self.names: set[str] = set()

    def uscc(self, authority_and_type: str, county: County, modern: bool) -> str:
        """A code that passes both check characters; newer registrations carry an MA… body."""
        rng = self.rng
        while True:
            if modern:
                body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _ in range(6))
            else:
                body = f"{rng.randint(0, 99_999_999):08d}"
            first17 = authority_and_type + county.code + body
            first17 += organization_code_check_character(body)
            code = first17 + uscc_check_character(first17)
            if code not in self.codes:
                self.codes.add(code)
                return code

    def stem(self) -> str:
        return self.rng.choice(STEMS) + self.rng.choice(STEMS)

    def unique(self, make) -> str | None:
        """A name not drawn before, or None when this kind of name is used up."""
        for _ in range(6):
            name = make()
            if name not in self.names:
                self.names.add(name)
                return name
        return None

    def company(self, county: County) -> Organisation:
        rng = self.rng

        def make() -> str:
            prefix = PROVINCE_NAME[:2] if rng.random() < 0.08 else county.trade_prefix
            stem = self.stem() + (rng.choice(STEMS) if rng.random() < 0.1 else "")
            return prefix + stem + rng.choice(INDUSTRIES) + rng.choice(COMPANY_FORMS)

        name = self.unique(make) or self.unique(lambda: make().replace("公司", "集团公司"))
        return self._org(SubjectKind.LEGAL_PERSON, name or make(), "91", county)

    def non_company_legal_person(self, county: County) -> Organisation:
        """Cooperatives, social organisations, village collectives (N…) and institutions."""
        rng = self.rng
        draw = rng.random()
        if draw < 0.45:
            make, code = lambda: f"{county.name}{self.stem()}{rng.choice(PRODUCE)}专业合作社", "93"
        elif draw < 0.6:
            make, code = lambda: f"{county.full_name}{rng.choice(ASSOCIATIONS)}", "51"
        elif draw < 0.8:
            make, code = lambda: f"{county.full_name}{self.stem()}{rng.choice(NON_PROFITS)}", "52"
        elif draw < 0.95:
            make, code = lambda: f"{county.full_name}{self.stem()}村股份经济合作社", "N2"
        else:
            make, code = lambda: f"{PROVINCE_NAME}{self.stem()}慈善基金会", "53"
        name = self.unique(make)
        if name is None:  # every association of this county exists already
            return self.company(county)
        return self._org(SubjectKind.LEGAL_PERSON, name, code, county)

    def unincorporated(self, county: County) -> Organisation:
        """Partnerships, sole proprietorships and branches: no legal personality."""
        rng = self.rng

        def make() -> str:
            draw, stem, trade = rng.random(), self.stem(), rng.choice(INDUSTRIES)
            if draw < 0.4:
                return f"{county.trade_prefix}{stem}{trade}合伙企业（有限合伙）"
            if draw < 0.7:
                return f"{county.trade_prefix}{stem}{trade}个人独资企业"
            return f"{PROVINCE_NAME[:2]}{stem}{trade}有限公司{county.city.short}分公司"

        return self._org(SubjectKind.UNINCORPORATED, self.unique(make) or make(), "91", county)

    def individual_business(self, county: County, operator_surname: str) -> Organisation:
        rng = self.rng

        def make() -> str:
            if rng.random() < 0.5:
                return f"{county.full_name}{operator_surname}记{rng.choice(SHOPS)}"
            return f"{county.name}{self.stem()}{rng.choice(SHOPS)}"

        return self._org(SubjectKind.INDIVIDUAL_BUSINESS, self.unique(make) or make(), "92", county)

    def _org(self, kind: str, name: str, authority_and_type: str, county: County) -> Organisation:
        modern = self.rng.random() < 0.7  # most subjects registered after the 2015 code reform
        return Organisation(kind, name, self.uscc(authority_and_type, county, modern), county)


def with_wrong_check_character(code: str, rng: random.Random) -> str:
    """The same code with a different position-18 character: a real-world code that fails."""
    wrong = rng.choice([c for c in USCC_ALPHABET if c != code[-1]])
    return code[:-1] + wrong
