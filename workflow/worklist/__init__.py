"""The work list: every open task a user holds or may claim, with its statutory due date, how
many working days are left, and what makes it sensitive. Reads only.

`filters` reads what the list is narrowed by, `queries` finds and pages the tasks, `rows` reads
what a page of them shows.
"""

from .filters import Due, Filters, Holder, Kind, Sort, query_pk
from .queries import claimable_next, open_tasks_of, worklist_for_user, worklist_units
from .rows import Row, Urgency, task_row

__all__ = [
    "Due",
    "Filters",
    "Holder",
    "Kind",
    "Row",
    "Sort",
    "Urgency",
    "claimable_next",
    "open_tasks_of",
    "query_pk",
    "task_row",
    "worklist_for_user",
    "worklist_units",
]
