"""Credit records under the catalog: licences and penalties (双公示), honours, evaluations…

Each record rests on a document with a number in the issuing department's style
(``杭市监处罚〔2026〕123号``); the 双公示 content uses the national XK_/CF_ field names (R9).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from xinyong.demo.reference import DEPARTMENT_BY_CODE
from xinyong.demo.regions import County
from xinyong.subjects.models import SubjectKind

NP = SubjectKind.NATURAL_PERSON


@dataclass
class RecordPlan:
    subject: int  # index into the generated subjects
    catalog_item: str
    department: str
    document_number: str
    decision_date: dt.date
    title: str
    content: dict = field(default_factory=dict)
    is_serious: bool = False
    publication_ends_on: dt.date | None = None
    # 双公示 (R9): calendar days from the decision to its collection; most departments send
    # within the 7 working days, some late. None: not a licence or penalty.
    collected_after_days: int | None = None
    tier: str = ""
    publication_min_months: int | None = None
    # A listing decision's record (``entries.EntryPlanner.listing_record``): collected the day
    # the decision took effect, and stopped from the day its entry ended, if it has (R4, R8).
    collected_on: dt.date | None = None
    stopped_on: dt.date | None = None


class DocumentNumbers:
    """Numbers that never repeat within a department, year and document type."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.next: dict[tuple[str, str, int], int] = defaultdict(lambda: rng.randint(1, 60))

    def take(self, prefix: str, word: str, year: int) -> str:
        key = (prefix, word, year)
        number = self.next[key]
        self.next[key] = number + self.rng.randint(1, 3)
        return f"{prefix}{word}〔{year}〕{number}号"

    def court_case(self, county: County, word: str, year: int) -> str:
        """A case number of the county's basic court: （2026）浙0106执1234号."""
        key = (county.code, word, year)
        number = self.next[key]
        self.next[key] = number + self.rng.randint(1, 5)
        return f"（{year}）浙{county.code[2:]}{word}{number}号"


CITY_SCJG = "city-scjg"  # the market supervision bureau of the subject's city

# (department, illegal act, basis, kind of penalty, fine range in 万元 or None)
PENALTIES = (
    (CITY_SCJG, "销售超过保质期的食品", "《中华人民共和国食品安全法》第一百二十四条",
     "警告；罚款", (0.5, 5)),
    (CITY_SCJG, "未按规定公示年度报告", "《企业信息公示暂行条例》第十七条", "警告", None),
    (CITY_SCJG, "发布虚假广告", "《中华人民共和国广告法》第五十五条", "罚款", (1, 60)),
    (CITY_SCJG, "销售侵犯注册商标专用权的商品", "《中华人民共和国商标法》第六十条",
     "没收违法所得；罚款", (0.5, 20)),
    (CITY_SCJG, "虚假宣传", "《中华人民共和国反不正当竞争法》第二十条", "罚款", (2, 100)),
    ("zj-sthj", "超标排放大气污染物", "《中华人民共和国大气污染防治法》第九十九条", "罚款",
     (10, 100)),
    ("zj-sthj", "建设项目环境影响评价文件未批先建", "《中华人民共和国环境影响评价法》第三十一条",
     "罚款", (5, 50)),
    ("zj-yjgl", "未按规定对从业人员进行安全生产教育和培训",
     "《中华人民共和国安全生产法》第九十七条", "罚款", (1, 10)),
    ("zj-xfjy", "消防设施、器材未保持完好有效", "《中华人民共和国消防法》第六十条", "罚款",
     (0.5, 5)),
    ("zj-sw", "未按照规定期限办理纳税申报", "《中华人民共和国税收征收管理法》第六十二条", "罚款",
     (0.02, 1)),
    ("zj-jst", "未按照工程建设强制性标准施工", "《建设工程质量管理条例》第六十四条", "罚款",
     (10, 80)),
    ("zj-rlsb", "未按时足额支付农民工工资", "《保障农民工工资支付条例》第五十四条", "罚款",
     (1, 10)),
    ("zj-jtys", "道路货运车辆超限运输", "《公路安全保护条例》第六十四条", "罚款", (0.1, 3)),
    ("zj-yjj", "经营未取得药品批准证明文件的药品", "《中华人民共和国药品管理法》第一百二十四条",
     "没收；罚款", (5, 100)),
)  # fmt: skip

# (department, licence decision, certificate, number prefix, scope, years valid)
LICENCES = (
    (CITY_SCJG, "食品经营许可决定书", "食品经营许可证", "JY1", "预包装食品销售（含冷藏冷冻）", 5),
    (CITY_SCJG, "食品生产许可决定书", "食品生产许可证", "SC1", "糕点、速冻食品生产", 5),
    ("zj-sthj", "排污许可决定书", "排污许可证", "PW", "废水、废气污染物排放", 5),
    ("zj-jst", "建筑业企业资质许可决定书", "建筑业企业资质证书", "D2", "建筑工程施工总承包二级",
     5),
    ("zj-jtys", "道路运输经营许可决定书", "道路运输经营许可证", "浙交运管许可", "道路普通货物运输",
     4),
    ("zj-yjj", "药品经营许可决定书", "药品经营许可证", "浙CB", "处方药、甲类非处方药零售", 5),
    ("zj-yjgl", "危险化学品经营许可决定书", "危险化学品经营许可证", "浙危化经",
     "危险化学品批发（不带储存）", 3),
)  # fmt: skip


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, the last day of the month when it does not exist."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


class RecordGenerator:
    def __init__(self, rng: random.Random, today: dt.date, numbers: DocumentNumbers) -> None:
        self.rng = rng
        self.today = today
        self.numbers = numbers

    def department(self, code: str, county: County) -> str:
        return f"{county.city.slug}-scjg" if code == CITY_SCJG else code

    def past(self, max_days: int, min_days: int = 1) -> dt.date:
        return self.today - dt.timedelta(days=self.rng.randint(min_days, max_days))

    def for_subject(self, index: int, kind: str, county: County) -> list[RecordPlan]:
        rng, plans = self.rng, []
        if kind == NP:
            if rng.random() < 0.12:
                plans.append(self.plain(index, "qualification", "zj-rlsb", "职资", "职业资格证书"))
            if rng.random() < 0.01:
                plans.append(self.plain(index, "integrity-honour", "zj-wmb", "", "浙江好人"))
            return plans
        for _ in range(
            rng.choice((0, 1, 1, 1, 2) if kind != SubjectKind.INDIVIDUAL_BUSINESS else (0, 1, 1))
        ):
            plans.append(self.licence(index, county))
        draw = rng.random()
        for _ in range(2 if draw < 0.05 else 1 if draw < 0.22 else 0):
            plans.append(self.penalty(index, county))
        extras = (
            (0.03, "integrity-honour", "zj-wmb", "", "浙江省诚信示范企业"),
            (
                0.06,
                "abnormal-operation",
                CITY_SCJG,
                "异",
                "列入经营异常名录（通过登记的住所无法联系）",
            ),
            (0.08, "credit-commitment", "zj-fgw", "诺", "行政许可信用承诺书"),
            (0.015, "social-insurance-payment", "zj-rlsb", "稽", "欠缴社会保险费"),
        )
        if kind != SubjectKind.INDIVIDUAL_BUSINESS:
            extras += (
                (0.08, "tax-credit-rating", "zj-sw", "公告", "纳税信用A级"),
                (0.02, "contract-honour", "zj-scjg", "", "守合同重信用企业"),
                (0.02, "contract-procurement", "zj-czt", "采监", "政府采购合同履约验收合格"),
            )
        for chance, item, department, word, title in extras:
            if rng.random() < chance:
                plans.append(
                    self.plain(index, item, self.department(department, county), word, title)
                )
        return plans

    def plain(self, index: int, item: str, department: str, word: str, title: str) -> RecordPlan:
        day = self.past(3 * 365)
        abbr = DEPARTMENT_BY_CODE[department].abbr
        return RecordPlan(
            index,
            item,
            department,
            self.numbers.take(abbr, word, day.year),
            day,
            title,
            {"XXNR": title, "JDRQ": day.isoformat()},
        )

    def licence(self, index: int, county: County) -> RecordPlan:
        rng = self.rng
        code, decision, certificate, prefix, scope, years = rng.choice(LICENCES)
        department = self.department(code, county)
        day = self.past(8 * 365)
        number = self.numbers.take(DEPARTMENT_BY_CODE[department].abbr, "许", day.year)
        content = {
            "XK_XKWS": decision,
            "XK_WSH": number,
            "XK_XKLB": "普通",
            "XK_XKZS": certificate,
            "XK_XKBH": f"{prefix}{county.code}{rng.randint(0, 99_999_999):08d}",
            "XK_NR": scope,
            "XK_JDRQ": day.isoformat(),
            "XK_YXQZ": day.isoformat(),
            "XK_YXQZI": add_months(day, 12 * years).isoformat(),
            "XK_XKJG": DEPARTMENT_BY_CODE[department].name,
            "XK_ZT": "有效",
        }
        return RecordPlan(
            index,
            "administrative-licence",
            department,
            number,
            day,
            f"{certificate}（{scope}）",
            content,
            collected_after_days=self.collection_delay(),
        )

    def penalty(self, index: int, county: County) -> RecordPlan:
        rng = self.rng
        code, act, basis, kind, fine = rng.choice(PENALTIES)
        department = self.department(code, county)
        day = self.past(3 * 365)
        abbr = DEPARTMENT_BY_CODE[department].abbr
        number = self.numbers.take(abbr, "处罚" if code == CITY_SCJG else "罚", day.year)
        amount = round(rng.uniform(*fine), 2) if fine else 0
        serious = amount >= 50
        # R8: general information is published for up to a year, serious up to three.
        months = 36 if serious else 12 if amount else 3
        content = {
            "CF_WSH": number,
            "CF_WFXW": act,
            "CF_SY": f"经查，当事人存在{act}的违法行为。",
            "CF_YJ": basis,
            "CF_CFLB": kind,
            "CF_NR": f"{kind}{f'{amount}万元' if amount else ''}",
            "CF_NR_FK": amount,
            "CF_JDRQ": day.isoformat(),
            "CF_GSJZQ": add_months(day, months).isoformat(),
            "CF_CFJG": DEPARTMENT_BY_CODE[department].name,
            "CF_SJLY": DEPARTMENT_BY_CODE[department].name,
        }
        return RecordPlan(
            index,
            "administrative-penalty",
            department,
            number,
            day,
            act,
            content,
            serious,
            add_months(day, months),
            collected_after_days=self.collection_delay(),
            tier="serious" if serious else "general",
            publication_min_months=12 if serious else 3,  # R8's minimum per tier
        )

    def collection_delay(self) -> int:
        """Calendar days from a decision to its collection: within a week nine times in ten,
        else up to six weeks late (the timeliness figures have something to show, R9)."""
        rng = self.rng
        return rng.randint(0, 7) if rng.random() < 0.9 else rng.randint(12, 45)
