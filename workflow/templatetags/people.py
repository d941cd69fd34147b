from django import template

register = template.Library()


@register.filter
def display_name(user) -> str:
    """A person's full name, else their login; an em dash for nobody (system steps)."""
    if user is None:
        return "—"
    return user.get_full_name() or user.get_username()
