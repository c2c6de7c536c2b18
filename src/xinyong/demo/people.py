"""Synthetic natural persons: plausible names and citizen IDs that pass GB 11643-1999.

Generated here rather than with a fake-data library, whose Chinese IDs often fail the check.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from xinyong.core.identifiers import citizen_id_check_character
from xinyong.demo.regions import COUNTIES, County

# The most common surnames, roughly in order of frequency; the first ones are drawn more often.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛"
    "郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "慕容")
GIVEN_MALE = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳毅峰建国兴志海成文斌"
    "晨昊然博宏亮东立新永春德洪彬嘉乐天翔锋"
)
GIVEN_FEMALE = (
    "芳娜敏静丽艳娟霞燕玲婷雪慧琳颖倩洁梅琴云莉萍红丹蕾欣怡佳雯璐薇晶悦思涵瑶露蓉秀英"
    "月萱诗雨梦晓彤妍"
)


@dataclass(frozen=True)
class Person:
    name: str
    surname: str
    identifier: str
    birth: dt.date
    county: County


class PersonGenerator:
    """Draws persons aged 18 to 75 on the business date, each with a distinct citizen ID."""

    def __init__(self, rng: random.Random, today: dt.date) -> None:
        self.rng = rng
        self.today = today
        self.seen: set[str] = set()
        self.surname_weights = [1.0 / (rank + 8) for rank in range(len(SURNAMES))]

    def surname(self) -> str:
        if self.rng.random() < 0.005:
            return self.rng.choice(COMPOUND_SURNAMES)
        return self.rng.choices(SURNAMES, weights=self.surname_weights)[0]

    def given_name(self, male: bool) -> str:
        pool = GIVEN_MALE if male else GIVEN_FEMALE
        if self.rng.random() < 0.25:
            return self.rng.choice(pool)
        return self.rng.choice(pool) + self.rng.choice(pool)

    def person(self) -> Person:
        rng = self.rng
        county = rng.choice(COUNTIES)
        earliest = self.today.toordinal() - 75 * 365
        latest = self.today.toordinal() - 18 * 366
        while True:
            birth = dt.date.fromordinal(rng.randint(earliest, latest))
            sequence = rng.randint(1, 999)
            first17 = f"{county.code}{birth:%Y%m%d}{sequence:03d}"
            identifier = first17 + citizen_id_check_character(first17)
            if identifier not in self.seen:
                break
        self.seen.add(identifier)
        male = sequence % 2 == 1  # the 17th digit is odd for men (GB 11643)
        surname = self.surname()
        return Person(surname + self.given_name(male), surname, identifier, birth, county)
