"""Reads that depend on who asks. Each *_get_for_user answers 404 for both "missing" and "not
yours", so a URL never reveals that someone else's item exists."""

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


def task_get_for_user(*, user, pk: int) -> Task:
    task = (
        Task.objects.filter(
            Q(process__disclosureprocess__item__in=items_visible_to(user))
            | Q(process__disclosureprocess__request__in=requests_visible_to(user)),
            pk=pk,
        )
        .select_related(*TASK_RELATED)
        .first()
    )
    if task is None:
        raise Http404
    return task


def process_get_for_user(*, user, pk: int) -> DisclosureProcess:
    process = (
        DisclosureProcess.objects.filter(
            Q(item__in=items_visible_to(user)) | Q(request__in=requests_visible_to(user)), pk=pk
        )
        .select_related("item__unit", "item__section")
        .first()
    )
    if process is None:
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
