"""Why an imported row is refused: a stable code per reason, its message for the row and its
short name for the job's summary (R9, R13, 001 §14). Messages are Chinese and cite no
numbering of ours; a reader may quote the policy document they name. One code names no
refusal: ``recorded-by-another-department``, a row accepted whose decision another department
recorded, counted as already recorded and named in the report.
"""

from __future__ import annotations

MESSAGES = {
    "columns": "本行有{found}列，表头有{expected}列",
    "cell-too-large": (
        "“{column}”单元格长约{size}个字符，超过上限{limit}个字符，整行拒收（报告中已截断）"
    ),
    "csv-syntax": "CSV 格式错误：{detail}",
    "quote-unclosed": (
        "本行的引号（\"）到行末仍未闭合，与其后各行连读也不成一行完整的记录，整行拒收；"
        "其后各行已逐行单独读取"
    ),
    "control-character": "“{column}”含空字符（NUL），数据库无法保存，整行拒收（报告中以␀标出）",
    "lone-surrogate": (
        "“{column}”含无法保存的字符：JSON 转义写出的半个 UTF-16 代理对（如 \\ud800），"
        "不是任何文字，数据库无法保存，整行拒收（报告中以�标出）"
    ),
    "sensitive-field": (
        "含禁止采集的敏感个人信息（{topic}），整行拒收，该列内容未保存"
        "（湘政办发〔2021〕54号 第14项）"
    ),
    "excel-error": (
        "“{column}”单元格是 Excel 错误值 {value}，不是数据，也不能当作空白，整行拒收："
        "请修正该单元格（如其公式）后重新导入"
    ),
    "identifier-as-number": (
        "“{column}”是数值格式的单元格：超过15位的号码存为数值时，Excel 只保留前15位有效数字，"
        "其后各位已不是原号码，整行拒收：请将该列设置为文本格式，重新填写号码后导入"
    ),
    "required": "必填项“{column}”未填写",
    "too-long": "“{column}”超过{limit}个字符",
    "subject-kind-unknown": (
        "行政相对人类别“{value}”无法识别，应为法人及非法人组织、自然人或个体工商户"
    ),
    "person-id-type": "证件类型“{value}”不受理：自然人以公民身份号码标识，证件类型应为身份证",
    "uscc-missing": (
        "未填写统一社会信用代码（组织机构代码、工商登记码、税务登记号不能作为主体标识）"
    ),
    "uscc-is-citizen-id": (
        "统一社会信用代码栏填写的是公民身份号码，整行拒收，该号码未保存：请填写主体的"
        "统一社会信用代码；自然人请在证件类型和证件号码栏填写"
    ),
    "date-invalid": "“{column}”的日期“{value}”无法识别，应写作 YYYY-MM-DD",
    "date-future": "“{column}”{value}晚于业务日期{today}",
    "date-order": "“{column}”{value}早于决定日期{decided}",
    "date-before-start": "“{column}”{value}早于“{start_column}”{start}",
    "amount-invalid": "“{column}”的金额“{value}”无效：应为不小于0的数字，单位万元",
    "amount-too-large": "“{column}”的金额“{value}”超过上限：单位为万元，整数部分最多12位",
    "amount-too-precise": (
        "“{column}”的金额“{value}”超过6位小数：单位为万元，6位小数即1分，不作四舍五入，"
        "整行拒收"
    ),
    "penalty-type-unknown": "处罚类别“{value}”不在处罚种类表中",
    "tier-rule-missing": (
        "目录条目“{item}”的“{tier}”失信等级没有公示规则（该条目自己的和平台默认的都没有），"
        "无法确定公示和共享期限，整行拒收：请信用办补设该等级的公示规则后重新导入"
    ),
    "item-needs-own-import": (
        "目录条目“{value}”是{name}信息，须按双公示格式以“{name}”类别导入（含处罚类别、"
        "公示期限的校验），不能作为通用信用信息导入"
    ),
    "not-in-catalog": "目录编码“{value}”不在本部门可报送的公共信用信息目录中，不予归集",
    "catalog-subject-kind": "目录条目“{item}”不收录{kind}的信息，不予归集",
    "duplicate-in-file": "与本文件第{row}行是同一记录（部门、文书号、主体相同），重复行未入库",
    "recorded-decision-differs": (
        "本部门已以同一文书号对同一主体归集过一项决定，本行内容（目录条目、决定日期、处罚类别"
        "或罚款金额）与已归集的不同，整行拒收，已归集的记录未被覆盖：如已归集的决定有误，"
        "请通过异议申诉和记录更正程序更正"
    ),
    "decision-stated-revoked": (
        "本行“当前状态”表明该决定已撤销或无效，不是生效的决定，整行拒收，不予归集、公示："
        "如状态填写有误，请更正后重新报送"
    ),
    "recorded-decision-stated-revoked": (
        "本行“当前状态”表明该决定已撤销或无效，而平台已归集的该决定（文书号“{number}”）"
        "未被撤销，仍是有效的记录：导入不会撤销或改写已归集的记录，整行拒收。该决定确已撤销或"
        "无效的，请通过平台的异议核实程序撤销该记录（当事人提出异议，或由本部门登记其书面异议，"
        "核实成立后予以撤销），撤销后再次报送的本行即按已撤销的记录处理；状态填写有误的，"
        "请更正后重新报送"
    ),
    # Not a refusal: the row is accepted and counted as already recorded (``bulk``).
    "recorded-by-another-department": (
        "同一决定（文书号、行政相对人、决定日期和决定机关均相同）已由{department}归集，"
        "本行已接收，不再重复入库和公示，无需重新报送"
    ),
}  # fmt: skip

# ``columns`` for a row wider than the header. The header's width is its named columns: the
# readers leave out the blank names it ends in (a trailing delimiter, a sheet's empty columns),
# as they leave out a row's empty cells past it. Counted alone, "表头有25列" beside a header line
# of 26 cells, its last one blank, read as one column too few: the message says the count is of
# named columns and which column has text but no name.
PAST_THE_HEADER = (
    "本行有{found}列，表头只有前{expected}列有列名：第{position}列有内容，表头没有该列的列名"
)

# ``recorded-decision-differs`` for a row differing from a decision the platform corrected: the
# one first recorded under the number was found wrong on an objection and revoked (R6), and the
# right one recorded in its place. The department's own data, still as before, is sent again
# and again: the message says which record was corrected on the platform, and when.
CORRECTED_ON_THE_PLATFORM = (
    "文书号“{number}”对同一主体的决定已于{day}经异议核实在平台上更正：原记录已撤销，平台以"
    "其后报送的更正后的决定为准。本行内容（目录条目、决定日期、处罚类别或罚款金额）与更正后"
    "的记录不同，仍是更正前的内容，整行拒收，已归集的记录未被覆盖：请按更正后的决定更新本部门"
    "的数据，不再报送更正前的内容"
)

# ``recorded-decision-differs`` for a row of a decision another department recorded (the same
# document number, subject, decision date, catalog item and issuing body) that states another
# fine or other penalty types: the recorded one is not overwritten, nor the row hidden as
# recorded (R8).
DIFFERS_FROM_ANOTHER_DEPARTMENT = (
    "同一决定（文书号、行政相对人、决定日期、目录条目和决定机关均相同）已由{department}归集，"
    "本行内容（处罚类别或罚款金额）与已归集的不同，整行拒收，已归集的记录未被覆盖：请与"
    "{department}核对该决定，如已归集的决定有误，请通过异议申诉和记录更正程序更正"
)

# ``recorded-decision-differs`` for a row stating another end of publication than the decision
# recorded under its number (a penalty's 公示截止期, a licence's 有效期至), its window being worked
# out from it (R8, R9): the fields, each as "{label}为X，已归集的为Y" (``STATED_END_PART``).
STATED_END_DIFFERS = (
    "本部门已以同一文书号对同一主体归集过一项决定，本行所载{ends}，与已归集的决定不同（公示期限"
    "据此计算），整行拒收，已归集的记录及其公示期限未被覆盖：如已归集的决定有误，请通过异议申诉和"
    "记录更正程序更正"
)
STATED_END_PART = "{label}为{sent}，已归集的为{recorded}"
NOT_STATED = "空（未载明）"
# The same for a decision another department recorded (``DIFFERS_FROM_ANOTHER_DEPARTMENT``'s
# identity) stating another end than the row, or none where it states one (R8, R9).
STATED_END_DIFFERS_FROM_ANOTHER_DEPARTMENT = (
    "同一决定（文书号、行政相对人、决定日期、目录条目和决定机关均相同）已由{department}归集，"
    "本行所载{ends}，与已归集的不同（公示期限据此计算），整行拒收，已归集的记录及其公示期限未被"
    "覆盖：请与{department}核对该决定，如已归集的决定有误，请通过异议申诉和记录更正程序更正"
)

# ``recorded-by-another-department`` for a row of a decision another department recorded and the
# platform revoked on a founded objection (R6): accepted, as the department's own row of it
# sent again would be, and neither stored nor published again.
REVOKED_BY_ANOTHER_DEPARTMENT = (
    "同一决定（文书号、行政相对人、决定日期、目录条目和决定机关均相同）曾由{department}归集，"
    "已于{day}经异议核实在平台上撤销：本行已接收，不再入库和公示，无需重新报送。如该决定"
    "已更正，请报送更正后的决定"
)

# A short name for each reason, for the job's summary (rows quarantined by reason): the
# message says what is wrong with one row, the label names the kind of problem.
LABELS = {
    "columns": "列数与表头不符",
    "cell-too-large": "单元格内容超过上限",
    "csv-syntax": "CSV 格式错误",
    "quote-unclosed": "引号未闭合",
    "control-character": "含空字符（NUL）",
    "lone-surrogate": "含无法保存的字符（半个代理对）",
    "sensitive-field": "含禁止采集的敏感个人信息",
    "excel-error": "单元格为公式错误值（#N/A 等）",
    "identifier-as-number": "号码存为数值，无法完整保存",
    "required": "必填项未填写",
    "too-long": "内容超过长度上限",
    "subject-kind-unknown": "行政相对人类别无法识别",
    "person-id-type": "证件类型不受理",
    "uscc-missing": "未填写统一社会信用代码",
    "uscc-is-citizen-id": "统一社会信用代码栏填写了公民身份号码",
    "date-invalid": "日期无法识别",
    "date-future": "日期晚于业务日期",
    "date-order": "日期早于决定日期",
    "date-before-start": "有效期截止日期早于起始日期",
    "amount-invalid": "金额无效",
    "amount-too-large": "金额超过上限",
    "amount-too-precise": "金额小数位数过多",
    "penalty-type-unknown": "处罚类别不在处罚种类表中",
    "tier-rule-missing": "失信等级没有公示规则",
    "item-needs-own-import": "须按双公示格式导入的目录条目",
    "not-in-catalog": "目录编码不在本部门可报送的目录中",
    "catalog-subject-kind": "目录条目不收录该类主体",
    "duplicate-in-file": "与本文件中另一行重复",
    "recorded-decision-differs": "与已归集的同一决定内容不同",
    "recorded-by-another-department": "已由其他部门归集",
    "decision-stated-revoked": "决定已撤销或无效，不予归集",
    "recorded-decision-stated-revoked": "已归集的决定报送为撤销或无效",
}  # fmt: skip
# The identifier checks' codes (``xinyong.core.identifiers.MESSAGES``), which a row may be
# refused with too.
IDENTIFIER_LABELS = {
    "empty": "未填写证件号码",
    "unknown-format": "证件号码格式无法识别",
    "uscc-length": "统一社会信用代码位数不对",
    "uscc-charset": "统一社会信用代码含不允许的字符",
    "uscc-authority": "登记管理部门代码无效",
    "uscc-region": "登记管理机关行政区划码无效",
    "uscc-check-character": "统一社会信用代码校验码不符",
    "uscc-organization-code": "组织机构代码校验码不符",
    "uscc-organization-type-unknown": "机构类别代码未知",
    "uscc-region-unknown": "统一社会信用代码的行政区划代码未知",
    "ric-legacy-15": "15位旧版身份证号码不予受理",
    "ric-length": "公民身份号码位数不对",
    "ric-format": "公民身份号码格式不对",
    "ric-check-character": "公民身份号码校验码不符",
    "ric-region": "公民身份号码的省级行政区划代码无效",
    "ric-birth-date": "公民身份号码的出生日期无效",
    "ric-future-birth-date": "出生日期晚于业务日期",
    "ric-region-unknown": "公民身份号码的行政区划代码未知",
}  # fmt: skip


def reason_label(code: str) -> str:
    """The reason's short Chinese name; an unknown code (from an older release) as it is."""
    return LABELS.get(code) or IDENTIFIER_LABELS.get(code) or code
