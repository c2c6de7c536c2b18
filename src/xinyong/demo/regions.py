"""Zhejiang province with its eleven cities and their counties (GB/T 2260 codes).

Only divisions whose codes have existed since before 2020 are listed, so that every code also
appears in the region tables identifier checkers carry (a citizen ID keeps the code of the place it
was first issued). Each city carries the short prefix its departments put on document numbers
(杭 → 杭市监处罚〔2026〕12号, 甬 for Ningbo).
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCE_CODE = "330000"
PROVINCE_NAME = "浙江省"
PROVINCE_SHORT = "浙"


@dataclass(frozen=True)
class City:
    code: str
    name: str
    short: str  # the name without 市, as in 杭州恒泰建材有限公司
    slug: str  # for department codes: hangzhou-scjg
    abbr: str  # the one-character prefix of document numbers
    counties: tuple[tuple[str, str], ...]


CITIES: tuple[City, ...] = (
    City("330100", "杭州市", "杭州", "hangzhou", "杭", (
        ("330102", "上城区"), ("330105", "拱墅区"), ("330106", "西湖区"), ("330108", "滨江区"),
        ("330109", "萧山区"), ("330110", "余杭区"), ("330111", "富阳区"), ("330112", "临安区"),
        ("330122", "桐庐县"), ("330127", "淳安县"), ("330182", "建德市"),
    )),
    City("330200", "宁波市", "宁波", "ningbo", "甬", (
        ("330203", "海曙区"), ("330205", "江北区"), ("330206", "北仑区"), ("330211", "镇海区"),
        ("330212", "鄞州区"), ("330213", "奉化区"), ("330225", "象山县"), ("330226", "宁海县"),
        ("330281", "余姚市"), ("330282", "慈溪市"),
    )),
    City("330300", "温州市", "温州", "wenzhou", "温", (
        ("330302", "鹿城区"), ("330303", "龙湾区"), ("330304", "瓯海区"), ("330305", "洞头区"),
        ("330324", "永嘉县"), ("330326", "平阳县"), ("330327", "苍南县"), ("330328", "文成县"),
        ("330329", "泰顺县"), ("330381", "瑞安市"), ("330382", "乐清市"),
    )),
    City("330400", "嘉兴市", "嘉兴", "jiaxing", "嘉", (
        ("330402", "南湖区"), ("330411", "秀洲区"), ("330421", "嘉善县"), ("330424", "海盐县"),
        ("330481", "海宁市"), ("330482", "平湖市"), ("330483", "桐乡市"),
    )),
    City("330500", "湖州市", "湖州", "huzhou", "湖", (
        ("330502", "吴兴区"), ("330503", "南浔区"), ("330521", "德清县"), ("330522", "长兴县"),
        ("330523", "安吉县"),
    )),
    City("330600", "绍兴市", "绍兴", "shaoxing", "绍", (
        ("330602", "越城区"), ("330603", "柯桥区"), ("330604", "上虞区"), ("330624", "新昌县"),
        ("330681", "诸暨市"), ("330683", "嵊州市"),
    )),
    City("330700", "金华市", "金华", "jinhua", "金", (
        ("330702", "婺城区"), ("330703", "金东区"), ("330723", "武义县"), ("330726", "浦江县"),
        ("330727", "磐安县"), ("330781", "兰溪市"), ("330782", "义乌市"), ("330783", "东阳市"),
        ("330784", "永康市"),
    )),
    City("330800", "衢州市", "衢州", "quzhou", "衢", (
        ("330802", "柯城区"), ("330803", "衢江区"), ("330822", "常山县"), ("330824", "开化县"),
        ("330825", "龙游县"), ("330881", "江山市"),
    )),
    City("330900", "舟山市", "舟山", "zhoushan", "舟", (
        ("330902", "定海区"), ("330903", "普陀区"), ("330921", "岱山县"), ("330922", "嵊泗县"),
    )),
    City("331000", "台州市", "台州", "taizhou", "台", (
        ("331002", "椒江区"), ("331003", "黄岩区"), ("331004", "路桥区"), ("331022", "三门县"),
        ("331023", "天台县"), ("331024", "仙居县"), ("331081", "温岭市"), ("331082", "临海市"),
        ("331083", "玉环市"),
    )),
    City("331100", "丽水市", "丽水", "lishui", "丽", (
        ("331102", "莲都区"), ("331121", "青田县"), ("331122", "缙云县"), ("331123", "遂昌县"),
        ("331124", "松阳县"), ("331125", "云和县"), ("331126", "庆元县"),
        ("331127", "景宁畲族自治县"), ("331181", "龙泉市"),
    )),
)  # fmt: skip


@dataclass(frozen=True)
class County:
    code: str
    name: str
    city: City

    @property
    def full_name(self) -> str:
        """杭州市西湖区 — how a shop's name starts."""
        return f"{self.city.name}{self.name}"

    @property
    def trade_prefix(self) -> str:
        """What a company registered here puts first: 义乌市… for a county-level city, else 杭州…"""
        return self.name if self.name.endswith(("市", "县")) else self.city.short


COUNTIES: tuple[County, ...] = tuple(
    County(code, name, city) for city in CITIES for code, name in city.counties
)
CITY_BY_CODE = {city.code: city for city in CITIES}
