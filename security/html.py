"""Rich text from people goes through one allow-list (nh3, the Rust ammonia sanitiser).

Only guide texts that administrators paste from their unit's website are rich text; everything
else in the product is plain text and escaped by the templates. Rich text is cleaned when it is
saved and again when it is shown, so a row written past the service (a data import, a restored
backup, an old row) cannot carry a script to a visitor either.
"""

import re

import nh3
from django.template.defaultfilters import linebreaks_filter
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "h3", "h4", "ul", "ol", "li", "blockquote",
    "table", "caption", "thead", "tbody", "tr", "th", "td",
    "a",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
# No javascript:, data: or vbscript: links; relative links stay on our site.
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# A tag, a closing tag, a comment or a character reference makes a text "HTML".
_MARKUP = re.compile(r"<[A-Za-z!/]|&[#A-Za-z0-9]+;")


def looks_like_html(value: str) -> bool:
    return bool(_MARKUP.search(value or ""))


def sanitize_html(value: str) -> str:
    """The text with every tag, attribute and link scheme outside the allow-list removed.

    Scripts and styles go with their content; other unknown tags leave their text behind."""
    if not value:
        return ""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        clean_content_tags={"script", "style"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


def clean_rich_text(value: str) -> str:
    """What a rich-text field stores: HTML sanitised, plain text as typed (escaping it here would
    show the administrator entities the next time they edit it)."""
    return sanitize_html(value) if looks_like_html(value) else (value or "")


def rich_text(value: str) -> SafeString:
    """Markup for a rich-text field: sanitised HTML, or plain text in paragraphs as before."""
    if not value:
        return mark_safe("")  # noqa: S308 - empty
    if looks_like_html(value):
        return mark_safe(sanitize_html(value))  # noqa: S308 - sanitised by nh3 just above
    return linebreaks_filter(value, autoescape=True)
