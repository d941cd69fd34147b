"""Markings: classification marks (密级标志), work secrets (工作秘密) and internal-only marks.

The words 绝密/机密/秘密 and 内部 are everyday Chinese (秘密投票, 商业秘密, 依法保守国家秘密,
内部控制, 内部审计). A reviewer who is shown every one of them stops reading the list, so only
the forms in which a word is *used as a mark* are reported:

- the starred form 机密★10年 / 秘密★长期 / 绝密★ (also ☆, * and ＊) and the label 密级：机密 (0.95);
- a bracketed mark 【机密】, （秘密）, 〔绝密〕, 【内部资料 注意保存】, brackets included (0.9);
- a statement about the document itself: 本件属机密级, 此件为工作秘密 (0.8);
- a line that holds only the mark, e.g. the top-left corner of a 公文 (0.7);
- the mark at the start of a line followed by blanks and more text, e.g. "机密    关于……的请示" (0.6).

A mark quoted in prose (标注“机密★10年”字样) is a mention, not a use, and is not reported. Prose
such as 保守工作秘密 or 严禁携带机密文件 is not reported either: it says nothing about whether the
text itself is secret. The spans are the mark itself, never the surrounding blanks.

Internal markings are also the fixed phrases: 仅供内部使用/参考, 内部资料, 内部使用 (0.85),
不得外传/请勿外传/不得翻印 (0.8), 内部材料 (0.7), 内部文件 (0.6) and 内部事项 (0.5), the last two
being often prose (物业公司内部文件); none of them when followed by 的/管理/制度. A following
注意保存 or 不得外传 joins the mark's span; 注意保存 alone (请注意保存好收据) is not reported.
"""

import re
from collections.abc import Iterator

from .kinds import Finding, Kind

_LEVEL = r"(?P<level>绝密|机密|(?<!工作)(?<!商业)(?<!国家)秘密)"
_STAR = r"[★☆*＊]"
_CN_NUM = "一二三四五六七八九十"
# The secrecy period after the star: 10年, 长期, 三年, 6个月, or a declassification date.
_PERIOD = (
    rf"(?:[ \u3000]?(?:[0-9]{{4}}年[0-9]{{1,2}}月(?:[0-9]{{1,2}}日)?|[0-9]{{1,3}}[ \u3000]?年"
    rf"|[{_CN_NUM}]{{1,3}}年|[0-9]{{1,3}}个月|长期))?"
)
_BLANK_CHARS = r" \t\u3000"
_BLANK = rf"[{_BLANK_CHARS}]"
_SEP = rf"[，,、;；{_BLANK_CHARS}]*"
_OPEN = r"[【〔\[［(（]"
_CLOSE = r"[】〕\]］)）]"
_SUFFIX = r"(?:级|文件)?"
_SELF = r"(?:此件|本件|该件|此文件|本文件|该文件|本文|本材料|本资料)(?:属于|属|为|系|定为|列为|涉及|含有)"
_OPEN_QUOTES = "“‘\"'「『《"
_CLOSE_QUOTES = "”’\"'」』》"


def _rules(level: str, suffix: str) -> list[tuple[re.Pattern[str], float]]:
    """The marking rules around one mark word; each pattern's group "mark" is the reported span."""
    star = rf"{_BLANK}?{_STAR}{_PERIOD}"
    return [
        (re.compile(rf"(?P<mark>{level}{suffix}{star})"), 0.95),
        (
            re.compile(
                rf"(?P<mark>密{_BLANK}?级{_BLANK}*[：:]?{_BLANK}*{level}{suffix}(?:{star})?)"
            ),
            0.95,
        ),
        (
            re.compile(rf"(?P<mark>{_OPEN}{_BLANK}*{level}{suffix}(?:{star})?{_BLANK}*{_CLOSE})"),
            0.9,
        ),
        (re.compile(rf"(?P<mark>{_SELF}{level}{suffix})"), 0.8),
        (re.compile(rf"(?m)^{_BLANK}*(?P<mark>{level}{suffix}){_BLANK}*\r?$"), 0.7),
        (re.compile(rf"(?m)^{_BLANK}*(?P<mark>{level}{suffix})(?={_BLANK}+\S)"), 0.6),
    ]


_CLASSIFICATION_RULES = _rules(_LEVEL, _SUFFIX)

_WORK = r"(?P<level>工作秘密)"
_KEEP_SAFE = r"请?(?:注意保管|妥善保管|注意保存|妥善保存|注意保密)"
_WORK_SECRET_RULES = [
    *_rules(_WORK, ""),
    # 工作秘密，注意保管: the instruction is part of the mark. Followed by 不得外传 the mark is the
    # two words only; 不得外传 is reported as an internal marking of its own.
    (re.compile(rf"(?P<mark>(?:{_SELF})?{_WORK}{_SEP}{_KEEP_SAFE})"), 0.9),
    (re.compile(rf"(?P<mark>{_OPEN}{_BLANK}*{_WORK}{_SEP}{_KEEP_SAFE}{_BLANK}*{_CLOSE})"), 0.95),
    (re.compile(rf"(?P<mark>{_WORK})(?={_SEP}(?:不得|请勿|严禁|禁止|切勿)外传)"), 0.9),
]

_INTERNAL_TAIL = rf"(?:{_SEP}(?:{_KEEP_SAFE}|(?:不得|请勿|严禁|禁止|切勿)外传))?"
# Followed by 的/管理/制度 these compounds are prose about records management, not a mark.
_NOT_PROSE = r"(?![的之]|管理|制度|流转|处理|运转|控制|审计)"
_INTERNAL_WORDS = [
    (
        rf"仅(?:供|限)(?:本单位|本机关|单位|机关|系统)?内部"
        rf"(?:使用|参考|传阅|学习|掌握|阅读|交流)?{_INTERNAL_TAIL}",
        0.85,
    ),
    (rf"内部(?:资料|使用|参考|刊物|发行|传阅|明电){_NOT_PROSE}{_INTERNAL_TAIL}", 0.85),
    (r"(?:不得|请勿|严禁|禁止|切勿)(?:外传|外泄|扩散|翻印)", 0.8),
    (rf"内部材料{_NOT_PROSE}{_INTERNAL_TAIL}", 0.7),
    (rf"内部文件{_NOT_PROSE}{_INTERNAL_TAIL}", 0.6),
    (rf"内部事项{_NOT_PROSE}", 0.5),
]
_INTERNAL_RULES = [
    # 【内部资料 注意保存】: the brackets belong to the mark, as in 【机密】.
    (
        re.compile(
            rf"(?P<mark>{_OPEN}{_BLANK}*(?:{'|'.join(w for w, _ in _INTERNAL_WORDS)})"
            rf"{_BLANK}*{_CLOSE})"
        ),
        0.9,
    ),
    *((re.compile(rf"(?P<mark>{word})"), confidence) for word, confidence in _INTERNAL_WORDS),
    *_rules(r"(?P<level>内部)", ""),
]


def _quoted(text: str, start: int, end: int) -> bool:
    return (
        start > 0
        and end < len(text)
        and text[start - 1] in _OPEN_QUOTES
        and text[end] in _CLOSE_QUOTES
    )


def _apply(
    text: str, kind: str, rules: list[tuple[re.Pattern[str], float]], *, detail: bool
) -> Iterator[Finding]:
    for pattern, confidence in rules:
        for m in pattern.finditer(text):
            start, end = m.span("mark")
            if _quoted(text, start, end):
                continue
            level = m.groupdict().get("level") if detail else None
            yield Finding(kind, start, end, text[start:end], confidence, level or "")


def find_marks(text: str) -> Iterator[Finding]:
    yield from _apply(text, Kind.CLASSIFICATION_MARK.value, _CLASSIFICATION_RULES, detail=True)
    yield from _apply(text, Kind.WORK_SECRET.value, _WORK_SECRET_RULES, detail=False)
    yield from _apply(text, Kind.INTERNAL_MARKING.value, _INTERNAL_RULES, detail=False)


def classification_marks(text: str) -> list[Finding]:
    """The classification marks alone: the last check of 涉密信息不上网 on what is released."""
    return list(_apply(text, Kind.CLASSIFICATION_MARK.value, _CLASSIFICATION_RULES, detail=True))
