"""Synthetic organisation names, and the labelled variant set built from them.

``NameGenerator`` draws plausible registered names (行政区划 + 字号 + 行业 + 组织形式, shops of
individual businesses, partnerships, cooperatives, branches) from a seeded RNG; the name-screening
benchmark uses it for its million background names. Run as a script, this module writes
tests/data/name_variants.csv: queries that are variant spellings of a name (label ``same``) and
hard negatives that only look like it (label ``different``). The CSV is committed data; this
script is how it was made and how to make it again. The rows of a region written inside a name
or a county without its suffix (``region_inside_rows``) come last, drawn from a generator of
their own, so that adding them left the rows before them as they were.

    .venv/bin/python bench/name_variants.py [--seed 20260923] [--out tests/data/name_variants.csv]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import opencc

from xinyong.core.names import normalize_name
from xinyong.core.regions import county_short_form, region_forms
from xinyong.demo.regions import COUNTIES

# Characters of trade names, commonest first: drawn with Zipf-like weights, as real 字号 are.
STEM_CHARS = list(dict.fromkeys(
    "华鑫恒泰源盛达信德宏兴丰瑞通诚天海金永安康祥和正明辉卓越汇顺佳美联众宇昌隆旺荣富振"
    "腾飞凯龙鼎力合晟昊润泽宸睿欣悦中亿万豪利家福禄喜乐奥特尔格林森峰山川江河湖泉星月光阳"
    "晨曦春秋雅俊杰英威鹏程远航图伟业东南西北高新科亚欧夏神州九百千一三五方圆同心齐聚成立尚"
    "品优精工匠红蓝绿青紫白银铜铁玉石宝钻晶彩虹云霞雷风雨雪冰火土木水竹梅兰菊桂松柏杨柳桃"
    "李杏茂展望拓启航锐捷迅驰博思维智慧创意灵动传承"
))  # fmt: skip
_CHAR_WEIGHTS = list(itertools.accumulate(1 / (rank + 8) for rank in range(len(STEM_CHARS))))
INDUSTRIES = (
    "科技", "网络科技", "信息技术", "电子商务", "建设工程", "建筑工程", "建材", "贸易", "商贸",
    "进出口", "食品", "餐饮管理", "物流", "供应链管理", "环保科技", "医药", "医疗器械", "化工",
    "机械制造", "机械设备", "纺织", "服饰", "印染", "房地产开发", "物业管理", "劳务",
    "人力资源", "装饰工程", "汽车销售", "汽车服务", "农业开发", "文化传媒", "广告", "新材料",
    "电器", "电子", "五金", "塑料制品", "包装", "检测技术", "生物科技", "智能装备", "眼镜",
    "袜业", "投资管理", "资产管理", "企业管理咨询", "教育科技", "旅游开发", "酒店管理", "家具",
    "陶瓷", "照明", "光电", "新能源", "电力工程", "园林绿化", "市政工程", "安防科技", "软件",
    "数据科技", "健康管理", "茶业", "酒业", "制药", "3D打印", "5G通信", "IT服务", "LED照明",
)  # fmt: skip
LATIN_STEMS = ("ABC", "E家", "UV", "3A", "TCL", "i美", "K8", "V米")
SHOPS = (
    "小吃店", "面馆", "便利店", "水果店", "五金店", "理发店", "服装店", "汽车修理部", "快餐店",
    "烟酒商行", "农家乐", "茶叶店", "家电维修部", "建材经营部", "早餐店", "粮油店",
    "手机维修店", "鞋店", "洗车店", "花店",
)  # fmt: skip
PRODUCE = (
    "茶叶", "水果", "蔬菜", "杨梅", "柑橘", "竹笋", "水产养殖", "生猪养殖", "粮食", "花卉苗木",
    "食用菌", "葡萄",
)  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
ZHEJIANG_CITIES = ("杭州", "宁波", "温州", "嘉兴", "湖州", "绍兴", "金华", "衢州", "舟山", "台州",
                   "丽水")  # fmt: skip
OTHER_REGIONS = (
    "浙江", "上海", "北京", "江苏", "南京", "苏州", "广东", "广州", "深圳", "福建", "厦门", "山东",
    "青岛", "安徽", "合肥", "湖北", "武汉", "四川", "成都",
)  # fmt: skip
COMPANY_FORMS = ("有限公司",) * 13 + ("有限责任公司",) * 3 + ("股份有限公司",) * 2


@dataclass(frozen=True)
class Company:
    """A company name in its parts, so that variants of it can be written."""

    region: str
    stem: str
    industry: str
    form: str
    bracketed: bool = False  # 恒泰（杭州）科技有限公司 rather than 杭州恒泰科技有限公司
    branch: str = ""  # e.g. 宁波分公司

    @property
    def name(self) -> str:
        if self.bracketed:
            head = f"{self.stem}（{self.region}）{self.industry}{self.form}"
        else:
            head = f"{self.region}{self.stem}{self.industry}{self.form}"
        return head + self.branch


class NameGenerator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def stem(self) -> str:
        if self.rng.random() < 0.02:
            return self.rng.choice(LATIN_STEMS)
        size = 3 if self.rng.random() < 0.2 else 2
        return "".join(self.rng.choices(STEM_CHARS, cum_weights=_CHAR_WEIGHTS, k=size))

    def region(self) -> str:
        rng = self.rng
        return rng.choice(ZHEJIANG_CITIES) if rng.random() < 0.7 else rng.choice(OTHER_REGIONS)

    def company(self) -> Company:
        rng = self.rng
        return Company(
            region=self.region(),
            stem=self.stem(),
            industry=rng.choice(INDUSTRIES),
            form=rng.choice(COMPANY_FORMS),
            bracketed=rng.random() < 0.06,
            branch=f"{rng.choice(ZHEJIANG_CITIES)}分公司" if rng.random() < 0.04 else "",
        )

    def name(self) -> str:
        """Any kind of organisation, in the proportions a credit platform sees."""
        rng = self.rng
        draw = rng.random()
        if draw < 0.8:
            return self.company().name
        county = rng.choice(COUNTIES)
        if draw < 0.9:  # an individual business's shop
            if rng.random() < 0.5:
                return f"{county.full_name}{rng.choice(SURNAMES)}记{rng.choice(SHOPS)}"
            return f"{county.city.short}{self.stem()}{rng.choice(SHOPS)}"
        if draw < 0.95:
            return f"{county.city.short}{self.stem()}{rng.choice(PRODUCE)}专业合作社"
        kind = "合伙企业（有限合伙）" if rng.random() < 0.6 else "个人独资企业"
        return f"{county.city.short}{self.stem()}{rng.choice(INDUSTRIES)}{kind}"


def generate_names(count: int, seed: int) -> Iterator[str]:
    """``count`` distinct names, the same for the same seed."""
    generator = NameGenerator(random.Random(seed))
    seen: set[str] = set()
    while len(seen) < count:
        name = generator.name()
        if name not in seen:
            seen.add(name)
            yield name


# Variant spellings of one name: each must normalise to the same key (checked when written).
_S2T = opencc.OpenCC("s2t")
_FULL_WIDTH = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def traditional(c: Company, rng: random.Random) -> str:
    return _S2T.convert(c.name)


def full_width(c: Company, rng: random.Random) -> str:
    spaced = f"{c.region}\u3000{c.name[len(c.region) :]}" if not c.bracketed else c.name
    return spaced.replace("（", "(").replace("）", ")").translate(_FULL_WIDTH)


def moved_region(c: Company, rng: random.Random) -> str:
    moved = replace(c, bracketed=not c.bracketed).name
    return moved.replace("（", "(").replace("）", ")") if rng.random() < 0.4 else moved


def respelled_form(c: Company, rng: random.Random) -> str:
    other = {"有限公司": "有限责任公司", "有限责任公司": "有限公司"}.get(c.form, c.form)
    return replace(c, form=other).name


def punctuated(c: Company, rng: random.Random) -> str:
    name = c.name
    at = rng.randrange(1, len(name))
    return rng.choice(("  {} ", "“{}”", "{}。", "{}.")).format(
        name[:at] + rng.choice((" ", "·", "-", " ")) + name[at:]
    )


def full_region(c: Company, rng: random.Random) -> str:
    full = [f for f, short in region_forms().items() if short == c.region and f != c.region]
    return replace(c, region=full[0]).name


def mixed(c: Company, rng: random.Random) -> str:
    """繁体, full-width and the region moved, all at once."""
    return _S2T.convert(full_width(replace(c, bracketed=not c.bracketed), rng))


def short_form(c: Company, rng: random.Random) -> str:
    """恒泰科技公司 for 恒泰科技有限公司: not the same key, but a compatible legal form."""
    if c.form == "股份有限公司":  # 公司 might be either form: not a clear case
        return respelled_form(c, rng)
    return replace(c, form="公司").name


def with_province(c: Company, rng: random.Random) -> str:
    """浙江杭州恒泰… for 杭州恒泰…: the region written more fully."""
    if c.region not in ZHEJIANG_CITIES:
        return full_region(c, rng)
    return "浙江" + c.name if not c.bracketed else "浙江省" + c.name


SAME: tuple[Callable[[Company, random.Random], str], ...] = (
    traditional, full_width, moved_region, respelled_form, punctuated, full_region, mixed,
    short_form, with_province,
)  # fmt: skip


# Hard negatives: another subject whose name looks like this one's.
def similar_stem(c: Company, rng: random.Random) -> str:
    at = rng.randrange(len(c.stem))
    other = rng.choice([ch for ch in STEM_CHARS[:60] if ch != c.stem[at]])
    return replace(c, stem=c.stem[:at] + other + c.stem[at + 1 :]).name


def other_industry(c: Company, rng: random.Random) -> str:
    near = [i for i in INDUSTRIES if i != c.industry and (i in c.industry or c.industry in i)]
    return replace(c, industry=rng.choice(near or [i for i in INDUSTRIES if i != c.industry])).name


def other_region(c: Company, rng: random.Random) -> str:
    return replace(c, region=rng.choice([r for r in ZHEJIANG_CITIES if r != c.region])).name


def branch_of_it(c: Company, rng: random.Random) -> str:
    if c.branch:  # the head office of a branch, or another branch of it
        if rng.random() < 0.5:
            return replace(c, branch="").name
        other = rng.choice([r for r in ZHEJIANG_CITIES if r not in c.branch])
        return replace(c, branch=f"{other}分公司").name
    return replace(c, branch=f"{rng.choice(ZHEJIANG_CITIES)}分公司").name


def other_form(c: Company, rng: random.Random) -> str:
    return replace(c, form="股份有限公司" if c.form != "股份有限公司" else "有限公司").name


def partnership(c: Company, rng: random.Random) -> str:
    return f"{c.region}{c.stem}{c.industry}合伙企业（有限合伙）"


DIFFERENT = (similar_stem, other_industry, other_region, branch_of_it, other_form, partnership)


def labelled_rows(seed: int, bases: int = 130) -> list[tuple[str, str, str]]:
    """(query, expected_name, label): two variant spellings and one hard negative per base."""
    rng = random.Random(seed)
    generator = NameGenerator(rng)
    rows: list[tuple[str, str, str]] = []
    used: set[str] = set()
    while len(rows) < bases * 3:
        company = generator.company()
        expected = company.name
        if expected in used:
            continue
        used.add(expected)
        key = normalize_name(expected).key
        for make in rng.sample(SAME, 2):
            query = make(company, rng)
            if make is traditional and query == expected:  # nothing to convert: use another
                query = mixed(company, rng)
            if make not in (short_form, with_province):
                assert normalize_name(query).key == key, (query, expected)
            rows.append((query, expected, "same"))
        query = rng.choice(DIFFERENT)(company, rng)
        assert normalize_name(query).key != key, (query, expected)
        rows.append((query, expected, "different"))
    rows.extend(_shop_rows(rng))
    return rows


def _shop_rows(rng: random.Random) -> list[tuple[str, str, str]]:
    """Individual businesses: the same shop written in 繁体, and the same shop name elsewhere."""
    rows = []
    for county, other in zip(rng.sample(COUNTIES, 12), rng.sample(COUNTIES, 12), strict=True):
        shop = f"{rng.choice(SURNAMES)}记{rng.choice(SHOPS)}"
        expected = f"{county.full_name}{shop}"
        rows.append((_S2T.convert(f"{county.full_name} {shop}"), expected, "same"))
        if other != county:
            rows.append((f"{other.full_name}{shop}", expected, "different"))
    return rows


# Written by hand from well-known registered names: 繁体 from Hong Kong and Taiwan, branches of a
# bank, and namesakes of one group. 北京小米科技有限责任公司 is labelled the same subject though the
# index scores a region found in one name only below the threshold: a person should confirm it.
HANDWRITTEN = (
    ("臺灣積體電路製造股份有限公司", "台湾积体电路制造股份有限公司", "same"),
    ("香港上海滙豐銀行有限公司", "香港上海汇丰银行有限公司", "same"),
    ("騰訊科技（深圳）有限公司", "腾讯科技（深圳）有限公司", "same"),
    ("深圳腾讯科技有限公司", "腾讯科技（深圳）有限公司", "same"),
    ("ＴＣＬ科技集团股份有限公司", "TCL科技集团股份有限公司", "same"),
    ("小米科技有限公司", "小米科技有限责任公司", "same"),
    ("北京小米科技有限责任公司", "小米科技有限责任公司", "same"),
    ("阿里巴巴（中國）網絡技術有限公司", "阿里巴巴（中国）网络技术有限公司", "same"),
    ("中国工商银行股份有限公司 杭州分行", "中国工商银行股份有限公司杭州分行", "same"),
    ("浙江吉利控股集團有限責任公司", "浙江吉利控股集团有限公司", "same"),
    ("中国工商银行股份有限公司杭州分行", "中国工商银行股份有限公司", "different"),
    ("中国工商银行股份有限公司杭州西湖支行", "中国工商银行股份有限公司杭州分行", "different"),
    ("华为终端有限公司", "华为技术有限公司", "different"),
    ("深圳市腾讯计算机系统有限公司", "腾讯科技（深圳）有限公司", "different"),
    ("腾讯科技（北京）有限公司", "腾讯科技（深圳）有限公司", "different"),
    ("阿里巴巴（中国）有限公司", "阿里巴巴（中国）网络技术有限公司", "different"),
    ("浙江吉利汽车有限公司", "浙江吉利控股集团有限公司", "different"),
    ("TCL实业控股股份有限公司", "TCL科技集团股份有限公司", "different"),
    ("小米通讯技术有限公司", "小米科技有限责任公司", "different"),
    ("杭州娃哈哈宏振包装有限公司", "杭州娃哈哈集团有限公司", "different"),
)


# A region written inside a name, or a county written without 县 (issue 4 item 3): the same
# subject as registered, and another company that shares only its county's short name.
def region_inside_rows(seed: int, bases: int = 24) -> list[tuple[str, str, str]]:
    """(query, expected_name, label): per base, two spellings of a company with its region
    inside the name or its county short, and one hard negative."""
    rng = random.Random(seed)
    generator = NameGenerator(rng)
    counties = [county.name for county in COUNTIES if county.name.endswith("县")]
    rows: list[tuple[str, str, str]] = []
    for number in range(bases):
        company = generator.company()
        if number % 2:  # a county company, as registered: 桐庐县鑫飞诚电器有限公司
            county = rng.choice(counties)
            short, company = county_short_form(county), replace(company, region=county)
            company = replace(company, bracketed=False, branch="")
            spellings = (
                f"{short}{company.stem}{company.industry}{company.form}",
                f"{company.stem}（{short}）{company.industry}{company.form}",
                f"{company.stem}{short}{company.industry}{company.form}",
            )
            other = similar_stem(company, rng)[len(county) :]
            negative = f"{short}{other}"  # another company, the same county's short name
        else:  # a city's: 宁波通昌众建材有限公司
            company = replace(company, branch="")
            region = company.region
            full = next(f for f, r in region_forms().items() if r == region and f != region)
            spellings = (
                f"{company.stem}{region}{company.industry}{company.form}",
                f"{company.stem}{company.industry}{region}{company.form}",
                f"{company.stem}{full}{company.industry}{company.form}",  # 宁波市 or 浙江省
            )
            elsewhere = rng.choice([r for r in ZHEJIANG_CITIES if r != region])
            negative = f"{company.stem}{elsewhere}{company.industry}{company.form}"
        for query in rng.sample(spellings, 2):
            rows.append((query, company.name, "same"))
        rows.append((negative, company.name, "different"))
    return [*rows, *REGION_INSIDE_HANDWRITTEN]


# The reviewer's cases, and brands that share a district's short name.
REGION_INSIDE_HANDWRITTEN = (
    ("通昌众宁波建材有限公司", "宁波通昌众建材有限公司", "same"),
    ("通昌众建材宁波有限公司", "宁波通昌众建材有限公司", "same"),
    ("腾讯科技深圳有限公司", "腾讯科技（深圳）有限公司", "same"),
    ("阿里巴巴中国网络技术有限公司", "阿里巴巴（中国）网络技术有限公司", "same"),
    ("桐庐鑫飞诚电器有限公司", "桐庐县鑫飞诚电器有限公司", "same"),
    ("鑫飞诚电器（桐庐）有限公司", "桐庐县鑫飞诚电器有限公司", "same"),
    ("长兴力鼎供应链管理有限公司", "长兴县力鼎供应链管理有限公司", "same"),
    ("嵊泗诚远科技有限公司", "嵊泗县诚远科技有限公司", "same"),
    ("景宁佳悦科技有限公司", "景宁畲族自治县佳悦科技有限公司", "same"),
    ("佳悦科技（景宁）有限公司", "景宁畲族自治县佳悦科技有限公司", "same"),
    ("桐庐鑫达电器有限公司", "桐庐县鑫飞诚电器有限公司", "different"),
    ("淳安鑫飞诚电器有限公司", "桐庐县鑫飞诚电器有限公司", "different"),
    ("和平恒泰科技有限公司", "和平县恒达科技有限公司", "different"),
    ("福田恒达汽车服务有限公司", "深圳市福田区恒泰汽车服务有限公司", "different"),
    ("福田汽车服务有限公司", "深圳市福田区汽车服务有限公司", "different"),
    ("南山铝业股份有限公司", "深圳市南山区铝业股份有限公司", "different"),
    # A brand written like a district's short form, the same city on both sides or none: only
    # the short form tells the names apart, where a city on one side only cost them 3 points.
    ("深圳市光明乳业有限公司", "深圳市光明区乳业有限公司", "different"),
    ("深圳市福田汽车销售有限公司", "深圳市福田区汽车销售有限公司", "different"),
    ("深圳市南山铝业有限公司", "深圳市南山区铝业有限公司", "different"),
    ("西安市长安汽车销售有限公司", "西安市长安区汽车销售有限公司", "different"),
    ("沈阳市和平医药有限公司", "沈阳市和平区医药有限公司", "different"),
    ("红旗机械有限公司", "红旗区机械有限公司", "different"),
    ("东风汽车销售有限公司", "东风区汽车销售有限公司", "different"),
    ("新华书店有限公司", "新华区书店有限公司", "different"),
    ("平安保险代理有限公司", "平安区保险代理有限公司", "different"),
    ("福田汽车服务有限公司", "福田区汽车服务有限公司", "different"),
    # A company registered in one city that writes another's name inside its own.
    ("上海建工宁波建设有限公司", "宁波建工建设有限公司", "different"),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20260923)
    default_out = Path(__file__).resolve().parents[1] / "tests" / "data" / "name_variants.csv"
    parser.add_argument("--out", type=Path, default=default_out)
    args = parser.parse_args()
    rows = [*labelled_rows(args.seed), *HANDWRITTEN, *region_inside_rows(args.seed + 1)]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("query", "expected_name", "label"))
        writer.writerows(rows)
    same = sum(1 for row in rows if row[2] == "same")
    print(f"{len(rows)} rows ({same} same, {len(rows) - same} different) → {args.out}")


if __name__ == "__main__":
    main()
