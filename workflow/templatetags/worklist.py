"""The pieces of a work-list row that every list and task page shows the same way: the subject,
the urgency badge and the sensitivity flags; and the reviewers' table rows whole.

Built in Python, as Django's admin builds its change-list rows: reviewers keep this list open all
day, and a page of 50 rows cost about 15 ms through template tags and includes (some 1,200
variable lookups), against 5 ms here (`bench/pages.py`)."""

from collections.abc import Sequence

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from ..worklist import Row, Urgency

register = template.Library()

WORKLIST_ROW = (
    '<tr class="urgency-{level}{current}" data-task="{pk}">'
    '<td data-label="{l_task}"><a class="open" href="{url}">{title}</a></td>'
    '<td data-label="{l_subject}">{subject}</td>'
    '<td data-label="{l_unit}">{unit}</td>'
    '<td data-label="{l_due}">{due}{badge}</td>'
    '<td data-label="{l_marks}">{flags}</td>'
    '<td data-label="{l_held_by}">{holder}</td>'
    '<td><a class="preview-link" href="?{query}preview={pk}">{l_preview}</a></td>'
    "</tr>\n"
)


@register.simple_tag
def worklist_rows(rows: Sequence[Row], *, query: str = "", current: int | None = None):
    """The table rows of the reviewers' work list; `current` is the previewed task's id."""
    labels = {
        "l_task": gettext("Task"),
        "l_subject": gettext("Subject"),
        "l_unit": gettext("Unit"),
        "l_due": gettext("Due"),
        "l_marks": gettext("Marks"),
        "l_held_by": gettext("Held by"),
        "l_preview": gettext("Preview"),
    }
    waiting = format_html('<span class="muted">{}</span>', gettext("Waiting to be claimed"))
    query = f"{query}&" if query else ""
    return mark_safe(  # noqa: S308 - every piece went through format_html
        "".join(
            format_html(
                WORKLIST_ROW,
                level=row.urgency.level,
                current=" current" if row.pk == current else "",
                pk=row.pk,
                url=reverse("workflow:task_detail", args=[row.pk]),
                title=row.title,
                subject=subject(row),
                unit=row.unit_name,
                due=format_html("{}<br>", row.urgency.due_on.isoformat())
                if row.urgency.due_on
                else "",
                badge=urgency_badge(row.urgency),
                flags=flag_badges(row),
                holder=row.holder or waiting,
                query=query,
                **labels,
            )
            for row in rows
        )
    )


@register.filter
def subject(row: Row) -> SafeString:
    """A request's tracking code, with the title of its answer when one is drafted; else the
    item's title."""
    if row.request is not None:
        code = format_html("{} {}", gettext("Disclosure request"), row.request.tracking_code)
        if row.item is None:
            return code
        return format_html('{}<br><small class="muted">{}</small>', code, row.item.title)
    return format_html("{}", row.item.title if row.item is not None else "")


@register.filter
def urgency_badge(urgency: Urgency) -> SafeString:
    """Working days left or overdue, coloured by urgency, with the due date on hover."""
    if urgency.due_on is None:
        return format_html('<span class="muted">{}</span>', urgency.text)
    return format_html(
        '<span class="days days-{}" title="{} {}">{}</span>',
        urgency.level,
        gettext("Due on"),
        urgency.due_on.isoformat(),
        urgency.text,
    )


@register.filter
def flag_badges(row: Row) -> SafeString:
    """What makes the task sensitive or special: findings, a referral, district scope, policy."""
    return format_html_join(
        " ",
        '<span class="flag flag-{}"{}>{}</span>',
        (
            (flag.kind, format_html(' title="{}"', flag.title) if flag.title else "", flag.text)
            for flag in row.flags
        ),
    )
