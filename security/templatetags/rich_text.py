from django import template

from security.html import rich_text as render_rich_text

register = template.Library()


@register.filter(name="rich_text", is_safe=True)
def rich_text(value):
    """`{{ guide.introduction|rich_text }}`: sanitised HTML, or escaped paragraphs for plain text."""
    return render_rich_text(str(value or ""))
