"""The public holidays fixed by law (《全国年节及纪念日放假办法》), for years whose State Council
notice is not known yet.

The law fixes the days; the State Council's annual notice (published each November) only arranges
them: it moves weekend days into working days (调休) and gives a day in lieu (补假) for a holiday
that falls on a weekend. So a year without the notice is not "Monday to Friday": its statutory
holidays are certain, and only the arrangement around them is unknown.

The dates come from a maintained library, the `holidays` package (its China calendar), not from a
table of ours: it follows the 2024 revision of the law from 2025 on (元旦 1 day; 春节 4 days, 除夕
and 正月初一至初三; 清明 1; 劳动节 2, 1-2 May; 端午 1; 中秋 1; 国庆 3, 1-3 October) and the earlier
version before (春节 初一至初三, 劳动节 1 May only), and computes the lunar dates (除夕, 春节, 端午,
中秋) and the solar term 清明 for each year it covers (to 2100). Only the statutory festivals are
taken, by name: the package's 调休 entries of past notices ("休息日（由…调休）") are not, and its
estimated days in lieu are switched off (`observed=False`), because the notice decides those.
"""

import datetime as dt
import functools
from collections.abc import Mapping
from types import MappingProxyType

import holidays

# The library's names of the statutory festivals -> the name our calendar shows. 除夕 is part of
# the Spring Festival holiday (2024 revision, Art. 2(二)), so it is shown as 春节 like the rest.
STATUTORY_NAMES = {
    "元旦": "元旦",
    "农历除夕": "春节",
    "春节": "春节",
    "清明节": "清明节",
    "劳动节": "劳动节",
    "端午节": "端午节",
    "中秋节": "中秋节",
    "国庆节": "国庆节",
}


@functools.cache
def statutory_holidays(year: int) -> Mapping[dt.date, str]:
    """Date -> festival name (Chinese) of every statutory holiday of `year`; two festivals on one
    day (中秋 on 1-3 October, as in 2028) are both named."""
    known = holidays.China(years=year, observed=False, language="zh_CN")
    days: dict[dt.date, str] = {}
    for date, label in known.items():
        names = [
            STATUTORY_NAMES[n.strip()] for n in label.split(";") if n.strip() in STATUTORY_NAMES
        ]
        if names:
            days[date] = "、".join(dict.fromkeys(names))
    return MappingProxyType(days)
