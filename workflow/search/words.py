"""Words for the catalogue search: jieba cuts the public texts at publication and a visitor's query
when they search.

Chinese has no spaces, so words are cut with jieba (search mode, which also yields the shorter
words inside long ones) and stored space-separated in `Item.search_document` together with every
Chinese character of the text, so that a one-character query works too. A query word matches the
same word in the document or, when jieba cut the document differently, all of its characters.
"""

import logging
import re
import time
from functools import cache

# A "word" keeps letters, digits and CJK ideographs; punctuation and spaces separate words.
_WORD = re.compile(r"[0-9a-z\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
QUERY_MAX_WORDS = 12
QUERY_MAX_CHARS = 100

logger = logging.getLogger(__name__)


@cache
def _jieba():
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def preload() -> None:
    """Load jieba's dictionary now: called when a web or Celery worker process starts, so that a
    visitor's first search does not wait for it (about half a second; bench/catalogue.py)."""
    started = time.perf_counter()
    _jieba()
    logger.info("jieba dictionary loaded in %.0f ms", (time.perf_counter() - started) * 1000)


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
    # Leading and trailing spaces keep whole words apart for a substring match: "% 教育 %".
    return " " + " ".join([*words, *chars]) + " "


def query_words(query: str) -> list[str]:
    """The words of what a visitor typed, in order, without repeats; bounded so a pasted page
    cannot build a huge query."""
    query = (query or "")[:QUERY_MAX_CHARS]
    words = _words(_jieba().cut(query))
    return list(dict.fromkeys(words))[:QUERY_MAX_WORDS]


def alternatives(word: str) -> list[str]:
    """The word itself, and its characters as a fallback when it is a CJK word of several."""
    chars = _CJK.findall(word)
    return [word] if len(chars) < 2 or len(chars) != len(word) else [word, *chars]
