"""The confidentiality scanner: the hand-labelled corpus, then each detector with its near-misses.

The check digits here are computed by helpers of this module, not by the scanner's own, so a bug
in the scanner's checksum cannot confirm itself."""

import datetime as dt
import itertools
import json
import random
import time
from collections import Counter
from pathlib import Path

import pytest

from review.scanner import Finding, Kind, NegativeTerm, scan_text

CORPUS = Path(__file__).parent / "corpus"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
CORPUS_TERMS = [NegativeTerm(**t) for t in EXPECTED["negative_terms"]]


def corpus_text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def id_with_check(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return (
        first17 + "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]
    )


def luhn_complete(partial: str) -> str:
    """`partial` plus the digit that makes it pass the Luhn check."""
    for check in "0123456789":
        digits = [int(c) for c in reversed(partial + check)]
        total = sum(
            d if i % 2 == 0 else (d * 2 - 9 if d > 4 else d * 2) for i, d in enumerate(digits)
        )
        if total % 10 == 0:
            return partial + check
    raise AssertionError("unreachable")


def found(text: str, kind: Kind | None = None, **kwargs) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in scan_text(text, **kwargs) if kind is None or f.kind == kind]


def texts(text: str, kind: Kind, **kwargs) -> list[str]:
    return [t for _, t in found(text, kind, **kwargs)]


def check_invariants(text: str, findings: list[Finding]) -> None:
    for f in findings:
        assert text[f.start : f.end] == f.text
        assert 0 <= f.start < f.end <= len(text)
        assert f.kind in Kind.values
        assert 0 < f.confidence <= 1
    assert findings == sorted(findings, key=lambda f: (f.start, f.kind, f.end))
    by_kind: dict[str, list[Finding]] = {}
    for f in findings:
        by_kind.setdefault(f.kind, []).append(f)
    for same in by_kind.values():
        for a, b in itertools.pairwise(same):
            assert a.end <= b.start, f"overlapping {a} and {b}"


# --- the corpus -----------------------------------------------------------------------------


def test_corpus_is_complete():
    files = sorted(p.name for p in CORPUS.glob("*.txt"))
    assert len(files) >= 12
    assert files == sorted(EXPECTED["files"])
    for name, items in EXPECTED["files"].items():
        # "occurrence" numbers the repeats of one (kind, text) in reading order: 1, 2, ...
        counts = Counter((i["kind"], i["text"]) for i in items)
        for key, n in counts.items():
            numbers = sorted(i.get("occurrence", 1) for i in items if (i["kind"], i["text"]) == key)
            assert numbers == list(range(1, n + 1)), (name, key)


@pytest.mark.parametrize("name", sorted(EXPECTED["files"]))
def test_corpus_file(name):
    text = corpus_text(name)
    findings = scan_text(text, negative_terms=CORPUS_TERMS)
    check_invariants(text, findings)
    got = Counter((f.kind, f.text) for f in findings)
    want = Counter((i["kind"], i["text"]) for i in EXPECTED["files"][name])
    assert got - want == Counter(), "found but not expected"
    assert want - got == Counter(), "expected but not found"


def test_corpus_findings_in_reading_order():
    # expected.json lists each file's findings in reading order; the scanner sorts by start.
    for name, items in EXPECTED["files"].items():
        findings = scan_text(corpus_text(name), negative_terms=CORPUS_TERMS)
        assert [(f.kind, f.text) for f in findings] == [(i["kind"], i["text"]) for i in items]


def test_offsets_hold_on_random_cuts_of_the_corpus():
    # Property-style: any cut and splice of real text keeps the offset and overlap invariants,
    # also where a cut splits a number, a mark or an address.
    rng = random.Random(20240312)
    sources = [corpus_text(n) for n in sorted(EXPECTED["files"])]
    for _ in range(200):
        pieces = []
        for _ in range(rng.randint(1, 4)):
            src = rng.choice(sources)
            a = rng.randrange(len(src))
            pieces.append(src[a : a + rng.randint(1, 400)])
        text = rng.choice(["", "\n", " ", "，"]).join(pieces)
        check_invariants(text, scan_text(text, negative_terms=CORPUS_TERMS))


def test_empty_text():
    assert scan_text("") == []
    assert scan_text("", negative_terms=[NegativeTerm("维稳")]) == []


def test_findings_sorted_by_start_then_kind():
    text = f"密级：机密★10年 身份证号{VALID_ID} 邮箱a@example.cn"
    findings = scan_text(text, negative_terms=[NegativeTerm("密级")])
    assert [(f.start, f.kind) for f in findings] == sorted((f.start, f.kind) for f in findings)
    assert {f.kind for f in findings} == {
        Kind.CLASSIFICATION_MARK,
        Kind.NEGATIVE_LIST,
        Kind.ID_NUMBER,
        Kind.EMAIL,
    }


def test_100_kb_scans_well_under_a_second():
    corpus = "\n".join(corpus_text(n) for n in sorted(EXPECTED["files"]))
    text = corpus * (100_000 // len(corpus.encode()) + 1)
    terms = [*CORPUS_TERMS, *(NegativeTerm(f"敏感词{i}") for i in range(100))]
    started = time.perf_counter()
    findings = scan_text(text, negative_terms=terms)
    assert time.perf_counter() - started < 1.0
    assert len(findings) > 300


# --- classification marks -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mark", "level", "min_confidence"),
    [
        ("机密★10年\n关于……的请示", "机密★10年", "机密", 0.9),
        ("秘密★长期", "秘密★长期", "秘密", 0.9),
        ("绝密★\n", "绝密★", "绝密", 0.9),
        ("右上角标注 机密☆5年 字样的文件", "机密☆5年", "机密", 0.9),
        ("秘密*1年", "秘密*1年", "秘密", 0.9),
        ("秘密★2030年12月31日", "秘密★2030年12月31日", "秘密", 0.9),
        ("密级：机密\n", "密级：机密", "机密", 0.9),
        ("密级: 秘密★6个月", "密级: 秘密★6个月", "秘密", 0.9),
        ("附件【机密】另行传达", "【机密】", "机密", 0.9),
        ("（秘密）", "（秘密）", "秘密", 0.9),
        ("〔绝密〕", "〔绝密〕", "绝密", 0.9),
        ("会议材料（机密级）会后收回", "（机密级）", "机密", 0.9),
        ("本件属机密级，阅后收回", "本件属机密级", "机密", 0.8),
        ("绝密\n关于……", "绝密", "绝密", 0.7),
        ("\n　机密文件　\n", "机密文件", "机密", 0.7),
        ("秘密级\r\n正文", "秘密级", "秘密", 0.7),
        ("机密    清溪区保密委员会办公室文件", "机密", "机密", 0.6),
    ],
)
def test_classification_mark(text, mark, level, min_confidence):
    [finding] = [f for f in scan_text(text) if f.kind == Kind.CLASSIFICATION_MARK]
    assert (finding.text, finding.detail) == (mark, level)
    assert min_confidence <= finding.confidence <= 1


def test_bare_mark_in_header_position_is_less_confident_than_a_starred_mark():
    [bare] = scan_text("机密\n正文")
    [starred] = scan_text("机密★10年\n正文")
    assert 0.5 <= bare.confidence <= 0.7 < 0.9 <= starred.confidence


@pytest.mark.parametrize(
    "text",
    [
        "会议采取无记名秘密投票方式进行民主推荐。",
        "秘密投票结果当场宣布。",
        "涉及商业秘密的内容应予标注。",
        "各单位要依法保守国家秘密。",
        "国家秘密的密级分为绝密、机密、秘密三级。",
        "绝密级国家秘密是最重要的国家秘密。",
        "连修水库用了多少方土都要秘密地记下来。",
        "档案工作讲究机密性。",
        "档案馆陆续揭秘了一批老照片，大家觉得很神秘。",
        "“这袋材料当年可算是‘绝密档案’了，”他笑着说。",
        "严禁将机密文件带离会场。",
        "凡标注“机密★10年”“秘密★长期”等密级标志的文件，一律不得公开。",
        "对未标注密级但内容可能涉及国家秘密的，从严处理。",
        "【工作秘密】",
        "机密性\n",
        "秘密地\n",
    ],
)
def test_prose_is_not_a_classification_mark(text):
    assert texts(text, Kind.CLASSIFICATION_MARK) == []


def test_one_finding_for_a_label_with_a_starred_level():
    [finding] = scan_text("密级：机密★10年")
    assert (finding.text, finding.detail, finding.confidence) == ("密级：机密★10年", "机密", 0.95)


# --- work secrets ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("工作秘密，注意保管", "工作秘密，注意保管"),
        ("【工作秘密】", "【工作秘密】"),
        ("【工作秘密，注意保管】", "【工作秘密，注意保管】"),
        ("工作秘密\n关于……的请示", "工作秘密"),
        ("本件属工作秘密，请注意保管，不得对外公开。", "本件属工作秘密，请注意保管"),
        ("此件为工作秘密。", "此件为工作秘密"),
        ("密级：工作秘密", "密级：工作秘密"),
        ("工作秘密★", "工作秘密★"),
    ],
)
def test_work_secret(text, mark):
    assert texts(text, Kind.WORK_SECRET) == [mark]
    assert texts(text, Kind.CLASSIFICATION_MARK) == []


def test_work_secret_followed_by_do_not_pass_on_is_two_findings():
    assert found("工作秘密，不得外传") == [
        (Kind.WORK_SECRET, "工作秘密"),
        (Kind.INTERNAL_MARKING, "不得外传"),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "各单位应当依法保守工作秘密。",
        "涉及工作秘密的信息不予公开。",
        "加强工作秘密管理，完善工作秘密的确定程序。",
    ],
)
def test_work_secret_in_prose_is_not_reported(text):
    assert found(text) == []


# --- internal markings ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("内部资料  注意保存\n", "内部资料  注意保存"),
        ("仅供内部参考，请勿外传", "仅供内部参考，请勿外传"),
        ("本简报仅限内部交流，不得外传。", "仅限内部交流，不得外传"),
        ("本资料供内部使用", "内部使用"),
        ("内部★\n清溪区信访工作简报", "内部★"),
        ("【内部资料 注意保存】", "【内部资料 注意保存】"),
        ("（内部）", "（内部）"),
        ("【内部】", "【内部】"),
        ("内部\n第16期", "内部"),
        ("此件不得翻印", "不得翻印"),
        ("严禁外传", "严禁外传"),
        ("他提供的物业公司内部文件", "内部文件"),
        ("属于内部事项", "内部事项"),
    ],
)
def test_internal_marking(text, mark):
    assert texts(text, Kind.INTERNAL_MARKING) == [mark]


@pytest.mark.parametrize(
    "text",
    [
        "健全内部控制制度。",
        "加强单位内部管理。",
        "开展内部审计，出具内部审计报告。",
        "内部工作流程等方面的内部事务信息可以不予公开。",
        "完善内部文件管理制度。",
        "单位内部使用的车辆。",
        "请注意保存好收据。",
        "依法不得对外公开的信息。",
    ],
)
def test_internal_in_prose_is_not_reported(text):
    assert texts(text, Kind.INTERNAL_MARKING) == []


def test_weak_internal_words_are_less_confident():
    [strong] = scan_text("仅供内部使用")
    [weak] = scan_text("内部事项")
    assert weak.confidence <= 0.5 < 0.8 <= strong.confidence


# --- resident ID numbers --------------------------------------------------------------------

VALID_ID = id_with_check("11010519491231002")  # ends in X
VALID_IDS = [
    id_with_check(f"{region}{born}{seq}")
    for region, born, seq in [
        ("110105", "19600212", "491"),
        ("440305", "19460127", "244"),
        ("370202", "20000511", "604"),
        ("650102", "19991231", "007"),
    ]
]


def test_valid_ids_are_reported():
    assert VALID_ID.endswith("X")
    for number in [VALID_ID, VALID_ID.lower(), *VALID_IDS]:
        [finding] = scan_text(f"身份证号码：{number}。")
        assert (finding.kind, finding.text) == (Kind.ID_NUMBER, number)
        assert finding.confidence >= 0.9


def test_an_id_with_any_one_digit_changed_is_not_reported():
    # MOD 11-2 catches every single-digit error; each of these would be a false positive.
    number = VALID_IDS[0]
    variants = [
        number[:i] + d + number[i + 1 :]
        for i in range(18)
        for d in "0123456789X"
        if d != number[i] and (d != "X" or i == 17)
    ]
    assert len(variants) == 17 * 9 + 10
    for variant in variants:
        assert texts(f"身份证号码：{variant}", Kind.ID_NUMBER) == [], variant


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("11010519491231002", id="17 digits"),
        pytest.param(f"{VALID_ID[:17]}0", id="wrong check digit"),
        pytest.param(f"流水号9{VALID_IDS[0]}", id="inside a longer run"),
        pytest.param(f"{VALID_IDS[0]}7", id="followed by a digit"),
        pytest.param(f"NO{VALID_IDS[0]}", id="after letters"),
        pytest.param(f"{VALID_IDS[0]}AB", id="before letters"),
        pytest.param("3201**********9290", id="masked"),
        pytest.param(id_with_check("19010519600212491"), id="no such province"),
        pytest.param(id_with_check("11010518991231002"), id="born before 1900"),
        pytest.param(id_with_check("11010519600230002"), id="30 February"),
        pytest.param(
            id_with_check(f"110105{dt.date.today().year + 1}0101002"),  # noqa: DTZ011
            id="born next year",
        ),
    ],
)
def test_id_near_misses(text):
    assert texts(text, Kind.ID_NUMBER) == []


def test_id_grouped_6_8_4_and_full_width():
    number = VALID_IDS[1]
    grouped = f"{number[:6]} {number[6:14]} {number[14:]}"
    assert texts(f"证件号 {grouped}", Kind.ID_NUMBER) == [grouped]
    full_width = number.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert texts(full_width, Kind.ID_NUMBER) == [full_width]


def test_old_15_digit_id_only_when_labelled():
    old = "110105600212491"  # 1960-02-12
    [finding] = scan_text(f"身份证号：{old}")
    assert (finding.kind, finding.text) == (Kind.ID_NUMBER, old)
    assert finding.confidence <= 0.5
    assert scan_text(f"档案编号{old}") == []
    assert scan_text("身份证号：110105601312491") == []  # month 13


# --- mobile numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("手机13907551234。", "13907551234"),
        ("电话：186-2501-3377", "186-2501-3377"),
        ("手机：138 0571 2468）", "138 0571 2468"),
        ("+8613907551234", "+8613907551234"),
        ("+86 139-1234-5678", "+86 139-1234-5678"),
        ("86-13907551234", "86-13907551234"),
        ("0086 13907551234", "0086 13907551234"),
        ("联系电话：（+86）17751234567", "（+86）17751234567"),
        ("１９９１２３４８７６５", "１９９１２３４８７６５"),
        ("12345678 13912345678", "13912345678"),
    ],
)
def test_mobile(text, number):
    assert texts(text, Kind.MOBILE) == [number]


def test_two_mobiles_separated_by_a_slash():
    assert texts("电话：13812345678/13912345678", Kind.MOBILE) == ["13812345678", "13912345678"]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("订单号202403121381234567801", id="order number"),
        pytest.param("准考证号1391020240315", id="13-digit exam number"),
        pytest.param("缴款码：1381234567801234", id="16-digit payment code"),
        pytest.param("1381234567", id="10 digits"),
        pytest.param("12812345678", id="second digit 2"),
        pytest.param("No.13812345678", id="after No."),
        pytest.param("DD-2024-13812345678", id="tail of a compound code"),
        pytest.param("13812345678-01", id="head of a compound code"),
        pytest.param("http://example.cn/a?id=13812345678&b=1", id="URL parameter"),
        pytest.param("138-1234 5678", id="mixed separators"),
        pytest.param("0571-86081234", id="landline"),
        pytest.param("区政办发〔2024〕12号", id="document number"),
        pytest.param(VALID_IDS[0], id="inside an ID"),
    ],
)
def test_mobile_near_misses(text):
    assert texts(text, Kind.MOBILE) == []


def test_mobile_as_mailbox_name_is_the_email_only():
    assert found("13812345678@139.com") == [(Kind.EMAIL, "13812345678@139.com")]


# --- bank cards -----------------------------------------------------------------------------

CARD_19 = luhn_complete("622202233320941645")
CARD_16 = luhn_complete("621483949043889")


def test_bank_cards():
    grouped = " ".join(CARD_19[i : i + 4] for i in range(0, 19, 4))
    hyphens = "-".join(CARD_16[i : i + 4] for i in range(0, 16, 4))
    visa = luhn_complete("439225752453335")
    text = f"卡号{CARD_19}，账号：{grouped}；{hyphens}，信用卡{visa}"
    assert texts(text, Kind.BANK_CARD) == [CARD_19, grouped, hyphens, visa]


def test_labelled_card_is_more_confident():
    [labelled] = scan_text(f"银行卡号：{CARD_16}")
    [bare] = scan_text(f"付给 {CARD_16}")
    assert bare.confidence < labelled.confidence


def test_card_failing_luhn_is_not_reported():
    for i in range(16):
        digit = str((int(CARD_16[i]) + 3) % 10)
        assert texts(f"卡号{CARD_16[:i]}{digit}{CARD_16[i + 1 :]}", Kind.BANK_CARD) == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("统一社会信用代码：91330100MA2H3K4L50", id="credit code with letters"),
        # An all-digit credit code of a social organisation that also passes Luhn.
        pytest.param("统一社会信用代码：513301005000000395", id="all-digit credit code"),
        pytest.param(f"凭证编号：{luhn_complete('500012341234123')}", id="labelled as a serial"),
        pytest.param(luhn_complete("1202026009200012345"[:-1]), id="starts with 1"),
        pytest.param(luhn_complete("7202026009200012"[:-1]), id="starts with 7"),
        pytest.param(luhn_complete("62220223332094164551"[:-1]), id="20 digits"),
        pytest.param("6222 0223 3320 9416", id="fails Luhn"),
    ],
)
def test_card_near_misses(text):
    assert texts(text, Kind.BANK_CARD) == []


def test_an_id_that_passes_luhn_is_an_id_not_a_card():
    # An 18-digit number with a province, a birth date and a check digit is an ID even when
    # it also passes Luhn; an ID with a typo in its check digit is not taken for a card either.
    ids = [
        id_with_check(f"{r}{y}0101{s:03d}")
        for r in ("330106", "440305", "510107")
        for y in range(1950, 1990)
        for s in range(3)
    ]
    both = next(n for n in ids if luhn_complete(n[:-1]) == n)
    assert found(both) == [(Kind.ID_NUMBER, both)]
    typo = next(n for n in ids if n[-1] != "X" and luhn_complete(n[:-1]) != n)
    typo = luhn_complete(typo[:-1])
    assert found(typo) == []


def test_card_in_a_space_separated_table_row():
    card = "6217 0041 4676 8734 668"
    row = f"1 钱玉珍 120101194310125114 {card} 200"
    assert found(row) == [(Kind.ID_NUMBER, "120101194310125114"), (Kind.BANK_CARD, card)]


def test_card_groups_glued_to_an_amount_column_are_ambiguous():
    # Known limitation: with spaces between both the groups and the columns, a 16-digit number
    # that fails Luhn plus a three-digit amount is a 19-digit number that passes it by chance
    # (1 in 10). A real 19-digit card looks exactly the same, so it is reported.
    assert texts("3 周淑华 6214 8394 9043 8893 100", Kind.BANK_CARD) == ["6214 8394 9043 8893 100"]
    assert texts("3\t周淑华\t6214 8394 9043 8893\t100", Kind.BANK_CARD) == []


# --- e-mail ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("电子邮箱：xxgk@qingxi.gov.cn。", "xxgk@qingxi.gov.cn"),
        ("邮箱wulei@zhengxin-bid.example.com，", "wulei@zhengxin-bid.example.com"),
        ("QQ邮箱：12345678@qq.com", "12345678@qq.com"),
        ("qxrsj_gkzp@qingxi.gov.cn", "qxrsj_gkzp@qingxi.gov.cn"),
        ("Mail to first.last+foi@example.org.", "first.last+foi@example.org"),
        ("ｓｏｎｇ＠ｅｘａｍｐｌｅ．ｃｎ", "ｓｏｎｇ＠ｅｘａｍｐｌｅ．ｃｎ"),
    ],
)
def test_email(text, address):
    [finding] = scan_text(text)
    assert (finding.kind, finding.text, finding.confidence) == (Kind.EMAIL, address, 0.9)


@pytest.mark.parametrize("text", ["用户名@某某", "a@b", "@example.cn", "user@localhost"])
def test_email_near_misses(text):
    assert texts(text, Kind.EMAIL) == []


# --- addresses ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("住址：江川市清溪区幸福路88号3栋2单元501室。", "江川市清溪区幸福路88号3栋2单元501室"),
        ("家住城南街道和平小区3号楼1单元202，", "城南街道和平小区3号楼1单元202"),
        ("（住和平小区3号楼1单元302室）", "和平小区3号楼1单元302室"),
        ("杨柳镇新塘村三组15号", "杨柳镇新塘村三组15号"),
        ("家庭住址\t杨柳镇新塘村38号\n", "杨柳镇新塘村38号"),
        ("住所：望江街道滨江花园5幢1203室", "望江街道滨江花园5幢1203室"),
        ("寄至上海市徐汇区漕溪北路100弄5号602室", "上海市徐汇区漕溪北路100弄5号602室"),
        ("该户位于向阳小区二期B座1单元1101室", "向阳小区二期B座1单元1101室"),
        ("现居住在幸福家园6栋2单元302室", "幸福家园6栋2单元302室"),
        ("申请人住东城区和平里九号楼二单元301室", "东城区和平里九号楼二单元301室"),
        ("住石桥村委会旁二组6号", "石桥村委会旁二组6号"),
        ("家住实验小学对面3栋2单元401室", "实验小学对面3栋2单元401室"),
    ],
)
def test_address(text, address):
    [finding] = [f for f in scan_text(text) if f.kind == Kind.ADDRESS]
    assert finding.text == address
    assert finding.confidence >= 0.8


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("区民政局位于人民路8号。", id="office: road and number"),
        pytest.param("地址：清溪区人民路8号区行政中心3楼305室", id="office: floor and room"),
        pytest.param("清溪区人民路8号政务服务中心A座1203室", id="office building"),
        pytest.param("江川市滨江区江南大道1188号金融大厦18层", id="office tower"),
        pytest.param("见3号楼2单元", id="no place name"),
        pytest.param("医院门诊部5栋", id="building alone"),
        pytest.param("救助对象共分为三组统计，第一组为城镇对象", id="groups in prose"),
        pytest.param("老宅就在新塘村三组。", id="group without house number"),
        pytest.param("区政办发〔2024〕12号", id="document number"),
        pytest.param("3月12号在幸福小区开会", id="date"),
    ],
)
def test_address_near_misses(text):
    assert texts(text, Kind.ADDRESS) == []


@pytest.mark.parametrize(
    "text",
    [
        "申请人张三家住幸福小区3号楼1单元202室",
        "执法人员对幸福小区3号楼1单元202室进行了检查",
        "该户位于幸福小区3号楼1单元202室",
    ],
)
def test_address_does_not_swallow_the_person_or_the_verb(text):
    assert texts(text, Kind.ADDRESS) == ["幸福小区3号楼1单元202室"]


# --- negative list --------------------------------------------------------------------------


def test_negative_list_term_every_occurrence():
    terms = [NegativeTerm("维稳", "敏感表述")]
    findings = scan_text("维稳工作方案；做好维稳工作", negative_terms=terms)
    assert [(f.kind, f.text, f.detail, f.confidence) for f in findings] == [
        (Kind.NEGATIVE_LIST, "维稳", "敏感表述", 0.8),
        (Kind.NEGATIVE_LIST, "维稳", "敏感表述", 0.8),
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("关于维 稳工作", ["维 稳"]),
        ("关于维\u3000稳工作", ["维\u3000稳"]),
        ("关于维\n稳工作", ["维\n稳"]),
        ("关于维\r\n稳工作", ["维\r\n稳"]),
        ("信访老 户", ["信访老 户"]),
        ("思维\n\n稳步推进", []),  # a paragraph break is not a word break
        ("维   稳", []),
        ("维护稳定", []),
    ],
)
def test_negative_list_tolerates_a_word_break(text, expected):
    terms = [NegativeTerm("维稳"), NegativeTerm("信访老户")]
    assert texts(text, Kind.NEGATIVE_LIST, negative_terms=terms) == expected


def test_negative_list_merges_duplicate_terms_and_ignores_blank_ones():
    terms = [
        NegativeTerm("群体性事件", "区级清单"),
        NegativeTerm("群体性事件", "单位清单"),
        NegativeTerm("群体 性事件", "区级清单"),
        NegativeTerm("   ", "空"),
    ]
    [finding] = scan_text("防止发生群体性事件。", negative_terms=terms)
    assert (finding.text, finding.detail) == ("群体性事件", "区级清单; 单位清单")


def test_overlapping_terms_report_the_longer_once():
    terms = [NegativeTerm("维稳"), NegativeTerm("维稳经费")]
    assert texts("维稳经费", Kind.NEGATIVE_LIST, negative_terms=terms) == ["维稳经费"]


def test_negative_term_may_overlap_a_finding_of_another_kind():
    terms = [NegativeTerm("和平小区")]
    assert found("住址：和平小区3号楼1单元202室", negative_terms=terms) == [
        (Kind.ADDRESS, "和平小区3号楼1单元202室"),
        (Kind.NEGATIVE_LIST, "和平小区"),
    ]
