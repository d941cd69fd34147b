"""Reads that depend on who asks. Each *_get_for_user answers 404 for both "missing" and "not
yours", so a URL never reveals that someone else's item exists."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit.models import AuditEntry
from audit.selectors import audit_history_for
from review.permissions import items_visible_to, requests_visible_to, tasks_claimable_by

from .models import DisclosureProcess, DisclosureRequest, Extension, Item

TASK_RELATED = (
    "owner",
    "process__disclosureprocess__item__unit",
    "process__disclosureprocess__item__section",
    "process__disclosureprocess__request__receiving_unit",
)


def items_for_user(*, user) -> QuerySet[Item]:
    return (
        items_visible_to(user)
        .select_related("unit", "section", "category", "author")
        .order_by("-updated_at")
    )


def item_get_for_user(*, user, pk: int) -> Item:
    try:
        return (
            items_visible_to(user)
            .select_related("unit__district", "section", "category", "author", "withhold_ground")
            .get(pk=pk)
        )
    except Item.DoesNotExist as exc:
        raise Http404 from exc


def inbox_for_user(*, user) -> QuerySet[Task]:
    """Tasks the user holds now."""
    return (
        Task.objects.filter(
            owner=user, status__in=[STATUS.ASSIGNED, STATUS.STARTED], flow_task_type="HUMAN"
        )
        .select_related(*TASK_RELATED)
        .order_by("created")
    )


def queue_for_user(*, user) -> QuerySet[Task]:
    """Unclaimed tasks the user's positions reach."""
    return tasks_claimable_by(user).select_related(*TASK_RELATED).order_by("created")


def _process_visible(user, process: DisclosureProcess) -> bool:
    """Whether `user` may open the item or the request of `process`, asked of that one row.

    Asked as `task.item IN (every item the user may see)`, the planner estimated the visible
    items of a district office or supervisor at the size of the catalogue (827,000 rows where it
    found 4) and compiled the query with JIT, 72-109 ms per task page (issue 26). Filtered by the
    primary key, each visibility rule is tried on one row."""
    if process.item_id and items_visible_to(user).filter(pk=process.item_id).exists():
        return True
    return bool(
        process.request_id and requests_visible_to(user).filter(pk=process.request_id).exists()
    )


def task_get_for_user(*, user, pk: int) -> Task:
    task = Task.objects.filter(pk=pk).select_related(*TASK_RELATED).first()
    if task is None or not _process_visible(user, task.process.disclosureprocess):
        raise Http404
    return task


def process_get_for_user(*, user, pk: int) -> DisclosureProcess:
    process = (
        DisclosureProcess.objects.filter(pk=pk)
        .select_related("item__unit", "item__section")
        .first()
    )
    if process is None or not _process_visible(user, process):
        raise Http404
    return process


def process_tasks(*, process) -> QuerySet[Task]:
    return process.task_set.select_related("owner").order_by("created", "id")


def open_tasks_of_item(*, item: Item) -> QuerySet[Task]:
    return (
        Task.objects.filter(process__disclosureprocess__item=item, flow_task_type="HUMAN")
        .exclude(status__in=[STATUS.DONE, STATUS.CANCELED])
        .select_related("owner")
    )


def requests_for_user(*, user) -> QuerySet[DisclosureRequest]:
    return (
        requests_visible_to(user)
        .select_related("receiving_unit", "handling_unit", "handling_section")
        .order_by("due_on", "-created_at")
    )


def request_get_for_user(*, user, pk: int) -> DisclosureRequest:
    try:
        return (
            requests_visible_to(user)
            .select_related(
                "receiving_unit__district",
                "handling_unit",
                "handling_section",
                "answer_item",
                "legal_ground",
                "duplicate_of",
                "converted_item",
            )
            .get(pk=pk)
        )
    except DisclosureRequest.DoesNotExist as exc:
        raise Http404 from exc


def request_open_tasks(*, request: DisclosureRequest) -> QuerySet[Task]:
    return (
        Task.objects.filter(process__disclosureprocess__request=request, flow_task_type="HUMAN")
        .exclude(status__in=[STATUS.DONE, STATUS.CANCELED])
        .select_related("owner")
    )


def request_clock_history(*, request: DisclosureRequest) -> QuerySet[AuditEntry]:
    return audit_history_for(subject=request).filter(action__startswith="request.clock.")


def request_history(*, request: DisclosureRequest) -> list[AuditEntry]:
    """Every step of a request, its answer's too (drafting, scans, review, approval, delivery),
    in order, with who did it (the caller has checked the reader may see the request, and the
    answer is shown on its page already). Assignments recorded before they named the section show
    its name from the entry's data, not its id."""

    subjects = [request] + ([request.answer_item] if request.answer_item_id else [])
    condition = Q()
    for subject in subjects:
        condition |= Q(
            subject_type=ContentType.objects.get_for_model(subject, for_concrete_model=True),
            subject_id=str(subject.pk),
        )
    entries = list(
        AuditEntry.objects.filter(condition).select_related("actor").order_by("at", "id")
    )
    for entry in entries:
        data = entry.data or {}
        if entry.action == "request.assigned" and entry.new_state.isdigit() and "section" in data:
            entry.new_state = f"{data.get('unit', '')} / {data['section']}"
            entry.old_state = "" if entry.old_state.isdigit() else entry.old_state
    return entries


def unconfirmed_calendar_requests(*, user) -> QuerySet[DisclosureRequest]:
    """Open requests whose deadline rests on a year without the State Council's notice: the
    warning supervisors (and the offices) see until an administrator enters the year."""
    return requests_visible_to(user).filter(
        status__in=DisclosureRequest.OPEN_STATUSES, calendar_unconfirmed=True
    )


def extensions_waiting_for(*, user) -> QuerySet[Extension]:
    from review.permissions import objects_with_perm

    return Extension.objects.filter(
        status=Extension.Status.PENDING,
        request__receiving_unit_id__in=objects_with_perm(user, "approve_request_extensions"),
    ).select_related("request", "requested_by")


@dataclass(frozen=True)
class Unstaffed:
    """A review or approval of an item that nobody but its author may take (separation of
    duties, issue 20 point 8): the position to appoint and where. `author_holds_it` tells "no
    one other than the drafter" from "no one at all"."""

    role: str
    place: str
    author_holds_it: bool


def unstaffed_tasks(*, tasks: Iterable[Task], author_id: int | None) -> list[Unstaffed]:
    """The open reviews and approvals among `tasks` (of one item written by `author_id`) that
    wait for someone other than the author and that nobody else may claim. One query for who
    holds their permissions, plus one for the place's name of each task nobody does (an item
    has one such task open at a time)."""

    from review.permissions import active_permission_holders, role_granting, task_refuses_author

    waiting = [
        task
        for task in tasks
        if task.owner_permission
        and task_refuses_author(task)
        # Unclaimed, or held by the author from before the rule: either way it waits.
        and (task.status == STATUS.NEW or task.owner_id == author_id)
    ]
    keys = {task: _permission_key(task) for task in waiting}
    holders = active_permission_holders(keys.values())
    notices = []
    for task, key in keys.items():
        people = holders[key]
        if people - {author_id}:
            continue
        role = role_granting(task.owner_permission)
        place = ContentType.objects.get_for_id(key[1]).get_object_for_this_type(pk=key[2])
        notices.append(
            Unstaffed(
                role=role.label if role else task.owner_permission,
                place=str(place),
                author_holds_it=author_id in people,
            )
        )
    return notices


def _permission_key(task: Task) -> tuple[str, int, str]:
    return (
        task.owner_permission,
        task.owner_permission_content_type_id,
        task.owner_permission_obj_pk,
    )
