"""The State Council format of the annual report (国办公开办函〔2021〕30号), Regulation Arts. 49-50.

These labels are the format itself: fixed official wording, printed as they stand in every
language, so they are Chinese literals here and never go through gettext. Rows and columns carry
a key the counts are stored under (and frozen in a report's snapshot); a label is a path from the
outermost merged cell to the row's own cell, so the page, the Word file and the workbook can all
merge the cells the format merges.
"""

from dataclasses import dataclass

REPORT_CATEGORY = "政府信息公开年度报告"

# Titles of the published items, e.g. 示范区民政局2026年政府信息公开工作年度报告; the district's own
# report is published in the name of the district government (区人民政府).
TITLE_FORMAT = "{owner}{year}年政府信息公开工作年度报告"
SUMMARY_FORMAT = "{owner}{year}年政府信息公开工作情况（依据《中华人民共和国政府信息公开条例》第四十九条、第五十条）"
DISTRICT_OWNER_FORMAT = "{district}人民政府"
UNIT_OWNER_FORMAT = "{district}{unit}"

SECTION_OVERVIEW = "一、总体情况"
SECTION_PROACTIVE = "二、主动公开政府信息情况"
SECTION_REQUESTS = "三、收到和处理政府信息公开申请情况"
SECTION_APPEALS = "四、政府信息公开行政复议、行政诉讼情况"
SECTION_PROBLEMS = "五、存在的主要问题及改进情况"
SECTION_OTHER = "六、其他需要报告的事项"
SECTIONS = [
    SECTION_OVERVIEW,
    SECTION_PROACTIVE,
    SECTION_REQUESTS,
    SECTION_APPEALS,
    SECTION_PROBLEMS,
    SECTION_OTHER,
]


@dataclass(frozen=True)
class Line:
    """A row (or column) of a table: its key and the path of labels of the cells it sits under."""

    key: str
    path: tuple[str, ...]

    @property
    def label(self) -> str:
        return self.path[-1]


# --- 二、主动公开政府信息情况 ----------------------------------------------------------------

ITEM_CONTENT = "信息内容"


@dataclass(frozen=True)
class ProactiveBlock:
    """One block of table 二: the article it answers, its value columns and its rows."""

    key: str
    heading: str
    columns: tuple[Line, ...]
    rows: tuple[Line, ...]


PROACTIVE_BLOCKS = (
    ProactiveBlock(
        "art20_1",
        "第二十条第（一）项",
        (
            Line("made", ("本年制发件数",)),
            Line("repealed", ("本年废止件数",)),
            Line("in_force", ("现行有效件数",)),
        ),
        (Line("regulation", ("规章",)), Line("normative", ("行政规范性文件",))),
    ),
    ProactiveBlock(
        "art20_5",
        "第二十条第（五）项",
        (Line("decisions", ("本年处理决定数量",)),),
        (Line("licensing", ("行政许可",)),),
    ),
    ProactiveBlock(
        "art20_6",
        "第二十条第（六）项",
        (Line("decisions", ("本年处理决定数量",)),),
        (Line("punishment", ("行政处罚",)), Line("coercion", ("行政强制",))),
    ),
    ProactiveBlock(
        "art20_8",
        "第二十条第（八）项",
        (Line("amount", ("本年收费金额（单位：万元）",)),),
        (Line("fees", ("行政事业性收费",)),),
    ),
)
# The figures of blocks (五), (六) and (八) come from other systems: the report's own fields.
HAND_FIGURES = {
    "licensing": "licensing_decisions",
    "punishment": "punishment_decisions",
    "coercion": "coercion_decisions",
    "fees": "fee_amount",
}

# --- 三、收到和处理政府信息公开申请情况 --------------------------------------------------------

APPLICANTS = "申请人情况"
NATURAL_PERSON = "自然人"
ORGANISATIONS = "法人或其他组织"
TOTAL = "总计"
CHECK_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"

REQUEST_COLUMNS = (
    Line("natural_person", (NATURAL_PERSON,)),
    Line("commercial", (ORGANISATIONS, "商业企业")),
    Line("research", (ORGANISATIONS, "科研机构")),
    Line("public_interest", (ORGANISATIONS, "社会公益组织")),
    Line("legal_services", (ORGANISATIONS, "法律服务机构")),
    Line("other", (ORGANISATIONS, "其他")),
    Line("total", (TOTAL,)),
)
ORGANISATION_COLUMNS = ("commercial", "research", "public_interest", "legal_services", "other")

NEW = "new"
CARRIED_OVER = "carried_over"
HANDLED_TOTAL = "handled_total"
CARRIED_FORWARD = "carried_forward"

_RESULTS = "三、本年度办理结果"
_WITHHELD = "（三）不予公开"
_UNABLE = "（四）无法提供"
_NOT_PROCESSED = "（五）不予处理"
_OTHER = "（六）其他处理"

REQUEST_ROWS = (
    Line(NEW, ("一、本年新收政府信息公开申请数量",)),
    Line(CARRIED_OVER, ("二、上年结转政府信息公开申请数量",)),
    Line("disclosed", (_RESULTS, "（一）予以公开")),
    Line(
        "partly_disclosed", (_RESULTS, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
    ),
    Line("state_secret", (_RESULTS, _WITHHELD, "1.属于国家秘密")),
    Line("prohibited", (_RESULTS, _WITHHELD, "2.其他法律行政法规禁止公开")),
    Line("security", (_RESULTS, _WITHHELD, "3.危及“三安全一稳定”")),
    Line("third_party", (_RESULTS, _WITHHELD, "4.保护第三方合法权益")),
    Line("internal", (_RESULTS, _WITHHELD, "5.属于三类内部事务信息")),
    Line("process", (_RESULTS, _WITHHELD, "6.属于四类过程性信息")),
    Line("enforcement_file", (_RESULTS, _WITHHELD, "7.属于行政执法案卷")),
    Line("inquiry", (_RESULTS, _WITHHELD, "8.属于行政查询事项")),
    Line("not_held", (_RESULTS, _UNABLE, "1.本机关不掌握相关政府信息")),
    Line("needs_compilation", (_RESULTS, _UNABLE, "2.没有现成信息需要另行制作")),
    Line("still_unclear", (_RESULTS, _UNABLE, "3.补正后申请内容仍不明确")),
    Line("petition", (_RESULTS, _NOT_PROCESSED, "1.信访举报投诉类申请")),
    Line("repeated", (_RESULTS, _NOT_PROCESSED, "2.重复申请")),
    Line("publication", (_RESULTS, _NOT_PROCESSED, "3.要求提供公开出版物")),
    Line("excessive", (_RESULTS, _NOT_PROCESSED, "4.无正当理由大量反复申请")),
    Line("reconfirm", (_RESULTS, _NOT_PROCESSED, "5.要求行政机关确认或重新出具已获取信息")),
    Line(
        "abandoned",
        (_RESULTS, _OTHER, "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ),
    Line(
        "fee_unpaid",
        (
            _RESULTS,
            _OTHER,
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ),
    ),
    Line("other_handling", (_RESULTS, _OTHER, "3.其他")),
    Line(HANDLED_TOTAL, (_RESULTS, "（七）总计")),
    Line(CARRIED_FORWARD, ("四、结转下年度继续办理",)),
)
# The rows an answer counts in: every row of 三、本年度办理结果 except its total.
RESULT_ROWS = tuple(r.key for r in REQUEST_ROWS if r.path[0] == _RESULTS and r.key != HANDLED_TOTAL)

# Outcome of a request (workflow.models.Outcome) -> its row. NOT_DISCLOSED is placed by the
# legal ground's `report_reason` (the row keys of 不予公开 are those reasons).
OUTCOME_ROWS = {
    "disclosed": "disclosed",
    "already_public": "disclosed",
    "partly_disclosed": "partly_disclosed",
    "special_statute": "inquiry",
    "not_held": "not_held",
    "not_competent": "not_held",
    "needs_compilation": "needs_compilation",
    "still_unclear": "still_unclear",
    "petition": "petition",
    "repeated": "repeated",
    "publication": "publication",
    "excessive": "excessive",
    "reconfirm": "reconfirm",
    "abandoned": "abandoned",
    "fee_unpaid": "fee_unpaid",
    "other": "other_handling",
}
NOT_DISCLOSED = "not_disclosed"
WITHHELD_ROWS = (
    "state_secret",
    "prohibited",
    "security",
    "third_party",
    "internal",
    "process",
    "enforcement_file",
    "inquiry",
)

# --- 四、政府信息公开行政复议、行政诉讼情况 ----------------------------------------------------

RECONSIDERATION = "行政复议"
LITIGATION = "行政诉讼"
APPEAL_GROUPS = (
    Line("reconsideration", (RECONSIDERATION,)),
    Line("litigation_direct", (LITIGATION, "未经复议直接起诉")),
    Line("litigation_after_reconsideration", (LITIGATION, "复议后起诉")),
)
APPEAL_RESULTS = (
    Line("upheld", ("结果维持",)),
    Line("corrected", ("结果纠正",)),
    Line("other", ("其他结果",)),
    Line("pending", ("尚未审结",)),
    Line("total", (TOTAL,)),
)
APPEAL_COLUMNS = tuple(
    Line(f"{group.key}.{result.key}", (*group.path, result.label))
    for group in APPEAL_GROUPS
    for result in APPEAL_RESULTS
)


def labels(lines) -> list[str]:
    return [line.label for line in lines]


# --- 六、其他需要报告的事项: the information processing fee ---------------------------------------
# The format asks section 六 to report the fees charged under 《政府信息公开信息处理费管理办法》;
# the figures come from the requests' fee records (workflow.FeeNotice), paid in the year.
FEE_SENTENCE = (
    "本年度依据《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）发出收费通知{notices}件，"
    "收取信息处理费{amount}元（{paid}件）。"
)
NO_FEE_SENTENCE = "本年度未收取信息处理费。"
