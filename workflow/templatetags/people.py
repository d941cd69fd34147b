from django import template

register = template.Library()


def name_of(first_name: str, last_name: str, username: str) -> str:
    """`display_name` on a user's columns, for rows read without their user instance."""
    return f"{first_name} {last_name}".strip() or username


@register.filter
def display_name(user) -> str:
    """A person's full name, else their login; an em dash for nobody (system steps)."""
    if user is None:
        return "—"
    return name_of(user.first_name, user.last_name, user.get_username())
