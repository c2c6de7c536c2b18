"""Column layouts: both editions of the 双公示 names, Chinese titles, prohibited columns."""

import pytest

from tests.data.ingest.samples import LICENCE_FIELDS, OLD_PENALTY_FIELDS, PENALTY_FIELDS
from tests.data.ingest.samples import OLD_PENALTY_TITLES as OLD_PENALTY_TITLES_BY_NAME
from xinyong.catalog.importers.formats import (
    BOOKKEEPING_CONTENT,
    LICENCES,
    PENALTIES,
    RECORDS,
    map_header,
    nested_sensitive_topic,
    normalize_header,
    sensitive_topic,
)


def test_bookkeeping_fields_are_the_sending_systems_not_the_decisions():
    """What a new export of the same decision may change (R6: it stays the same decision)."""
    assert BOOKKEEPING_CONTENT == (
        "BZ", "CF_SJLY", "CF_SJLYDM", "CF_ZT", "DFBM", "SJC", "XK_LYDW", "XK_LYDWDM", "XK_ZT",
    )  # fmt: skip


def test_the_current_penalty_edition():
    header = map_header(PENALTIES, PENALTY_FIELDS)
    assert header.edition == "new"
    assert header.columns["subject_kind"] == (1,)
    assert header.columns["issuing_body"] == (PENALTY_FIELDS.index("CF_CFJG"),)
    assert not header.unknown and not header.sensitive


# The older template's names and the fields they are read into (importers/formats.py), as the
# published import code of city and provincial platforms lists them for that template.
OLD_NAMES = {
    "CF_WSH": "document_number", "CF_CFMC": "case_name", "CF_CFLB1": "penalty_types",
    "CF_CFLB2": "penalty_types", "CF_SY": "facts", "CF_YJ": "basis", "CF_XDR_MC": "subject_name",
    "CF_XDR_SHXYM": "uscc", "CF_XDR_ZDM": "organization_code",
    "CF_XDR_GSDJ": "business_registration", "CF_XDR_SWDJ": "tax_registration",
    "CF_XDR_SFZ": "person_id", "CF_FR": "legal_representative", "CF_JG": "penalty_content",
    "CF_JDRQ": "decision_date", "CF_XZJG": "issuing_body", "CF_ZT": "state", "DFBM": "region_code",
    "SJC": "updated_at", "BZ": "note",
}  # fmt: skip


def test_the_older_penalty_edition():
    header = map_header(PENALTIES, OLD_PENALTY_FIELDS)
    assert header.edition == "old"
    assert not header.unknown
    for name, key in OLD_NAMES.items():
        assert OLD_PENALTY_FIELDS.index(name) in header.columns[key], name
    assert header.columns["penalty_types"] == (2, 3)


def test_one_citys_name_for_the_penalty_name_is_read_as_the_same_field():
    names = [("CF_AJMC" if n == "CF_CFMC" else n) for n in OLD_PENALTY_FIELDS]
    header = map_header(PENALTIES, names)
    assert header.edition == "old" and not header.unknown
    assert header.columns["case_name"] == (names.index("CF_AJMC"),)


def test_licences_in_both_editions():
    assert map_header(LICENCES, LICENCE_FIELDS).edition == "new"
    old = ["XK_WSH", "XK_XMMC", "XK_SPLB", "XK_NR", "XK_XDR", "XK_XDR_SHXYM", "XK_XDR_ZDM",
           "XK_XDR_GSDJ", "XK_XDR_SWDJ", "XK_XDR_SFZ", "XK_FR", "XK_JDRQ", "XK_JZQ", "XK_XZJG",
           "XK_ZT", "DFBM", "SJC", "BZ"]  # fmt: skip
    header = map_header(LICENCES, old)
    assert header.edition == "old" and not header.unknown
    assert header.columns["valid_until"] == (old.index("XK_JZQ"),)
    assert header.columns["subject_name"] == (old.index("XK_XDR"),)
    assert header.columns["uscc"] == (old.index("XK_XDR_SHXYM"),)
    assert header.columns["organization_code"] == (old.index("XK_XDR_ZDM"),)


def test_chinese_titles_and_spelling_variants():
    names = [
        "行政相对人名称",
        "统一社会信用代码*",
        " cf_wsh ",
        "处罚决定日期",
        "处罚机关",
        "处罚类别",
    ]
    header = map_header(PENALTIES, names)
    assert set(header.columns) == {
        "subject_name", "uscc", "document_number", "decision_date", "issuing_body",
        "penalty_types",
    }  # fmt: skip
    assert normalize_header("\ufeffＣＦ＿ＷＳＨ") == "CF_WSH"


@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("宗教信仰", "宗教信仰"), ("信仰", "宗教信仰"), ("RELIGION", "宗教信仰"),
        ("基因检测结果", "基因"), ("dna_sample", "基因"), ("指纹", "指纹"),
        ("FINGERPRINTS", "指纹"), ("血型", "血型"), ("blood_type", "血型"),
        ("疾病史", "疾病"), ("传染病", "疾病"), ("Disease", "疾病"),
        ("GENERAL_NOTE", None), ("CF_CFLB", None), ("备注", None), ("BLOODSTONE", None),
    ],
)  # fmt: skip
def test_prohibited_columns_are_recognised_by_their_names(name, topic):
    assert sensitive_topic(normalize_header(name)) == topic


@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("血\u3000型", "血型"), ("血 型", "血型"), ("宗\u3000教", "宗教信仰"),
        ("病\u3000史", "疾病"), ("宗 教 信 仰", "宗教信仰"), ("既_往_史", "疾病"),
        ("指紋", "指纹"), ("診斷", "疾病"),
        ("病歷", "疾病"), ("姓\u3000名", None), ("备\u3000注", None),
        ("疾 病 预 防 控 制 中 心", None),
    ],
)  # fmt: skip
def test_a_prohibited_header_padded_or_in_traditional_characters_is_recognised(name, topic):
    """001 §14: forms pad two-character labels with a full-width space, and a header may be
    written in traditional characters; the raw header is what the import checks."""
    assert sensitive_topic(name) == topic


@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("religiousBelief", "宗教信仰"), ("medicalHistory", "疾病"), ("medicalRecord", "疾病"),
        ("fingerprintData", "指纹"), ("geneticTest", "基因"), ("bloodType", "血型"),
        ("HIVStatus", "疾病"), ("hiv_test", "疾病"), ("MEDICALHISTORY", "疾病"),
        ("病历", "疾病"), ("既往病历", "疾病"), ("HIV感染情况", "疾病"), ("艾滋病检测", "疾病"),
        ("疾病名称", "疾病"), ("diseaseName", "疾病"), ("疾控中心诊断结论", "疾病"),
        # Names of bodies and products, not of a person's data:
        ("diseaseControlDept", None), ("DISEASE_CONTROL_DEPT", None), ("疾病预防控制中心", None),
        ("medicalDeviceName", None), ("generation", None), ("genealogy", None),
        ("archiveNo", None), ("非遗传承人", None),
    ],
)  # fmt: skip
def test_prohibited_keys_are_recognised_however_they_are_written(name, topic):
    """001 §14: camelCase keys are read as their words; a body's or a product's name is not
    a person's data."""
    assert sensitive_topic(name) == topic


@pytest.mark.parametrize(
    ("value", "topic"),
    [
        ({"extra": {"血型": "AB"}}, "血型"),
        ([{"a": 1}, {"persons": [{"name": "张三", "religiousBelief": "x"}]}], "宗教信仰"),
        ({"extra": {"level": "省级", "diseaseControlDept": "某疾控中心"}}, None),
        (["病历", {"note": "病历"}], None),  # values are not keys
    ],
)  # fmt: skip
def test_keys_inside_a_json_value_are_checked_by_the_same_rule(value, topic):
    assert nested_sensitive_topic(value) == topic


def test_generic_records_keep_their_other_columns():
    header = map_header(RECORDS, ["目录编码", "主体名称", "荣誉级别", "宗教"])
    assert header.edition == "generic"
    assert header.unknown == (2,) and header.sensitive == {3: "宗教信仰"}


def test_a_camel_case_column_is_refused_as_written_not_as_upper_cased():
    header = map_header(RECORDS, ["ITEM", "religiousBelief", "diseaseControlDept"])
    assert header.sensitive == {1: "宗教信仰"} and header.unknown == (2,)


@pytest.mark.parametrize(
    ("layout", "header", "repeated"),
    [
        (PENALTIES, [*PENALTY_FIELDS, "CF_WSH"], [("CF_WSH", "CF_WSH")]),
        (PENALTIES, [*PENALTY_FIELDS, "行政相对人名称"], [("CF_XDR_MC", "行政相对人名称")]),
        (PENALTIES, [*PENALTY_FIELDS, "cf_wsh ", "处罚类别"],
         [("CF_WSH", "cf_wsh "), ("CF_CFLB", "处罚类别")]),
        (PENALTIES, [*OLD_PENALTY_FIELDS, "处罚类别2"], [("CF_CFLB2", "处罚类别2")]),
        (RECORDS, ["目录编码", "名称", "名称", "荣誉级别"], [("名称", "名称")]),
        (RECORDS, ["目录编码", "主体名称", "荣誉级别", "荣誉级别 "], [("荣誉级别", "荣誉级别 ")]),
    ],
)  # fmt: skip
def test_a_field_named_twice_is_a_repeated_column(layout, header, repeated):
    """A field has one column: the copies' cells would be joined into one value, an identity
    field's too. Only the older edition's penalty types spread over two columns."""
    found = map_header(layout, header).repeated
    assert [tuple(header[i] for i in group) for group in found] == repeated


def test_the_older_editions_two_penalty_type_columns_are_not_repeated():
    assert not map_header(PENALTIES, OLD_PENALTY_FIELDS).repeated
    numbered = {"CF_CFLB1": "处罚类别1", "CF_CFLB2": "处罚类别2"}
    titles = [numbered.get(name, name) for name in OLD_PENALTY_FIELDS]
    assert not map_header(PENALTIES, titles).repeated
    assert not map_header(RECORDS, ["目录编码", "主体名称", "", ""]).repeated


@pytest.mark.parametrize(
    ("name", "topic"),
    [
        ("病种", "疾病"), ("慢性病", "疾病"), ("精神病", "疾病"), ("精神病史", "疾病"),
        ("病名", "疾病"), ("结核病", "疾病"), ("性病", "疾病"), ("病况", "疾病"),
        ("所患病种", "疾病"), ("慢性病种类", "疾病"), ("遗传信息", "基因"),
        ("个人遗传信息", "基因"), ("血液类型", "血型"), ("血型", "血型"),
        ("genotype", "基因"), ("GENOTYPE", "基因"), ("genotypes", "基因"),
        ("genotypeResult", "基因"), ("genotyping_result", "基因"),
        ("creed", "宗教信仰"), ("CREED", "宗教信仰"), ("personal_creed", "宗教信仰"),
        # The exceptions below are phrases: the disease inside them is still found.
        ("自身免疫病史", "疾病"), ("动物疫病病史", "疾病"),
    ],
)  # fmt: skip
def test_prohibited_columns_under_their_common_names_are_recognised(name, topic):
    """001 §14: a disease, genetic data, a blood type or a creed under the names offices'
    exports give them, not only under 疾病, 基因, 血型 and 宗教."""
    assert sensitive_topic(name) == topic
    assert sensitive_topic(normalize_header(name)) == topic


@pytest.mark.parametrize(
    "name",
    [
        # Pests, crops' and animals' diseases, defects of roads and bridges: a licence's or a
        # penalty's matter, no person's health.
        "病虫害防治", "检疫性病虫害名称", "危险性病虫害", "疫病防控", "动物疫病种类",
        "动物疫病名称", "植物疫病", "道路病害", "检疫性病害",
        # Licences under the human genetic resources rules name the resource, not a person's
        # genes; nor is a heritage bearer (非遗传承人) a gene.
        "人类遗传资源", "人类遗传资源采集审批", "非遗传承人",
        # Words that merely begin or hold the same letters.
        "GENERAL", "genealogy", "generation", "credential", "accreditation", "typeOfLicence",
    ],
)  # fmt: skip
def test_names_of_no_persons_health_are_not_taken_for_prohibited_ones(name):
    """The words for a disease or genes refuse none of a licence's or a penalty's own matters
    (R9)."""
    assert sensitive_topic(name) is None


def test_no_field_of_the_formats_is_taken_for_a_prohibited_column():
    """Every name and label of the national formats and the generic one reads as no prohibited
    topic: a sensitive word that caught one would refuse every row of every file (R9)."""
    names = {
        name
        for layout in (PENALTIES, LICENCES, RECORDS)
        for field in layout.fields
        for name in (*field.names, field.label)
    }
    caught = {name: sensitive_topic(name) for name in names if sensitive_topic(name)}
    assert caught == {}


# The older template's Chinese titles and the fields they are read into (R9), as the published
# import code of city platforms lists them for that template.
OLD_PENALTY_TITLES = {OLD_PENALTY_TITLES_BY_NAME[name]: key for name, key in OLD_NAMES.items()}
OLD_LICENCE_TITLES = {
    "行政许可决定书文号": "document_number", "项目名称": "project_name",
    "审批类别": "licence_category", "许可内容": "licence_content",
    "行政相对人名称": "subject_name", "行政相对人代码_1(统一社会信用代码)": "uscc",
    "行政相对人代码_2(组织机构代码)": "organization_code",
    "行政相对人代码_3(工商登记码)": "business_registration",
    "行政相对人代码_4(税务登记号)": "tax_registration",
    "行政相对人代码_5(居民身份证号)": "person_id", "法定代表人姓名": "legal_representative",
    "许可决定日期": "decision_date", "许可截止期": "valid_until", "许可机关": "issuing_body",
    "当前状态": "state", "地方编码": "region_code", "数据更新时间戳": "updated_at",
    "备注": "note",
}  # fmt: skip
# The current template's numbered code titles: the numbers mean other codes than the older
# template's.
NEW_CODE_TITLES = {
    "行政相对人代码_1(统一社会信用代码)": "uscc",
    "行政相对人代码_2(工商注册号)": "business_registration",
    "行政相对人代码_3(组织机构代码)": "organization_code",
    "行政相对人代码_4(税务登记号)": "tax_registration",
    "行政相对人代码_5(事业单位证书号)": "institution_code",
    "行政相对人代码_6(社会组织登记证号)": "social_organization_code",
}  # fmt: skip


def _read_as(layout, header):
    found = map_header(layout, header)
    return found, {header[i]: key for key, indexes in found.columns.items() for i in indexes}


@pytest.mark.parametrize(
    ("layout", "titles"), [(PENALTIES, OLD_PENALTY_TITLES), (LICENCES, OLD_LICENCE_TITLES)]
)
def test_the_older_templates_chinese_titles(layout, titles):
    """R9: an older export with the template's Chinese titles is read as the older edition,
    each title into its field; none of its code columns is unknown."""
    found, read = _read_as(layout, list(titles))
    assert found.edition == "old" and not found.unknown and not found.repeated
    assert read == titles


@pytest.mark.parametrize("layout", [PENALTIES, LICENCES])
def test_the_current_templates_chinese_titles(layout):
    """R9: the current template's titles are the fields' labels, with its own code titles."""
    labels = [f.label for f in layout.fields if f.key not in NEW_CODE_TITLES.values()]
    header = [*labels, *NEW_CODE_TITLES]
    found, read = _read_as(layout, header)
    expected = {f.label: f.key for f in layout.fields} | NEW_CODE_TITLES
    assert found.edition == "new" and not found.unknown
    assert read == {name: expected[name] for name in header}


@pytest.mark.parametrize(
    ("edition", "meanings"),
    [
        ("new", {2: "business_registration", 3: "organization_code", 5: "institution_code",
                 6: "social_organization_code"}),
        ("old", {2: "organization_code", 3: "business_registration", 5: "person_id"}),
    ],
)  # fmt: skip
def test_a_bare_code_title_is_read_as_the_files_edition_reads_it(edition, meanings):
    """行政相对人代码_2 is the business registration number in the current template and the
    organisation code in the older one (R9): a title without its bracketed meaning is read by
    the edition the rest of the header is in."""
    rest = ["行政相对人类别", "违法事实"] if edition == "new" else ["处罚事由", "处罚结果"]
    codes = {f"行政相对人代码_{n}": key for n, key in meanings.items()}
    header = ["行政相对人名称", "行政相对人代码_1", "行政相对人代码_4", *codes, *rest]
    found, read = _read_as(PENALTIES, header)
    assert found.edition == edition and not found.unknown
    assert read["行政相对人代码_1"] == "uscc" and read["行政相对人代码_4"] == "tax_registration"
    assert {name: read[name] for name in codes} == codes


@pytest.mark.parametrize(
    ("title", "key"),
    [
        ("行政相对人代码_5（居民身份证号）", "person_id"),
        ("行政相对人代码_5 (居民身份证号)", "person_id"),
        ("行政相对人代码＿２（工商注册号）", "business_registration"),
        ("行政相对人代码_2 (组织机构代码)", "organization_code"),
        ("行政相对人代码_4(税务登记码)", "tax_registration"),
        ("没收违法所得、没收非法财物的金额(万元)", "confiscated"),
    ],
)
def test_a_code_title_is_read_with_full_width_brackets_or_spaces(title, key):
    """Exports write the template's brackets full-width or half-width, with or without a
    space before them; a bracketed meaning names its field in either edition's file."""
    for rest in (["行政相对人类别"], ["处罚结果"]):
        assert map_header(PENALTIES, [title, *rest]).columns[key] == (0,)


@pytest.mark.parametrize("layout", [PENALTIES, LICENCES, RECORDS])
def test_every_fields_own_label_is_recognised(layout):
    """A header written with the fields' own labels, as the import's messages name them, is in
    the format: no field is dropped as an unknown column, whatever the label's brackets."""
    for field in layout.fields:
        for label in (field.label, normalize_header(field.label)):
            assert map_header(layout, [label]).columns == {field.key: (0,)}, label


@pytest.mark.parametrize("layout", [PENALTIES, LICENCES, RECORDS])
def test_each_name_is_one_fields_in_each_edition(layout):
    """A name read as two fields by one edition would depend on the order of the layout."""
    for edition in ("new", "old"):
        fields: dict[str, str] = {}
        for field in layout.fields:
            own = field.new + field.new_titles if edition == "new" else field.old + field.old_titles
            for name in (*field.titles, *own):
                assert fields.setdefault(normalize_header(name), field.key) == field.key, name
