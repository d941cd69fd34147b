"""Notification texts, rendered when read so each reader sees their own language.

A notification stores a verb and parameters (ids, dates, titles); the sentences live here.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Deadline, Rung


@dataclass(frozen=True)
class Rendered:
    title: str
    body: str


def _deadline(params: dict) -> str:
    try:
        return str(Deadline(params.get("deadline", "")).label)
    except ValueError:
        return params.get("deadline", "")


def _rung(params: dict) -> str:
    try:
        return str(Rung(params.get("rung", "")).label)
    except ValueError:
        return params.get("rung", "")


def _node_title(p: dict) -> str:
    from viewflow.workflow.fields import import_task_by_ref

    try:
        return str(import_task_by_ref(p["node"]).task_title)
    except Exception:  # noqa: BLE001 - a node renamed since: show its reference rather than fail
        return p.get("node", "")


def _task_available(p: dict) -> Rendered:
    p = {**p, "task": _node_title(p)}
    return Rendered(
        _("New task: %(task)s · %(subject)s")
        % {"task": p.get("task", ""), "subject": p.get("subject", "")},
        _("A task is waiting for you or your colleagues: %(task)s for “%(subject)s”.")
        % {"task": p.get("task", ""), "subject": p.get("subject", "")},
    )


def _reminder(p: dict) -> Rendered:
    days = int(p.get("days", 0))
    values = {
        "subject": p.get("subject", ""),
        "deadline": _deadline(p),
        "due": p.get("due_on", ""),
        "days": days,
    }
    if days <= 0:
        title = _("Due today: %(subject)s") % values
    else:
        title = (
            ngettext(
                "%(days)d working day left: %(subject)s",
                "%(days)d working days left: %(subject)s",
                days,
            )
            % values
        )
    body = _("%(deadline)s is due on %(due)s.") % values
    return Rendered(title, body)


def _passed(p: dict) -> Rendered:
    values = {"subject": p.get("subject", ""), "deadline": _deadline(p), "due": p.get("due_on", "")}
    hints = {
        Deadline.CORRECTION_REPLY: _(
            "Record the correction if it arrived, or record that the request is abandoned."
        ),
        Deadline.CONSULTATION_REPLY: _(
            "Record the opinion if it arrived, or record “no reply” so the clock runs again."
        ),
        Deadline.REASONS_REPLY: _(
            "Record the reasons if they arrived; either way, judge them on the request page "
            "(Art. 35): the answer time did not stop while waiting."
        ),
    }
    body = _("%(deadline)s passed on %(due)s.") % values
    hint = hints.get(p.get("deadline"))
    return Rendered(_("Deadline passed: %(subject)s") % values, f"{body} {hint}" if hint else body)


def _escalation(p: dict) -> Rendered:
    days = int(p.get("days", 0))
    values = {
        "subject": p.get("subject", ""),
        "deadline": _deadline(p),
        "due": p.get("due_on", ""),
        "days": days,
        "rung": _rung(p),
    }
    title = (
        ngettext(
            "Overdue %(days)d working day: %(subject)s",
            "Overdue %(days)d working days: %(subject)s",
            days,
        )
        % values
    )
    body = _("%(deadline)s was due on %(due)s. Escalated to: %(rung)s.") % values
    if p.get("reassigned"):
        body += " " + _("The open task was taken from its holder and reassigned.")
    return Rendered(title, body)


def _consultation_lapsed(p: dict) -> Rendered:
    """The consulted party's 15 working days ran out (Arts. 32, 34); the sweep closed the
    consultation on the last day. What the silence means depends on who was consulted."""
    values = {"subject": p.get("subject", ""), "party": p.get("party", ""), "due": p.get("due_on")}
    body = (
        _(
            "%(party)s gave no opinion by %(due)s, the last of its 15 working days. The consultation "
            "was closed on that day and the request's time limit runs again after it."
        )
        % values
    )
    if p.get("kind") == "agency":
        meaning = _(
            "Another agency that does not answer in time is deemed to agree to disclosure "
            "(Regulation Art. 34)."
        )
    else:
        meaning = _(
            "A third party's silence is no consent: the agency now decides itself, under the "
            "Regulation, whether to disclose (Art. 32)."
        )
    return Rendered(_("Consultation time over: %(subject)s") % values, f"{body} {meaning}")


def _fee_lapsed(p: dict) -> Rendered:
    """The applicant did not pay the fee by the last day (国办函〔2020〕109号); the sweep recorded
    the lapse and the request's time limit runs again."""
    values = {
        "subject": p.get("subject", ""),
        "amount": p.get("amount", ""),
        "due": p.get("pay_by"),
    }
    body = (
        _(
            "The fee of %(amount)s yuan was not paid by %(due)s. The request is treated as abandoned "
            "(国办函〔2020〕109号): answer it as “fee not paid”; the time limit runs again from the day "
            "after that date."
        )
        % values
    )
    return Rendered(_("Fee not paid: %(subject)s") % values, body)


RENDERERS = {
    "consultation_lapsed": _consultation_lapsed,
    "fee_lapsed": _fee_lapsed,
    "task_available": _task_available,
    "reminder": _reminder,
    "passed": _passed,
    "escalation": _escalation,
}


def render(notification) -> Rendered:
    renderer = RENDERERS.get(notification.verb)
    if renderer is None:
        return Rendered(notification.verb, "")
    return renderer(notification.params or {})
