"""The tables have exactly the rows and columns of the State Council format (国办公开办函〔2021〕30号)
and every answer a request can get has its row."""

from reports import format as fmt
from workflow.models import LegalGround, Outcome


def test_the_sections_of_the_report():
    assert fmt.SECTIONS == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]


def test_table_two_blocks_columns_and_rows():
    blocks = [
        (b.heading, [fmt.ITEM_CONTENT, *fmt.labels(b.columns)], fmt.labels(b.rows))
        for b in fmt.PROACTIVE_BLOCKS
    ]
    assert blocks == [
        (
            "第二十条第（一）项",
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", "行政规范性文件"],
        ),
        ("第二十条第（五）项", ["信息内容", "本年处理决定数量"], ["行政许可"]),
        ("第二十条第（六）项", ["信息内容", "本年处理决定数量"], ["行政处罚", "行政强制"]),
        ("第二十条第（八）项", ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费"]),
    ]


def test_table_three_columns():
    assert [c.path for c in fmt.REQUEST_COLUMNS] == [
        ("自然人",),
        ("法人或其他组织", "商业企业"),
        ("法人或其他组织", "科研机构"),
        ("法人或其他组织", "社会公益组织"),
        ("法人或其他组织", "法律服务机构"),
        ("法人或其他组织", "其他"),
        ("总计",),
    ]


def test_table_three_rows():
    # every label as it appears in the format, each merged group label once
    seen, flat = set(), []
    for row in fmt.REQUEST_ROWS:
        for level in range(len(row.path)):
            if row.path[: level + 1] not in seen:
                seen.add(row.path[: level + 1])
                flat.append(row.path[level])
    assert flat == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "三、本年度办理结果",
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（三）不予公开",
        "1.属于国家秘密",
        "2.其他法律行政法规禁止公开",
        "3.危及“三安全一稳定”",
        "4.保护第三方合法权益",
        "5.属于三类内部事务信息",
        "6.属于四类过程性信息",
        "7.属于行政执法案卷",
        "8.属于行政查询事项",
        "（四）无法提供",
        "1.本机关不掌握相关政府信息",
        "2.没有现成信息需要另行制作",
        "3.补正后申请内容仍不明确",
        "（五）不予处理",
        "1.信访举报投诉类申请",
        "2.重复申请",
        "3.要求提供公开出版物",
        "4.无正当理由大量反复申请",
        "5.要求行政机关确认或重新出具已获取信息",
        "（六）其他处理",
        "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        "3.其他",
        "（七）总计",
        "四、结转下年度继续办理",
    ]


def test_table_four_columns():
    assert [c.path for c in fmt.APPEAL_COLUMNS] == [
        ("行政复议", "结果维持"),
        ("行政复议", "结果纠正"),
        ("行政复议", "其他结果"),
        ("行政复议", "尚未审结"),
        ("行政复议", "总计"),
        *[
            ("行政诉讼", group, result)
            for group in ("未经复议直接起诉", "复议后起诉")
            for result in ("结果维持", "结果纠正", "其他结果", "尚未审结", "总计")
        ],
    ]


def test_every_outcome_and_every_ground_reason_has_a_row():
    # given the outcomes a request can be closed with
    mapped = set(fmt.OUTCOME_ROWS) | {fmt.NOT_DISCLOSED}
    # then each of them lands in a result row (not disclosed through its ground's reason)
    assert mapped == set(Outcome.values)
    assert set(fmt.OUTCOME_ROWS.values()) <= set(fmt.RESULT_ROWS)
    assert set(LegalGround.ReportReason.values) == set(fmt.WITHHELD_ROWS)
    assert set(fmt.WITHHELD_ROWS) <= set(fmt.RESULT_ROWS)
    # and the special statutes count as administrative inquiry matters (8.属于行政查询事项)
    assert fmt.OUTCOME_ROWS["special_statute"] == "inquiry"
