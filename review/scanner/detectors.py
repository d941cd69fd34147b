"""scan_text: runs every detector over a text and returns one list of findings.

The detectors live in marks.py (classification marks, work secrets, internal marks), personal.py
(ID, mobile, bank card, e-mail), address.py (home addresses) and here (the negative list). Each
may propose overlapping candidates (密级：机密★10年 and 机密★10年); of overlapping candidates of
one kind only the most confident, then the longest, is kept, so the reviewer sees each passage
once per kind. Findings of different kinds may overlap (a negative-list term inside an address).
"""

import bisect
import itertools
import re
from collections.abc import Iterable, Iterator

from .address import find_addresses
from .kinds import Finding, Kind, NegativeTerm
from .marks import find_marks
from .personal import find_personal

NEGATIVE_LIST_CONFIDENCE = 0.8
# Text pasted from a PDF or a form can break a word with a space or a line break ("维 稳").
_GAP_RE = re.compile(r"[ \t\u3000\xa0]{0,2}|\r?\n")


def scan_text(text: str, *, negative_terms: Iterable[NegativeTerm] = ()) -> list[Finding]:
    """Every finding in `text`, sorted by (start, kind); text[f.start:f.end] == f.text."""
    if not text:
        return []
    candidates = [
        *find_marks(text),
        *find_personal(text),
        *find_addresses(text),
        *find_negative_terms(text, negative_terms),
    ]
    return sorted(_without_overlaps(candidates), key=lambda f: (f.start, f.kind, f.end))


def _merge_terms(terms: Iterable[NegativeTerm]) -> dict[str, str]:
    """term -> note; a term listed by both the district and the unit is looked for once, and
    keeps both notes."""
    notes: dict[str, list[str]] = {}
    for t in terms:
        term = "".join(t.term.split())
        if not term:
            continue
        seen = notes.setdefault(term, [])
        if t.note and t.note not in seen:
            seen.append(t.note)
    return {term: "; ".join(n) for term, n in notes.items()}


def find_negative_terms(text: str, terms: Iterable[NegativeTerm]) -> Iterator[Finding]:
    merged = _merge_terms(terms)
    if not merged:
        return
    # str.find over a copy without whitespace is much faster than a regex per term; a hit is
    # then kept only if the whitespace it spans in the original is a plausible word break.
    positions = [i for i, ch in enumerate(text) if not ch.isspace()]
    compact = "".join(text[i] for i in positions)
    for term, note in merged.items():
        at = compact.find(term)
        while at != -1:
            span = positions[at : at + len(term)]
            if all(_GAP_RE.fullmatch(text, a + 1, b) for a, b in itertools.pairwise(span)):
                start, end = span[0], span[-1] + 1
                yield Finding(
                    Kind.NEGATIVE_LIST.value,
                    start,
                    end,
                    text[start:end],
                    NEGATIVE_LIST_CONFIDENCE,
                    note,
                )
            at = compact.find(term, at + 1)


def _without_overlaps(candidates: list[Finding]) -> Iterator[Finding]:
    by_kind: dict[str, list[Finding]] = {}
    for f in candidates:
        by_kind.setdefault(f.kind, []).append(f)
    for findings in by_kind.values():
        findings.sort(key=lambda f: (-f.confidence, f.start - f.end, f.start))
        # Kept spans, sorted and disjoint: a candidate overlaps one only if it overlaps its
        # neighbour in start order.
        starts: list[int] = []
        ends: list[int] = []
        for f in findings:
            i = bisect.bisect_right(starts, f.start)
            if i > 0 and ends[i - 1] > f.start:
                continue
            if i < len(starts) and starts[i] < f.end:
                continue
            starts.insert(i, f.start)
            ends.insert(i, f.end)
            yield f
