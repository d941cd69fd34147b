"""Dates that make no sense are refused where they are entered, beside their field.

A deadline is counted from the dates people type: a receipt date of 0001-01-01 made a request two
thousand years overdue. So every date a form or service takes is checked against today and
against a floor:

- dates of a request (submitted, arrived, signed for, confirmed, corrected, consulted, delivered):
  not before the Regulation took effect, 2008-05-01 (the 2007 Regulation, Art. 38; the 2019
  revision keeps the same duty), nor before the receiving unit was established (`Unit.founded_on`,
  when entered);
- the day an item's information was formed or changed (Art. 26): not before
  `ITEM_FORMED_ON_FLOOR` (a setting, by default also 2008-05-01: no publication deadline ran
  before the Regulation), nor before the unit was established. Information a new unit took over
  from its predecessor counts from the day it was taken over.
"""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from ..models import Unit

REGULATION_IN_FORCE = dt.date(2008, 5, 1)


@dataclass(frozen=True)
class Floor:
    """The earliest acceptable date and why, in the reader's language."""

    date: dt.date
    reason: str

    def message(self) -> str:
        return _("The date cannot be before %(date)s: %(reason)s.") % {
            "date": self.date.isoformat(),
            "reason": self.reason,
        }


def _unit_floor(unit: Unit | None, floor: Floor) -> Floor:
    founded = getattr(unit, "founded_on", None)
    if founded and founded > floor.date:
        return Floor(founded, _("%(unit)s was established on that day") % {"unit": unit.name})
    return floor


def request_date_floor(unit: Unit | None) -> Floor:
    return _unit_floor(
        unit,
        Floor(
            REGULATION_IN_FORCE,
            _("the Regulation on Open Government Information took effect on that day"),
        ),
    )


def formation_date_floor(unit: Unit | None) -> Floor:
    configured = dt.date.fromisoformat(str(settings.ITEM_FORMED_ON_FLOOR))
    return _unit_floor(
        unit,
        Floor(configured, _("the earliest formation date this system accepts")),
    )


def date_refusal(value: dt.date | None, *, floor: Floor, today: dt.date) -> str:
    """Why `value` is refused, or "" when it is acceptable (an empty value is the caller's
    business)."""
    if value is None:
        return ""
    if value > today:
        return _("The date cannot be in the future.")
    if value < floor.date:
        return floor.message()
    return ""


def dates_refusals(
    values: dict[str, dt.date | None], *, floor: Floor, today: dt.date
) -> dict[str, str]:
    """field -> message for each refused date."""
    refusals = {
        name: date_refusal(value, floor=floor, today=today) for name, value in values.items()
    }
    return {name: message for name, message in refusals.items() if message}
