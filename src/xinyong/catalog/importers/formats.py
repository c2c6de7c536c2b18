"""The column layouts departments send: the national 双公示 formats and a generic one (R9, R13).

Each layout maps column names to fields. The national formats come in two editions of names:

* the current one, whose penalty fields DOMAIN.md §5 lists (``CF_XDR_MC``, ``CF_XDR_LB``,
  ``CF_XDR_SHXYM``, ``CF_WSH``, ``CF_CFLB``, ``CF_NR_FK`` …), licences likewise (``XK_XDR_MC``,
  ``XK_XDR_LB``, ``XK_XKWS`` …);
* the older one of the first 双公示 templates (about 2016), still in older systems' exports.
  It has no subject-kind column, five code columns (行政相对人代码_1 to _5) instead of the USCC
  and the ID number, two penalty-type columns, and other names for the same facts. The original
  notice is not among our seed texts; these names are the ones that city and provincial
  platforms' published import code and table definitions carry for that template, where they
  agree (penalties: CF_WSH, CF_CFMC, CF_CFLB1, CF_CFLB2, CF_SY, CF_YJ, CF_XDR_MC,
  CF_XDR_SHXYM, CF_XDR_ZDM, CF_XDR_GSDJ, CF_XDR_SWDJ, CF_XDR_SFZ, CF_FR, CF_JG, CF_JDRQ,
  CF_XZJG, CF_ZT, DFBM, SJC, BZ; licences: XK_WSH, XK_XMMC, XK_SPLB, XK_NR, XK_XDR,
  XK_XDR_SHXYM, XK_XDR_ZDM, XK_XDR_GSDJ, XK_XDR_SWDJ, XK_XDR_SFZ, XK_FR, XK_JDRQ, XK_JZQ,
  XK_XZJG, XK_ZT, DFBM, SJC, BZ). One city's system wrote CF_AJMC (案件名称) for CF_CFMC; it is
  read as the same field. The USCC column kept its name, CF_XDR_SHXYM / XK_XDR_SHXYM:

  ==============  ====================  =================  ===============================
  older name      meaning               read as            kept in content as
  ==============  ====================  =================  ===============================
  CF_WSH          行政处罚决定书文号        document_number    CF_WSH
  CF_CFMC         处罚名称                case_name          CF_CFMC (no current equivalent)
  CF_CFLB1/2      处罚类别1、处罚类别2       penalty_types      CF_CFLB (joined with ；)
  CF_SY, CF_YJ    处罚事由、处罚依据         facts, basis       CF_SY, CF_YJ
  CF_XDR_MC       行政相对人名称            subject_name       CF_XDR_MC
  CF_XDR_SHXYM    代码_1 统一社会信用代码     uscc               CF_XDR_SHXYM
  CF_XDR_ZDM      代码_2 组织机构代码        organization_code  CF_XDR_ZZJG
  CF_XDR_GSDJ     代码_3 工商登记码          business_reg…      CF_XDR_GSZC
  CF_XDR_SWDJ     代码_4 税务登记号          tax_registration   CF_XDR_SWDJ
  CF_XDR_SFZ      代码_5 居民身份证号        person_id          CF_XDR_ZJHM
  CF_FR           法定代表人姓名            legal_representa…  CF_FRDB
  CF_JG           处罚结果                penalty_content    CF_NR
  CF_JDRQ         处罚决定日期             decision_date      CF_JDRQ
  CF_XZJG         处罚机关                issuing_body       CF_CFJG
  CF_ZT, DFBM,    当前状态、地方编码、        state, region_…,   CF_ZT, DFBM, SJC (no current
  SJC             数据更新时间戳            updated_at         equivalent), BZ
  XK_XDR          行政相对人名称            subject_name       XK_XDR_MC
  XK_XMMC         项目名称                project_name       XK_XMMC
  XK_SPLB         审批类别                licence_category   XK_XKLB
  XK_XDR_ZDM …    as for penalties       …                  XK_XDR_ZZJG …
  XK_FR           法定代表人姓名            legal_representa…  XK_FRDB
  XK_JZQ          许可截止期               valid_until        XK_YXQZI
  XK_XZJG         许可机关                issuing_body       XK_XKJG
  ==============  ====================  =================  ===============================

  With no kind column, an older row's subject is an organisation when it has a USCC (an
  individual business when the code's first two characters are 92, GB 32100-2015's
  registering authority 9, type 2), a natural person when it has only an ID number; a row with
  only the older organisation, business or tax codes is refused (``uscc-missing``): they do
  not identify a subject on this platform.

Both editions are read into the same fields, and a record's content keeps the current edition's
names, so nothing downstream needs to know which edition a file used. Chinese column titles
are accepted as well, as many exports carry them: each template's own (the current one's are
the fields' labels, 罚款金额（万元） and all; the older one's are in the table above) and
their numbered code titles, 行政相对人代码_1 to _6, whose numbers mean other codes in each
edition (``_subject_fields``). A title only one edition has counts towards the file's edition
as its codes do (``map_header``); brackets may be full- or half-width. A field has one column: a
header naming one twice (CF_WSH twice, CF_XDR_MC and 行政相对人名称) is refused, but for the older
edition's two penalty-type columns, which are joined (``HeaderMap.repeated``, ``Field.parts``).
Some fields are the sending system's bookkeeping, not the decision's (``BOOKKEEPING_CONTENT``).
"""

from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata

from xinyong.core.names import simplified

NEW, OLD, GENERIC = "new", "old", "generic"
EDITION_LABELS = {NEW: "现行版字段", OLD: "旧版字段", GENERIC: "通用格式"}


@dataclasses.dataclass(frozen=True)
class Field:
    """One fact of a row: the column names that carry it and where its value is kept.

    ``content`` is the key under which the value is kept in the record's content (the current
    edition's name), empty when the value only feeds a column of its own. ``bookkeeping``
    marks what the sending system writes about its export rather than about the decision
    (see ``BOOKKEEPING_CONTENT``). ``parts`` name the further columns a field may be spread
    over, one tuple of names per column (the older edition's second penalty type); any
    other name of the field counts as its first column. ``titles`` are Chinese titles either
    edition may head the column with; ``new_titles`` and ``old_titles`` the ones only the
    current or only the older template has, which tell the file's edition like ``new`` and
    ``old`` do and may mean another field in the other edition (行政相对人代码_2).
    """

    key: str
    label: str
    new: tuple[str, ...] = ()
    old: tuple[str, ...] = ()
    titles: tuple[str, ...] = ()
    content: str = ""
    bookkeeping: bool = False
    parts: tuple[tuple[str, ...], ...] = ()
    new_titles: tuple[str, ...] = ()
    old_titles: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return self.new + self.old + self.titles + self.new_titles + self.old_titles


@dataclasses.dataclass(frozen=True)
class Layout:
    kind: str
    fields: tuple[Field, ...]
    keep_unknown: bool = False  # generic records keep their other columns in the content

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


def _code(number: int, *meanings: str) -> tuple[str, ...]:
    """The titles of the templates' numbered code column: 行政相对人代码_2(工商注册号) and the
    like, then the bare 行政相对人代码_2 that some exports shorten it to."""
    return (*(f"行政相对人代码_{number}({meaning})" for meaning in meanings),
            f"行政相对人代码_{number}")  # fmt: skip


def _subject_fields(p: str) -> tuple[Field, ...]:
    """The subject columns, the same in both formats but for the prefix (XK_ or CF_).

    The templates number the subject's codes, and the numbers mean other codes in each
    edition: the current one's 行政相对人代码_1 to _6 are the USCC, the business
    registration number, the organisation code, the tax registration number, the
    institution's and the social organisation's certificate numbers; the older one's _1 to _5
    the USCC, the organisation code, the business registration code, the tax registration
    number and the citizen ID (R9, DOMAIN.md §5). A title with its meaning in brackets names
    one field whatever the file's edition; a bare 行政相对人代码_2, _3 or _5 is read as the
    file's edition reads it (``map_header``).
    """
    name_old = (f"{p}_XDR",) if p == "XK" else ()
    return (
        Field("subject_name", "行政相对人名称", (f"{p}_XDR_MC",), name_old,
              ("行政相对人名称", "相对人名称"), f"{p}_XDR_MC"),
        Field("subject_kind", "行政相对人类别", (f"{p}_XDR_LB",), (), ("相对人类别",),
              f"{p}_XDR_LB", new_titles=("行政相对人类别",)),
        Field("uscc", "统一社会信用代码", (f"{p}_XDR_SHXYM",), (),
              ("统一社会信用代码", *_code(1, "统一社会信用代码")), f"{p}_XDR_SHXYM"),
        Field("business_registration", "工商注册号", (f"{p}_XDR_GSZC",), (f"{p}_XDR_GSDJ",),
              ("工商注册号", "工商登记码"), f"{p}_XDR_GSZC",
              new_titles=_code(2, "工商注册号"), old_titles=_code(3, "工商登记码")),
        Field("organization_code", "组织机构代码", (f"{p}_XDR_ZZJG",), (f"{p}_XDR_ZDM",),
              ("组织机构代码",), f"{p}_XDR_ZZJG",
              new_titles=_code(3, "组织机构代码"), old_titles=_code(2, "组织机构代码")),
        Field("tax_registration", "税务登记号", (f"{p}_XDR_SWDJ",), (),
              ("税务登记号", "税务登记码", *_code(4, "税务登记号", "税务登记码")),
              f"{p}_XDR_SWDJ"),
        Field("institution_code", "事业单位证书号", (f"{p}_XDR_SYDW",), (),
              ("事业单位证书号",), f"{p}_XDR_SYDW", new_titles=_code(5, "事业单位证书号")),
        Field("social_organization_code", "社会组织登记证号", (f"{p}_XDR_SHZZ",), (),
              ("社会组织登记证号",), f"{p}_XDR_SHZZ", new_titles=_code(6, "社会组织登记证号")),
        Field("legal_representative", "法定代表人", (f"{p}_FRDB",), (f"{p}_FR",), (),
              f"{p}_FRDB", new_titles=("法定代表人",), old_titles=("法定代表人姓名",)),
        Field("legal_representative_id_type", "法定代表人证件类型", (f"{p}_FR_ZJLX",), (), (),
              f"{p}_FR_ZJLX", new_titles=("法定代表人证件类型",)),
        Field("legal_representative_id", "法定代表人证件号码", (f"{p}_FR_ZJHM",), (), (),
              f"{p}_FR_ZJHM", new_titles=("法定代表人证件号码",)),
        Field("person_id_type", "证件类型", (f"{p}_XDR_ZJLX",), (), (), f"{p}_XDR_ZJLX",
              new_titles=("证件类型",)),
        Field("person_id", "证件号码", (f"{p}_XDR_ZJHM",), (f"{p}_XDR_SFZ",),
              ("居民身份证号", "身份证号码"), f"{p}_XDR_ZJHM",
              new_titles=("证件号码",), old_titles=_code(5, "居民身份证号")),
    )  # fmt: skip


PENALTIES = Layout(
    "penalties",
    (
        *_subject_fields("CF"),
        Field("document_number", "行政处罚决定书文号", ("CF_WSH",), (),
              ("行政处罚决定书文号", "决定书文号", "处罚决定书文号"), "CF_WSH"),
        Field("case_name", "处罚名称", (), ("CF_CFMC", "CF_AJMC"), (), "CF_CFMC",
              old_titles=("处罚名称", "案件名称")),
        Field("violation", "违法行为类型", ("CF_WFXW",), (), (), "CF_WFXW",
              new_titles=("违法行为类型",)),
        Field("facts", "违法事实", ("CF_SY",), (), (), "CF_SY", new_titles=("违法事实",),
              old_titles=("处罚事由",)),
        Field("basis", "处罚依据", ("CF_YJ",), (), ("处罚依据",), "CF_YJ"),
        Field("penalty_types", "处罚类别", ("CF_CFLB",), ("CF_CFLB1", "CF_CFLB2"), (), "CF_CFLB",
              parts=(("CF_CFLB2", "处罚类别2"),), new_titles=("处罚类别",),
              old_titles=("处罚类别1", "处罚类别2")),
        Field("penalty_content", "处罚内容", ("CF_NR",), ("CF_JG",), (), "CF_NR",
              new_titles=("处罚内容",), old_titles=("处罚结果",)),
        Field("fine", "罚款金额（万元）", ("CF_NR_FK",), (), ("罚款金额",), "CF_NR_FK",
              new_titles=("罚款金额（万元）",)),
        Field("confiscated", "没收违法所得、没收非法财物的金额（万元）", ("CF_NR_WFFF",), (),
              ("没收违法所得、没收非法财物的金额",), "CF_NR_WFFF",
              new_titles=("没收违法所得、没收非法财物的金额（万元）",)),
        Field("licence_suspended", "暂扣或吊销证照名称及编号", ("CF_NR_ZKDX",), (), (),
              "CF_NR_ZKDX", new_titles=("暂扣或吊销证照名称及编号",)),
        Field("decision_date", "处罚决定日期", ("CF_JDRQ",), (), ("处罚决定日期", "决定日期"),
              "CF_JDRQ"),
        Field("valid_until", "处罚有效期", ("CF_YXQ",), (), (), "CF_YXQ",
              new_titles=("处罚有效期",)),
        Field("publication_until", "公示截止期", ("CF_GSJZQ",), (), (), "CF_GSJZQ",
              new_titles=("公示截止期",)),
        Field("issuing_body", "处罚机关", ("CF_CFJG",), ("CF_XZJG",), ("处罚机关",), "CF_CFJG"),
        Field("issuing_body_code", "处罚机关统一社会信用代码", ("CF_CFJGDM",), (), (),
              "CF_CFJGDM", new_titles=("处罚机关统一社会信用代码",)),
        Field("source", "数据来源单位", ("CF_SJLY",), (), ("数据来源",), "CF_SJLY",
              bookkeeping=True, new_titles=("数据来源单位",)),
        Field("source_code", "数据来源单位统一社会信用代码", ("CF_SJLYDM",), (), (),
              "CF_SJLYDM", bookkeeping=True, new_titles=("数据来源单位统一社会信用代码",)),
        Field("state", "当前状态", (), ("CF_ZT",), (), "CF_ZT", bookkeeping=True,
              old_titles=("当前状态",)),
        Field("region_code", "地方编码", (), ("DFBM",), (), "DFBM", bookkeeping=True,
              old_titles=("地方编码",)),
        Field("updated_at", "数据更新时间戳", (), ("SJC",), (), "SJC", bookkeeping=True,
              old_titles=("数据更新时间戳",)),
        Field("note", "备注", ("BZ",), (), ("备注",), "BZ", bookkeeping=True),
    ),
)  # fmt: skip

LICENCES = Layout(
    "licences",
    (
        *_subject_fields("XK"),
        Field("document_name", "行政许可决定文书名称", ("XK_XKWS",), (), (), "XK_XKWS",
              new_titles=("行政许可决定文书名称",)),
        Field("document_number", "行政许可决定文书号", ("XK_WSH",), (), ("决定文书号",),
              "XK_WSH", new_titles=("行政许可决定文书号",), old_titles=("行政许可决定书文号",)),
        Field("project_name", "项目名称", (), ("XK_XMMC",), (), "XK_XMMC",
              old_titles=("项目名称",)),
        Field("licence_category", "许可类别", ("XK_XKLB",), ("XK_SPLB",), (), "XK_XKLB",
              new_titles=("许可类别",), old_titles=("审批类别",)),
        Field("certificate_name", "许可证书名称", ("XK_XKZS",), (), (), "XK_XKZS",
              new_titles=("许可证书名称",)),
        Field("licence_number", "许可编号", ("XK_XKBH",), (), (), "XK_XKBH",
              new_titles=("许可编号",)),
        Field("licence_content", "许可内容", ("XK_NR",), (), ("许可内容",), "XK_NR"),
        Field("decision_date", "许可决定日期", ("XK_JDRQ",), (), ("许可决定日期", "决定日期"),
              "XK_JDRQ"),
        Field("valid_from", "有效期自", ("XK_YXQZ",), (), (), "XK_YXQZ",
              new_titles=("有效期自",)),
        Field("valid_until", "有效期至", ("XK_YXQZI",), ("XK_JZQ",), (), "XK_YXQZI",
              new_titles=("有效期至",), old_titles=("许可截止期",)),
        Field("issuing_body", "许可机关", ("XK_XKJG",), ("XK_XZJG",), ("许可机关",), "XK_XKJG"),
        Field("issuing_body_code", "许可机关统一社会信用代码", ("XK_XKJGDM",), (), (),
              "XK_XKJGDM", new_titles=("许可机关统一社会信用代码",)),
        Field("state", "当前状态", ("XK_ZT",), (), ("当前状态",), "XK_ZT", bookkeeping=True),
        Field("source", "数据来源单位", ("XK_LYDW",), (), (), "XK_LYDW", bookkeeping=True,
              new_titles=("数据来源单位",)),
        Field("source_code", "数据来源单位统一社会信用代码", ("XK_LYDWDM",), (), (),
              "XK_LYDWDM", bookkeeping=True, new_titles=("数据来源单位统一社会信用代码",)),
        Field("region_code", "地方编码", (), ("DFBM",), (), "DFBM", bookkeeping=True,
              old_titles=("地方编码",)),
        Field("updated_at", "数据更新时间戳", (), ("SJC",), (), "SJC", bookkeeping=True,
              old_titles=("数据更新时间戳",)),
        Field("note", "备注", ("BZ",), (), ("备注",), "BZ", bookkeeping=True),
    ),
)  # fmt: skip

# Any other catalog information: one row per record, the catalog item named in each row; the
# columns not listed here are kept in the record's content under their own names.
RECORDS = Layout(
    "records",
    (
        Field("catalog_item", "目录编码", ("CATALOG_ITEM", "ITEM"), (), ("目录编码", "目录代码")),
        Field("subject_name", "主体名称", ("SUBJECT_NAME",), (), ("主体名称", "名称")),
        Field("subject_kind", "主体类别", ("SUBJECT_KIND",), (), ("主体类别", "主体类型")),
        Field("uscc", "统一社会信用代码", ("USCC",), (), ("统一社会信用代码",)),
        Field("person_id_type", "证件类型", ("ID_TYPE",), (), ("证件类型",)),
        Field("person_id", "证件号码", ("ID_NUMBER",), (), ("证件号码", "身份证号码")),
        Field("document_number", "文书号", ("DOCUMENT_NUMBER",), (), ("文书号", "决定文书号")),
        Field("decision_date", "决定日期", ("DECISION_DATE",), (), ("决定日期", "作出日期")),
        Field("issuing_body", "决定机关", ("ISSUING_BODY",), (), ("决定机关", "作出机关")),
        Field("title", "摘要", ("TITLE",), (), ("摘要", "标题")),
        Field("valid_until", "有效期至", ("VALID_UNTIL",), (), ("有效期至",)),
    ),
    keep_unknown=True,
)  # fmt: skip

LAYOUTS = {layout.kind: layout for layout in (PENALTIES, LICENCES, RECORDS)}

# What a record's content holds about the sending system's export, not about the decision: the
# state (CF_ZT, XK_ZT), the region code (DFBM), the export timestamp (SJC), the note (BZ) and
# the unit the data came from (CF_SJLY, CF_SJLYDM, XK_LYDW, XK_LYDWDM). Two rows that differ
# in these only are the same decision: a revoked one sent again stays revoked (R6, ``bulk``,
# ``decision_statement``).
BOOKKEEPING_CONTENT = tuple(
    sorted({f.content for layout in LAYOUTS.values() for f in layout.fields if f.bookkeeping})
)
# Where a record's content keeps its issuing body's code (CF_CFJGDM, XK_XKJGDM): the older
# edition and other records have none (``core.issuing_bodies``, ``bulk``).
BODY_CODE_CONTENT = tuple(
    sorted(
        {f.content for layout in LAYOUTS.values() for f in layout.fields
         if f.key == "issuing_body_code"}
    )
)  # fmt: skip

# Where a record's content keeps its document number as the department wrote it (CF_WSH,
# XK_WSH); the record's column holds its canonical form (``core.document_numbers``). Generic
# records keep none.
DOCUMENT_NUMBER_CONTENT = tuple(
    sorted(
        {f.content for layout in LAYOUTS.values() for f in layout.fields
         if f.key == "document_number" and f.content}
    )
)  # fmt: skip

# Sensitive personal information that may not be collected (001 §14): religion, genes,
# fingerprints, blood type, disease. A column whose name mentions one is refused, whatever
# its position; its values are never read into anything that is kept. So is a key of that name
# inside a JSON value. Chinese words match anywhere in the name; English ones as whole words,
# split at underscores, spaces, digits and camelCase humps (so GENERAL is not taken for a gene,
# and medicalHistory is read as two words), or as a word's beginning for the stems that begin
# no innocent word (MEDICALHISTORY, FINGERPRINTDATA written in one).
#
# Besides the topics' own words, the names offices' exports give them: a disease as 病种, 病名,
# 病况, or one named (慢性病, 精神病, 结核病, 性病); genes as 遗传信息 (not bare 遗传, which
# 人类遗传资源 licences and 非遗传承人 hold); a blood type as 血液类型; a religion as a creed;
# genes as a genotype. 性病 also sits inside 检疫性病虫害 and 检疫性病害, and 病种 and 病名
# inside 疫病种类 and 疫病名称: ``NOT_PERSONAL_CHINESE`` takes those out first. The stem
# genotyp catches genotyping and genotypic too, and GENOTYPERESULT written in one; creed and
# creeds are read as whole words only.
SENSITIVE_CHINESE = {
    "宗教": "宗教信仰", "信仰": "宗教信仰", "基因": "基因", "遗传病": "基因",
    "遗传信息": "基因", "指纹": "指纹", "血型": "血型", "血液类型": "血型", "疾病": "疾病",
    "病史": "疾病", "病情": "疾病", "病症": "疾病", "病况": "疾病", "病种": "疾病",
    "病名": "疾病", "传染病": "疾病", "慢性病": "疾病", "精神病": "疾病", "结核病": "疾病",
    "性病": "疾病", "诊断": "疾病", "病历": "疾病", "病案": "疾病", "既往史": "疾病",
    "艾滋": "疾病",
}  # fmt: skip
SENSITIVE_ENGLISH = {
    **dict.fromkeys(["religion", "religions", "religious", "faith", "creed", "creeds"], "宗教信仰"),
    **dict.fromkeys(
        ["gene", "genes", "genetic", "genetics", "genome", "dna", "genotype", "genotypes"], "基因"
    ),
    **dict.fromkeys(["fingerprint", "fingerprints"], "指纹"),
    **dict.fromkeys(["blood", "bloodtype", "abo"], "血型"),
    **dict.fromkeys(
        ["disease", "diseases", "illness", "illnesses", "diagnosis", "diagnoses", "medical",
         "hiv", "hepatitis"],
        "疾病",
    ),
}  # fmt: skip
SENSITIVE_STEMS = {
    "religio": "宗教信仰", "genetic": "基因", "genome": "基因", "genotyp": "基因",
    "fingerprint": "指纹",
    "bloodtype": "血型", "bloodgroup": "血型", "diagnos": "疾病", "medicalhistor": "疾病",
    "medicalrecord": "疾病", "medicalcondition": "疾病",
}  # fmt: skip
# Names of bodies and things rather than of a person's data: 疾病预防控制中心 (the centre for
# disease control) is a department, diseaseControlDept names one, a medicalDevice licence is
# about a product. The English words, when they follow a sensitive one, make it such a name.
# So are animals' and crops' diseases (动物疫病, 疫病种类, 疫病名称 of a quarantine licence or
# penalty), pests (检疫性病虫害) and 病害, which the law uses of plants and of roads, bridges and
# tunnels, never of a person. Phrases, not bare 疫病: the autoimmune disease 自身免疫病 holds it,
# and taking it out of 自身免疫病史 would hide the 病史.
NOT_PERSONAL_CHINESE = (
    "疾病预防控制", "疾病控制", "疾病防控", "动物疫病", "植物疫病", "疫病种", "疫病名", "病虫害",
    "病害",
)  # fmt: skip
NOT_PERSONAL_NEXT_WORDS = frozenset(
    ["control", "prevention", "dept", "department", "center", "centre", "agency", "bureau",
     "institution", "institutions", "device", "devices", "equipment", "insurance"]
)  # fmt: skip
# A word: a run of capitals before a capitalised word (the HIV of HIVStatus), a capitalised or
# lower-case word, or a run of capitals.
_WORDS = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+")
_SPACES = re.compile(r"\s+")
_SEPARATORS = re.compile(r"[\s_\-·・.]+")


def normalize_header(name: object) -> str:
    """Full-width to half-width, spaces and a trailing '*' (required mark) removed."""
    text = unicodedata.normalize("NFKC", "" if name is None else str(name))
    text = _SPACES.sub("", text.lstrip("\ufeff")).rstrip("*")
    return text.upper() if text.isascii() else text


@functools.lru_cache(maxsize=4096)
def sensitive_topic(name: str) -> str | None:
    """The prohibited topic a column name or a JSON key mentions (001 §14), or None. The name
    is read as written: upper-casing it first would lose its camelCase humps."""
    text = unicodedata.normalize("NFKC", name)
    # The Chinese words are looked for with spaces and separators taken out (a form pads a
    # two-character label with a full-width space: 血　型) and in simplified characters (指紋).
    chinese = simplified(_SEPARATORS.sub("", text))
    for phrase in NOT_PERSONAL_CHINESE:
        chinese = chinese.replace(phrase, "")
    for word, topic in SENSITIVE_CHINESE.items():
        if word in chinese:
            return topic
    words = [word.lower() for word in _WORDS.findall(text)]
    for at, word in enumerate(words):
        following = words[at + 1] if at + 1 < len(words) else ""
        topic = SENSITIVE_ENGLISH.get(word)
        if topic is None:
            topic = next((t for stem, t in SENSITIVE_STEMS.items() if word.startswith(stem)), None)
        if topic is not None and following not in NOT_PERSONAL_NEXT_WORDS:
            return topic
    return None


def nested_sensitive_topic(value: object) -> str | None:
    """The prohibited topic a key anywhere inside a JSON value names (001 §14), or None."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, dict):
            for key, inner in item.items():
                topic = sensitive_topic(str(key))
                if topic is not None:
                    return topic
                if isinstance(inner, dict | list):
                    pending.append(inner)
        elif isinstance(item, list):
            pending.extend(inner for inner in item if isinstance(inner, dict | list))
    return None


@dataclasses.dataclass(frozen=True)
class HeaderMap:
    """Where each field is in a file's header, which columns are refused, which are unknown,
    and which name one field more than once (``repeated``: the groups of their positions)."""

    layout: Layout
    edition: str
    columns: dict[str, tuple[int, ...]]
    sensitive: dict[int, str]
    unknown: tuple[int, ...]
    width: int
    repeated: tuple[tuple[int, ...], ...] = ()
    # Whether the names tell the edition (more of one edition's own names than of the other's);
    # a tie is read as the current edition, which a code of the clashing tables must not trust.
    edition_told: bool = True

    def has(self, key: str) -> bool:
        return key in self.columns


def _names_by_edition(layout: Layout) -> tuple[dict[str, Field], dict[str, dict[str, Field]]]:
    """A layout's names, normalised: those that name one field in either edition, and each
    edition's own names (its codes and titles) with the field that edition reads them as."""
    shared: dict[str, Field] = {}
    own: dict[str, dict[str, Field]] = {NEW: {}, OLD: {}}
    for f in layout.fields:
        for name in f.titles:
            shared[normalize_header(name)] = f
        for edition, names in ((NEW, f.new + f.new_titles), (OLD, f.old + f.old_titles)):
            for name in names:
                own[edition][normalize_header(name)] = f
    return shared, own


def map_header(layout: Layout, header: list[str]) -> HeaderMap:
    """Resolve a header against a layout; the edition is the one more of its names match.

    A name is read first as the file's edition reads it, then as either edition does: a bare
    行政相对人代码_2 is the business registration number in a current-edition file and the
    organisation code in an older one (R9, ``_subject_fields``). A name both editions have
    counts for neither, and a tie is read as the current edition."""
    shared, own = _names_by_edition(layout)
    new_names = own[NEW].keys() - own[OLD].keys()
    old_names = own[OLD].keys() - own[NEW].keys()
    part_of = {
        normalize_header(n): number
        for f in layout.fields
        for number, names in enumerate(f.parts, start=1)
        for n in names
    }
    names = [normalize_header(raw) for raw in header]
    sensitive: dict[int, str] = {}
    for index, raw in enumerate(header):
        topic = sensitive_topic("" if raw is None else str(raw))
        if topic is not None:
            sensitive[index] = topic
    read = [name for index, name in enumerate(names) if index not in sensitive]
    new_hits = sum(name in new_names for name in read)
    old_hits = sum(name in old_names for name in read)
    edition = OLD if old_hits > new_hits else NEW
    other = NEW if edition == OLD else OLD
    columns: dict[str, list[int]] = {}
    slots: dict[tuple[str, int], list[int]] = {}  # (field, its part) → the columns naming it
    unknown: list[int] = []
    for index, name in enumerate(names):
        if index in sensitive:
            continue
        found = own[edition].get(name) or shared.get(name) or own[other].get(name)
        if found is None:
            unknown.append(index)
            continue
        columns.setdefault(found.key, []).append(index)
        slots.setdefault((found.key, part_of.get(name, 0)), []).append(index)
    if layout.kind == RECORDS.kind:
        edition = GENERIC
    groups = list(slots.values())
    if layout.keep_unknown:  # kept under their own names, so a name twice is one key twice
        kept: dict[str, list[int]] = {}
        for index in unknown:
            name = str(header[index] or "").strip()
            if name:
                kept.setdefault(name, []).append(index)
        groups += kept.values()
    repeated = tuple(sorted(tuple(g) for g in groups if len(g) > 1))
    return HeaderMap(
        layout, edition, {k: tuple(v) for k, v in columns.items()}, sensitive, tuple(unknown),
        len(header), repeated, new_hits != old_hits,
    )  # fmt: skip
