"""Detailed home addresses (Regulation Art. 15): a place-name chain that ends in a dwelling.

An address is found from its end, which is distinctive, and then extended to the left:

1. The *tail* names a dwelling: building + unit/room (4栋2单元501室, 3号楼1单元202, 5幢1203室),
   unit + room (2单元501室), a village group and house number (三组15号), a lane house
   (100弄5号602室), or a house number right after a village (新塘村38号). A road number may lead
   it (人民路123号4栋…).
2. The *chain* before the tail is a run of place-name components (江川市 清溪区 幸福路 阳光小区
   二期 …, or a landmark and a position: 村委会旁, 实验小学对面), parsed right to left within
   the same clause. A component's name may not hold function words such as 住/在/于/的/对, so
   "家住幸福小区" yields 幸福小区, not 家住幸福小区.

Confidence: 0.85, or 0.8 for a bare house number after a village (新塘村38号), which has no
building or group to confirm it.

Not reported: a tail without any place name before it (见3号楼2单元 could be anything), and office
addresses, which have no dwelling part (区民政局位于人民路8号, 人民路8号政务中心3楼305室):
publishing where a government office is, is the point of a disclosure guide.
"""

import re
from collections.abc import Iterator
from functools import lru_cache

from .kinds import Finding, Kind

_CN_NUM = "一二三四五六七八九十百零〇两"
_NUM = rf"(?:[0-9０-９]{{1,5}}|[{_CN_NUM}]{{1,4}})"
_BLD_ID = rf"(?:[0-9０-９]{{1,4}}|[A-Za-zＡ-Ｚ]|[{_CN_NUM}]{{1,3}})"
_BUILDING = rf"(?P<bld>{_BLD_ID}(?:栋|幢|号楼|座))"
_UNIT = rf"{_NUM}(?:单元|门)"
_FLOOR = rf"(?:{_NUM}(?:层|楼)(?!房))"
# After a unit, a bare three- or four-digit number is the flat (1单元202).
_ROOM = rf"(?:{_NUM}(?:室|户|房)|[0-9]{{3,4}}(?![0-9０-９年月日元万人个次号栋幢楼]))"
_HOUSE = rf"{_NUM}号(?!楼|院)"
_TAIL_RE = re.compile(
    rf"(?:{_HOUSE})?(?:{_BUILDING}(?P<unit>{_UNIT})?{_FLOOR}?(?P<room>{_ROOM})?"
    rf"|{_UNIT}{_FLOOR}?{_ROOM})"
    rf"|{_NUM}(?:组|队|社){_HOUSE}(?:{_NUM}(?:室|户))?"
    rf"|{_NUM}弄{_HOUSE}(?:{_NUM}(?:室|户))?"
    rf"|(?<=村)(?P<village>{_HOUSE})"
)

_NAME = r"[\u4e00-\u9fff]"
_POSITION = "(?:旁边|旁|对面|隔壁|附近|东侧|西侧|南侧|北侧|后面|后侧)"
_POSITION_END = re.compile(f"{_POSITION}$")
_COMPONENT_RE = re.compile(
    rf"{_NAME}{{1,8}}(?:自治区|自治州|自治县|特别行政区)"
    rf"|{_NAME}{{1,5}}(?:省|市|地区|盟|州|新区|区|县|旗|街道|镇|乡|社区|村|居委会|嘎查)"
    rf"|{_NAME}{{1,6}}(?:大道|大街|路|街|巷|胡同|里|道)"
    rf"|{_NAME}{{1,6}}(?:小区|花园|家园|嘉园|新村|新城|公寓|山庄|宿舍|家属院|苑|园|庭|府|城|湾|庄|院)"
    rf"|{_NUM}(?:号院|号|弄|巷|期|区)"
    # 村委会旁二组6号, 小学对面3栋…: a landmark and where the dwelling is from it.
    rf"|{_NAME}{{2,8}}{_POSITION}"
)
_SUFFIX_END = frozenset(
    "区省市盟州县旗道镇乡村会查路街巷同里园城寓庄舍院苑庭府湾号弄期旁边面壁近侧"
)
_MAX_COMPONENT = 12
_MAX_CHAIN = 40
# Characters that occur in prose around an address but hardly ever in a place name.
# Not 和/向/将/如/现 (和平路, 向阳小区, 将军路, 如意苑, 现代城); 于 and 位 stay, so 位于 is not
# taken for a place, at the cost of 于家庄.
_NOT_IN_NAME = frozenset(
    "的是在于住为与及或了对从到由被把其该此这那我你他她们址户系即但并而因位至往经已"
)
_PLACE_CHAR = re.compile(r"[\u4e00-\u9fff0-9０-９A-Za-zＡ-Ｚ]")
_NAMED = re.compile(rf"[^0-9０-９{_CN_NUM}号弄巷期区院]")

HIGH_CONFIDENCE = 0.85
VILLAGE_HOUSE_CONFIDENCE = 0.8


@lru_cache(maxsize=4096)
def _is_component(piece: str) -> bool:
    if _COMPONENT_RE.fullmatch(piece) is None:
        return False
    # 对 is a function word (对幸福小区3号楼进行检查) but also the 对 of 对面.
    return not _NOT_IN_NAME & set(_POSITION_END.sub("", piece))


def _chain_start(text: str, end: int) -> int | None:
    """The start of the longest run of place-name components ending at `end`, or None."""
    lo = end
    while lo > 0 and end - lo < _MAX_CHAIN and _PLACE_CHAR.match(text, lo - 1):
        lo -= 1
    window = text[lo:end]
    n = len(window)
    # parses[i]: window[i:] is a run of components. Components end in a suffix character, so
    # only the positions after one can be a boundary.
    parses = [False] * (n + 1)
    parses[n] = True
    boundaries = [n]
    for i in range(n - 1, -1, -1):
        for j in boundaries:
            if j - i > _MAX_COMPONENT:
                break
            if _is_component(window[i:j]):
                parses[i] = True
                break
        if i > 0 and window[i - 1] in _SUFFIX_END and parses[i]:
            boundaries.insert(0, i)
    starts = [i for i in range(n) if parses[i]]
    if not starts or not _NAMED.search(window[starts[0] :]):
        return None
    return lo + starts[0]


def _dwelling(m: re.Match) -> float | None:
    """The confidence that the tail names a dwelling, or None if it does not."""
    if m.group("bld") and not (m.group("unit") or m.group("room")):
        return None  # 5栋 alone: a building, e.g. of a hospital or a school
    if m.group("village"):
        return VILLAGE_HOUSE_CONFIDENCE
    return HIGH_CONFIDENCE


def find_addresses(text: str) -> Iterator[Finding]:
    for m in _TAIL_RE.finditer(text):
        confidence = _dwelling(m)
        if confidence is None:
            continue
        start = _chain_start(text, m.start())
        if start is None:
            continue
        yield Finding(Kind.ADDRESS.value, start, m.end(), text[start : m.end()], confidence)
