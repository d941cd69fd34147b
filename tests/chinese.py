"""The check that a Chinese screen has no English left in it, shared by the page sweep and the
browser journeys."""

import re

# Latin words that may stay: key names in keyboard hints and file formats.
ALLOWED_LATIN = {"Ctrl", "Enter", "Excel", "Word", "PDF", "JPEG", "PNG", "docx", "xlsx", "Atom"}


def english_words(text: str) -> list[str]:
    """Latin words of three letters or more in visible text, outside codes, addresses and file
    names (a word joined to digits, dots, @, / or - is a code, not English)."""
    words = re.findall(r"(?<![\w.@/&#-])[A-Za-z][A-Za-z']{2,}(?![\w.@/;-])", text)
    return sorted({w for w in words if w not in ALLOWED_LATIN})


def english_in_html(html: str) -> list[str]:
    html = re.sub(r"<(script|style|code)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r'<select name="language".*?</select>', " ", html, flags=re.S)
    return english_words(re.sub(r"<[^>]+>", " ", html))
