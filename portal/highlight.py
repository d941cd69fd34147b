"""The query's words marked in a search result: `<mark>` around each place a word occurs in the
public title, and a snippet of the public summary or text around the first one. Only public texts
come here (the selectors read nothing else), and every piece of them is escaped: the marks are
the only markup in the result.

A word that is not in the text as a whole (the entry matched it by its characters, cut apart
differently) is marked by its characters instead, so the visitor sees why the entry was found.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from workflow.search.words import alternatives

SNIPPET_CHARS = 80
# Characters of context kept before the first match in a snippet (at most a quarter of it).
SNIPPET_LEAD = 20


def _pattern(text: str, words: list[str]) -> re.Pattern | None:
    lowered = text.lower()
    terms = set()
    for word in words:
        if word in lowered:
            terms.add(word)
        else:
            terms.update(c for c in alternatives(word)[1:] if c in lowered)
    if not terms:
        return None
    # Longest first, so that 义务教育 is marked whole rather than as 义务 and 教育.
    return re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.I)


def _marked(text: str, pattern: re.Pattern) -> SafeString:
    out, end = [], 0
    for match in pattern.finditer(text):
        out.append(escape(text[end : match.start()]))
        out.append(f"<mark>{escape(match.group())}</mark>")
        end = match.end()
    out.append(escape(text[end:]))
    return mark_safe("".join(out))  # noqa: S308 (every piece above is escaped)


def highlight(text: str, words: list[str]) -> SafeString:
    """`text`, escaped, with the words marked."""
    pattern = _pattern(text, words) if text else None
    return _marked(text, pattern) if pattern else escape(text)


def snippet(text: str, words: list[str], *, length: int = SNIPPET_CHARS) -> SafeString | None:
    """About `length` characters of `text` around the first word found, escaped, with the words
    marked; None when no word is in it."""
    text = " ".join((text or "").split())
    pattern = _pattern(text, words) if text else None
    first = pattern.search(text) if pattern else None
    if first is None:
        return None
    start = max(0, first.start() - min(SNIPPET_LEAD, length // 4))
    piece = text[start : start + length]
    marked = _marked(piece, pattern)
    before = "…" if start > 0 else ""
    after = "…" if start + length < len(text) else ""
    return mark_safe(before + marked + after)  # noqa: S308 (escaped by _marked)
