"""The columns a work list sorts, filters and flags by, computed in the query that reads the
tasks: the due date and unit that govern a task, its item's open findings and referrals."""

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from viewflow.workflow.models import Task

from review.models import Referral, Scan, ScanFinding

from ..models import DisclosureRequest
from .filters import Kind, node_refs

PROCESS = "process__disclosureprocess__"


def _open_referral_due():
    return Subquery(
        Referral.objects.filter(process_id=OuterRef("process_id"), ruling="")
        .order_by("-created_at", "-id")
        .values("due_on")[:1],
        output_field=DateField(),
    )


def _latest_scan_findings():
    """Findings of the item's latest scan that nobody has marked as not sensitive."""
    latest_scan = Scan.objects.filter(item_id=OuterRef(OuterRef("item_id"))).order_by(
        "-created_at", "-id"
    )
    return Subquery(
        ScanFinding.objects.filter(scan_id=Subquery(latest_scan.values("pk")[:1]))
        .exclude(resolution=ScanFinding.Resolution.DISMISSED)
        .values("scan_id")
        .annotate(n=Count("pk"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def annotate_due(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """The due date and the unit, what the list is filtered and sorted by."""
    process = PROCESS
    return tasks.annotate(
        due_on=Case(
            When(flow_task__in=node_refs(Kind.NODES[Kind.REFERRAL]), then=_open_referral_due()),
            # Until receipt is confirmed with the applicant (Art. 31) the request has no time limit
            # yet: confirming it is the deadline, reminded like the others.
            When(
                **{f"{process}request__status": DisclosureRequest.Status.SUBMITTED},
                then=F(f"{process}request__confirmation_due_on"),
            ),
            # A request's statutory clock governs every step of its answer, review and approval
            # included; a proactive item's publication deadline (Art. 26) governs its own.
            default=Coalesce(f"{process}request__due_on", f"{process}item__publication_due_on"),
            output_field=DateField(),
        ),
        work_unit_id=Coalesce(
            f"{process}item__unit_id",
            f"{process}request__handling_unit_id",
            f"{process}request__receiving_unit_id",
        ),
    )


def annotate_flags(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Due date and unit, and what makes a task sensitive: open findings and referrals."""
    return annotate_due(tasks).annotate(
        item_id=F(f"{PROCESS}item_id"),
        finding_count=Coalesce(_latest_scan_findings(), Value(0)),
        referred=Exists(Referral.objects.filter(item_id=OuterRef(f"{PROCESS}item_id"))),
    )
