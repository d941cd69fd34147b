"""Chinese search over the public catalogue.

Chinese has no spaces, so words are cut with jieba (search mode, which also yields the shorter
words inside long ones) when an item is published, and stored space-separated in
`Item.search_document` together with every Chinese character of the text, so a one-character
query works too. The document is built from the public version only: a withheld passage can never
be found by searching for it.

On PostgreSQL the words go through `to_tsvector('simple', ...)` behind a GIN index (migration
0008); elsewhere (the SQLite default) the same words are matched with LIKE, so both backends give
the same answers. A query word matches the same word in the document or, when jieba cut the
document differently, all of its characters; exact words rank first on PostgreSQL.
"""

import logging
import re
from functools import cache

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet

# A "word" keeps letters, digits and CJK ideographs; punctuation and spaces separate words.
_WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
QUERY_MAX_WORDS = 12
QUERY_MAX_CHARS = 100


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def _words(pieces) -> list[str]:
    out = []
    for piece in pieces:
        out.extend(_WORD.findall(piece.lower()))
    return out


def document_words(*texts: str) -> str:
    """The search document for some public texts: jieba's words, then each CJK character once."""
    jieba = _jieba()
    words: list[str] = []
    for text in texts:
        if text:
            words.extend(_words(jieba.cut_for_search(text)))
    chars = dict.fromkeys(_CJK.findall(" ".join(texts)))
    # Leading and trailing spaces let the LIKE fallback match whole words: "% 教育 %".
    return " " + " ".join([*words, *chars]) + " "


def query_words(query: str) -> list[str]:
    """The words of what a visitor typed, in order, without repeats; bounded so a pasted page
    cannot build a huge query."""
    query = (query or "")[:QUERY_MAX_CHARS]
    words = _words(_jieba().cut(query))
    return list(dict.fromkeys(words))[:QUERY_MAX_WORDS]


def _alternatives(word: str) -> list[str]:
    """The word itself, and its characters as a fallback when it is a CJK word of several."""
    chars = _CJK.findall(word)
    return [word] if len(chars) < 2 or len(chars) != len(word) else [word, *chars]


def _tsquery(words: list[str]) -> str:
    def lexeme(w: str) -> str:
        return "'" + w.replace("'", "''") + "'"

    parts = []
    for word in words:
        alts = _alternatives(word)
        if len(alts) == 1:
            parts.append(lexeme(word))
        else:
            chars = " & ".join(lexeme(c) for c in alts[1:])
            parts.append(f"({lexeme(word)} | ({chars}))")
    return " & ".join(parts)


def _like_q(words: list[str]) -> Q:
    q = Q()
    for word in words:
        alts = _alternatives(word)
        word_q = Q(search_document__contains=f" {word} ")
        if len(alts) > 1:
            chars_q = Q()
            for char in alts[1:]:
                chars_q &= Q(search_document__contains=f" {char} ")
            word_q |= chars_q
        q &= word_q
    return q


def search(queryset: QuerySet, query: str) -> QuerySet:
    """Entries of `queryset` matching `query`, best first on PostgreSQL (newest first otherwise).
    An empty query, or one with no words at all, matches nothing."""
    words = query_words(query)
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        vector = SearchVector(F("search_document"), config="simple")
        tsquery = SearchQuery(_tsquery(words), search_type="raw", config="simple")
        return (
            queryset.annotate(search_vector=vector, search_rank=SearchRank(vector, tsquery))
            .filter(search_vector=tsquery)
            .order_by("-search_rank", "-published_at", "-id")
        )
    return queryset.filter(_like_q(words))
