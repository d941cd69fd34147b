from django import template

from audit import labels

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    return labels.action_label(code)


@register.filter
def state_label(value: str) -> str:
    return labels.state_label(value)
