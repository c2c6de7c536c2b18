"""What subjects, officers and reporters write in the demo's objections, repairs and reports.

Data, in Chinese, as a department's files would read; ``{title}`` is the record's title (the
illegal act of a penalty). File names are what a subject would call its scans; the captions go
inside the generated PDFs, whose standard font has no Chinese.
"""

from __future__ import annotations

from xinyong.remedies.models import MaterialKind

# -- objections (R6) -----------------------------------------------------------------------------

UNFOUNDED_GROUNDS = (
    "认定所依据的违法事实与我公司实际情况不符：涉案行为系合作方以我公司名义实施，我公司事先"
    "并不知情。现提交合作协议及双方往来记录，请求重新核实。"
)
UNFOUNDED_FINDING = (
    "经调取原案卷宗、合作协议及往来记录并询问相关人员核实，涉案行为由你公司组织实施并从中"
    "获利，原认定事实清楚、证据确凿、程序合法，异议理由不能成立。"
)
FOUNDED_GROUNDS = (
    "列入所依据的行政处罚决定已被行政复议机关撤销，列入依据已不存在。现提交行政复议决定书，"
    "请求更正并移出名单。"
)
FOUNDED_FINDING = (
    "经核实，作为列入依据的行政处罚决定已于行政复议中被撤销，列入依据不复存在，原认定有误，"
    "异议成立。"
)
OPEN_GROUNDS = (
    "认定所依据的违法行为发生在我单位承租经营场所之前，系原经营者所为，与我单位无关。现提交"
    "房屋租赁合同、场所交接记录及原经营者的注销证明，请求核实并更正。"
)
OBJECTION_FILES = (
    ("行政复议决定书.pdf", "Decision of administrative reconsideration"),
    ("现场照片.png", ""),
)
OPEN_OBJECTION_FILES = (
    ("房屋租赁合同.pdf", "Lease contract of the business premises"),
    ("场所交接记录.pdf", "Handover record of the premises"),
)
UNFOUNDED_FILES = (
    ("合作协议.pdf", "Cooperation agreement"),
    ("往来记录.pdf", "Correspondence with the partner"),
)

# -- credit repair (R8) -----------------------------------------------------------------------
# Materials by kind: proof of fulfilment and the credit commitment are required, the training
# record optional (001 §11).

ENTRY_MATERIALS = {
    MaterialKind.FULFILMENT: (("罚款缴纳凭证.pdf", "Receipt of the fine paid"),
                              ("整改完成报告.pdf", "Report of the corrections made")),
    MaterialKind.COMMITMENT: (("信用承诺书.pdf", "Credit commitment, signed and sealed"),),
    MaterialKind.TRAINING: (("信用修复培训证明.png", ""),),
}  # fmt: skip
SHORT_MATERIALS = {
    MaterialKind.FULFILMENT: (("罚款缴纳凭证.pdf", "Receipt of the fine paid"),),
    MaterialKind.COMMITMENT: (("信用承诺书.pdf", "Credit commitment (unsealed)"),),
}
RECORD_MATERIALS = {
    MaterialKind.FULFILMENT: (("罚款缴纳凭证.pdf", "Receipt of the fine paid"),
                              ("复查合格意见书.pdf", "Re-inspection passed")),
    MaterialKind.COMMITMENT: (("信用承诺书.pdf", "Credit commitment, signed and sealed"),),
}  # fmt: skip

PENDING_CORRECTED = (
    "已全额缴纳罚款，完成自查整改，建立合规经营和内部审核制度，签署信用承诺书，"
    "并参加了市场监管部门组织的信用修复专题培训。"
)
FIRST_CORRECTED = "已缴纳全部罚款，整改工作正在进行中。"
FIRST_REJECTED = (
    "申请材料不全：未提交整改完成情况的证明材料，信用承诺书未加盖单位公章。请补正材料后重新申请。"
)
SECOND_CORRECTED = (
    "已缴清罚款，完成全部整改并通过主管部门现场复查，签署信用承诺书并在“信用浙江”网站公开，"
    "负责人参加了信用修复培训。"
)
ENTRY_ACCEPTED = (
    "经审核，申请人已履行处罚决定规定的义务，失信行为已纠正，提交的信用承诺书符合要求，"
    "符合信用修复条件，准予修复，提前移出名单。"
)
RECORD_FIRST_CORRECTED = "已就“{title}”的违法行为缴纳罚款并完成整改。"
RECORD_FIRST_REJECTED = (
    "提交的罚款缴纳凭证所载决定书文号与本行政处罚决定书不一致，无法确认已履行处罚决定。"
    "请补正后重新申请。"
)
RECORD_SECOND_CORRECTED = (
    "已按行政处罚决定书缴清罚款，就“{title}”的违法行为完成整改并经复查合格，签署信用承诺书。"
)
RECORD_ACCEPTED = (
    "经核查，申请人已全面履行行政处罚决定，最短公示期已满，提交的信用承诺书符合要求，"
    "准予信用修复，自即日起停止公示、停止共享。"
)

# -- reports on red-list entries (R7) ---------------------------------------------------------

UNFOUNDED_REPORT = (
    "该单位在分包工程款结算中长期拖欠款项，多次催告仍未支付，与其红名单荣誉不符，请予核查。",
    "分包合同及催款函复印件，可按要求提供原件。",
    "经调取合同履约台账并询问双方当事人，所涉款项系双方结算争议，已通过诉讼程序解决，"
    "不属于失信行为，举报不成立，该主体继续保留在名单中。",
)
FOUNDED_REPORT = (
    "该单位今年因发布虚假广告被市场监管部门立案查处并处以罚款，已不符合名单认定标准中"
    "“无不良信用记录”的条件。",
    "“信用浙江”网站公示的行政处罚决定书截图。",
    "经核实，该单位在认定有效期内受到行政处罚，不再符合认定标准，举报属实，移出名单。",
)
OPEN_REPORT = (
    "该单位近两个月未按时足额发放员工工资，已有多名员工向劳动保障监察部门投诉，请核查其是否"
    "仍符合红名单条件。",
    "工资条及投诉受理回执照片。",
)

# -- objections to credit records (R6) ---------------------------------------------------------

RECORD_OBJECTION_GROUNDS = (
    "公示的违法事实与行政处罚决定书原文不一致：决定书载明我单位已在检查当场改正，公示信息漏记"
    "了这一情节。现提交处罚决定书及现场检查笔录，请求核实并更正。"
)
RECORD_OBJECTION_FILES = (
    ("行政处罚决定书.pdf", "Decision of administrative penalty"),
    ("现场检查笔录.pdf", "Record of the on-site inspection"),
)
RECORD_OBJECTION_FINDING = (
    "经核对行政处罚决定书和现场检查笔录，公示的违法事实漏记当事人当场改正的情节，异议成立，"
    "予以更正。"
)
RECORD_CORRECTED_SUFFIX = "当事人已在检查当场改正。"
PAPER_OBJECTION_GROUNDS = (
    "书面异议：公示的许可内容漏列了许可决定书载明的冷链配送项目，请核实后更正公示内容。"
    "（窗口收件，纸质材料三份）"
)

# -- requests to leave a red list (R4, 000 §十.2) ------------------------------------------------

LEAVING_STATEMENT = (
    "本公司因经营战略调整，不再参与守合同重信用企业评价，现主动申请退出浙江省守合同重信用企业"
    "名单，相关激励措施不再享受。"
)
LEFT_STATEMENT = (
    "本公司已停止原有业务并将办理歇业，申请将本公司从浙江省守合同重信用企业名单中删除。"
)
EXPIRED_STATEMENT = "本公司已不再从事合同相关经营活动，申请退出浙江省守合同重信用企业名单。"
EXIT_ON_REQUEST_NOTE = "依当事人主动申请，将其从浙江省守合同重信用企业名单中删除。"
