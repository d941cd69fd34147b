"""The deadline sweep: reminders before a deadline, escalation up the ladder after it.

It reads only what is due (indexed date columns, bounded by a horizon of the largest reminder
threshold), subtracts what was already recorded (one query), and spends queries only on steps
that are new. Each new step is recorded as a DeadlineAlert under a unique constraint before
anyone is told, so two sweeps at once, or a sweep retried after a crash, never tell twice.

Deadlines swept (law in brackets):
- a request's reply (Art. 33), the correction notice while the check is open (Art. 30) and the
  Art. 26 publication of proactive items: reminders at REMINDER_THRESHOLDS working days left,
  then one escalation rung per ESCALATION_STEP_WORKDAYS working days overdue;
- a request's receipt confirmation with the applicant while it is open (Art. 31: an ordinary
  letter on the day it arrives, online and fax RECEIPT_CONFIRMATION_WORKDAYS after arrival):
  reminders and escalation like the first group;
- the applicant's correction date (Art. 30): someone else's deadline, so the handler is told
  once, the day after, what to record;
- a consulted party's last day (Arts. 32, 34): when it is over without an answer the sweep closes
  the consultation on that day, so the pause ends there, audits it, and tells the handler what the
  silence means (`consultations_lapse`);
- the last day to pay a fee (国办函〔2020〕109号): when it is over without payment the sweep records
  the lapse (the request counts as abandoned), ends the pause on that day, audits it, and tells the
  handler to answer 逾期未缴费 (`fees_lapse`);
- a referral's ruling (Art. 17 ¶3; the referral task's holders, i.e. the unit asked) and a named
  unit's countersignature (会签; that unit's heads): reminders and escalation like the first group.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from guardian.models import UserObjectPermission
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from audit.services import audit_log
from workflow.models import DisclosureRequest, Item, Position, Role
from workflow.services.consultations import consultation_lapse, consultations_lapsing
from workflow.services.fees import fee_lapse, fees_lapsing
from workflow.services.request_clock import ITEM_OPEN_STATUSES
from workflow.workdays import WorkCalendar

from .models import LADDER, Deadline, DeadlineAlert, Rung
from .services import notify

log = logging.getLogger(__name__)

REQUEST_ACTIVE = (DisclosureRequest.Status.REGISTERED, DisclosureRequest.Status.IN_PROGRESS)
HANDLER_ROLES = (Role.REQUEST_OFFICER, Role.DISCLOSURE_OFFICE_HEAD)
DISTRICT_ROLES = (Role.DISTRICT_APPROVER, Role.SUPERVISOR)
RECORD_BATCH = 100


@dataclass
class Due:
    """One deadline of one subject, as read from its indexed column."""

    deadline: str
    key: str
    due_on: dt.date
    title: str
    unit_id: int
    district_id: int
    section_id: int | None = None
    request_id: int | None = None
    item_id: int | None = None
    handler_unit_id: int | None = None  # requests: the receiving unit's disclosure office
    holder_unit_id: int | None = None  # countersignatures: the named unit's heads hold the work
    author_id: int | None = None  # items: the drafter holds a draft nobody has submitted
    passed_only: bool = False
    applicant_name: str = ""  # requests: for the audit row

    @property
    def url(self) -> str:
        # Built only for the few steps that tell someone, not for every due row.
        if self.item_id:
            return reverse("workflow:item_detail", args=[self.item_id])
        return reverse("workflow:request_detail", args=[self.request_id])


@dataclass
class Step:
    due: Due
    kind: str
    step: int
    workdays: int
    rung: str = ""


@dataclass
class SweepResult:
    due: int = 0
    steps: int = 0
    notifications: int = 0
    skipped_duplicates: int = 0
    reassigned: int = 0
    lapsed: int = 0  # consultations closed at the end of the party's time
    fees_lapsed: int = 0  # fee notices unpaid by their last day (国办函〔2020〕109号)
    by_kind: dict = field(default_factory=lambda: defaultdict(int))


# --- reading what is due -------------------------------------------------------------------


def _request_due(row: dict, deadline: str, due_on: dt.date, **extra) -> Due:
    return Due(
        deadline=deadline,
        key=extra.pop("key", f"request:{row['pk']}"),
        due_on=due_on,
        title=row["tracking_code"],
        unit_id=row["handling_unit_id"] or row["receiving_unit_id"],
        district_id=row["receiving_unit__district_id"],
        section_id=row["handling_section_id"],
        request_id=row["pk"],
        handler_unit_id=row["receiving_unit_id"],
        applicant_name=row["applicant_name"],
        **extra,
    )


REQUEST_FIELDS = (
    "pk",
    "tracking_code",
    "applicant_name",
    "receiving_unit_id",
    "handling_unit_id",
    "handling_section_id",
    "receiving_unit__district_id",
)


def due_deadlines(*, today: dt.date, horizon: dt.date) -> list[Due]:
    """Every deadline on or before `horizon` that someone still has to meet (eight indexed reads)."""
    requests = DisclosureRequest.objects
    due = [
        _request_due(row, Deadline.REQUEST_REPLY, row["due_on"])
        for row in requests.filter(status__in=REQUEST_ACTIVE, due_on__lte=horizon)
        .order_by()
        .values(*REQUEST_FIELDS, "due_on")
    ]
    # Art. 30: one correction notice, within 7 working days of receipt, while the check is open.
    due += [
        _request_due(row, Deadline.CORRECTION_NOTICE, row["correction_notice_due_on"])
        for row in requests.filter(
            stage=DisclosureRequest.Stage.CHECK,
            correction_notice_due_on__lte=horizon,
            correction_due_on__isnull=True,
            status__in=DisclosureRequest.OPEN_STATUSES,
        )
        .order_by()
        .values(*REQUEST_FIELDS, "correction_notice_due_on")
    ]
    due += [
        _request_due(row, Deadline.CORRECTION_REPLY, row["correction_due_on"], passed_only=True)
        for row in requests.filter(
            status=DisclosureRequest.Status.CORRECTION, correction_due_on__lt=today
        )
        .order_by()
        .values(*REQUEST_FIELDS, "correction_due_on")
    ]
    # Art. 35: the applicant's date to state reasons passed with none recorded or judged.
    due += [
        _request_due(row, Deadline.REASONS_REPLY, row["reasons_due_on"], passed_only=True)
        for row in requests.filter(
            reasons_received_on__isnull=True,
            reasons_decision="",
            reasons_due_on__lt=today,
            status__in=DisclosureRequest.OPEN_STATUSES,
        )
        .order_by()
        .values(*REQUEST_FIELDS, "reasons_due_on")
    ]
    # Art. 31: receipt of an ordinary letter, an online or a faxed request still to be confirmed.
    due += [
        _request_due(row, Deadline.RECEIPT_CONFIRMATION, row["confirmation_due_on"])
        for row in requests.filter(
            status=DisclosureRequest.Status.SUBMITTED, confirmation_due_on__lte=horizon
        )
        .order_by()
        .values(*REQUEST_FIELDS, "confirmation_due_on")
    ]
    due += _review_deadlines(horizon)
    due += [
        Due(
            deadline=Deadline.ITEM_PUBLICATION,
            key=f"item:{row['pk']}",
            due_on=row["publication_due_on"],
            title=row["title"],
            unit_id=row["unit_id"],
            district_id=row["unit__district_id"],
            section_id=row["section_id"],
            item_id=row["pk"],
            author_id=row["author_id"],
        )
        for row in Item.objects.filter(
            status__in=ITEM_OPEN_STATUSES,
            publication_due_on__lte=horizon,
            attribute=Item.Attribute.PROACTIVE,
        )
        .order_by()
        .values(
            "pk",
            "title",
            "publication_due_on",
            "unit_id",
            "section_id",
            "unit__district_id",
            "author_id",
        )  # fmt: skip
    ]
    return due


def _review_deadlines(horizon: dt.date) -> list[Due]:
    """Open referrals and countersignatures due by `horizon` (two partial-index reads)."""
    from review.models import Countersign, Referral

    item_fields = ("item_id", "item__title", "item__unit_id", "item__section_id")
    due = [
        Due(
            deadline=Deadline.REFERRAL_RULING,
            key=f"referral:{row['pk']}",
            due_on=row["due_on"],
            title=row["item__title"],
            unit_id=row["item__unit_id"],
            district_id=row["to_unit__district_id"],
            section_id=row["item__section_id"],
            item_id=row["item_id"],
            request_id=row["process__request_id"],
        )
        for row in Referral.objects.filter(ruling="", due_on__lte=horizon)
        .order_by()
        .values("pk", "due_on", "to_unit__district_id", "process__request_id", *item_fields)
    ]
    due += [
        Due(
            deadline=Deadline.COUNTERSIGN,
            key=f"countersign:{row['pk']}",
            due_on=row["due_on"],
            title=row["item__title"],
            unit_id=row["unit_id"],
            district_id=row["unit__district_id"],
            item_id=row["item_id"],
            holder_unit_id=row["unit_id"],
        )
        for row in Countersign.objects.filter(
            status=Countersign.Status.PENDING, due_on__lte=horizon
        )
        .order_by()
        .values("pk", "due_on", "unit_id", "unit__district_id", *item_fields)
    ]
    return due


# --- deciding which steps are due ----------------------------------------------------------


def _steps_for(
    due: Due, *, today: dt.date, calendar: WorkCalendar, thresholds: list[int]
) -> list[Step]:
    if due.passed_only:
        # Reported on the first working day after, when the handler can act on it.
        late = calendar.count_between(due.due_on, today)
        return [Step(due, DeadlineAlert.Kind.REMINDER, -1, late, Rung.HOLDER)] if late else []
    if today <= due.due_on:
        left = calendar.count_between(today, due.due_on)
        crossed = [t for t in thresholds if t >= left]
        return (
            [Step(due, DeadlineAlert.Kind.REMINDER, crossed[0], left, Rung.HOLDER)]
            if crossed
            else []
        )
    overdue = calendar.count_between(due.due_on, today)
    if overdue == 0:
        return []  # the due date was a day off; nothing is late before the next working day
    top = min((overdue - 1) // settings.ESCALATION_STEP_WORKDAYS, len(LADDER) - 1)
    return [
        Step(due, DeadlineAlert.Kind.ESCALATION, rung, overdue, LADDER[rung])
        for rung in range(top + 1)
    ]


def _recorded(dues: list[Due]) -> set[tuple]:
    keys = {due.key for due in dues}
    if not keys:
        return set()
    return set(
        DeadlineAlert.objects.filter(subject_key__in=keys).values_list(
            "subject_key", "deadline", "due_on", "kind", "step"
        )
    )


def steps_due(*, today: dt.date, calendar: WorkCalendar, dues: list[Due]) -> list[Step]:
    recorded = _recorded(dues)
    thresholds = sorted(settings.REMINDER_THRESHOLDS)
    return [
        step
        for due in dues
        for step in _steps_for(due, today=today, calendar=calendar, thresholds=thresholds)
        if (due.key, due.deadline, due.due_on, step.kind, step.step) not in recorded
    ]


# --- who is told ---------------------------------------------------------------------------


class People:
    """Who holds the work and who stands above it, for a batch of steps: three queries."""

    def __init__(self, steps: list[Step]):
        dues = [s.due for s in steps]
        request_ids = {d.request_id for d in dues if d.request_id}
        item_ids = {d.item_id for d in dues if d.item_id and not d.request_id}
        self.tasks: dict[tuple[str, int], list[dict]] = defaultdict(list)
        tasks = (
            Task.objects.filter(flow_task_type="HUMAN")
            .exclude(status__in=[STATUS.DONE, STATUS.CANCELED])
            .filter(
                Q(process__disclosureprocess__request_id__in=request_ids)
                | Q(
                    process__disclosureprocess__item_id__in=item_ids,
                    process__disclosureprocess__request__isnull=True,
                )
            )
            .values(
                "pk",
                "status",
                "owner_id",
                "owner_permission",
                "owner_permission_content_type_id",
                "owner_permission_obj_pk",
                "flow_task",
                "process__disclosureprocess__request_id",
                "process__disclosureprocess__item_id",
                "process__disclosureprocess__item__author_id",
            )
        )
        for task in tasks:
            request_id = task["process__disclosureprocess__request_id"]
            subject = (
                ("request", request_id)
                if request_id
                else ("item", task["process__disclosureprocess__item_id"])
            )
            self.tasks[subject].append(task)
        self.claimers = self._claimers([t for ts in self.tasks.values() for t in ts])
        self.positions: dict[tuple, set[int]] = defaultdict(set)
        units = (
            {d.unit_id for d in dues}
            | {d.handler_unit_id for d in dues if d.handler_unit_id}
            | {d.holder_unit_id for d in dues if d.holder_unit_id}
        )
        for user_id, role, unit_id, section_id, district_id in Position.objects.filter(
            Q(role=Role.SECTION_HEAD, section_id__in={d.section_id for d in dues if d.section_id})
            | Q(role__in=[Role.UNIT_HEAD, *HANDLER_ROLES], unit_id__in=units)
            | Q(role__in=DISTRICT_ROLES, unit__district_id__in={d.district_id for d in dues})
        ).values_list("user_id", "role", "unit_id", "section_id", "unit__district_id"):
            self.positions[(role, "section", section_id)].add(user_id)
            self.positions[(role, "unit", unit_id)].add(user_id)
            self.positions[(role, "district", district_id)].add(user_id)

    @staticmethod
    def _claimers(tasks: list[dict]) -> dict[tuple, set[int]]:
        wanted = {
            (
                t["owner_permission"].split(".", 1)[-1],
                t["owner_permission_content_type_id"],
                t["owner_permission_obj_pk"],
            )
            for t in tasks
            if not t["owner_id"] and t["owner_permission"]
        }
        claimers: dict[tuple, set[int]] = defaultdict(set)
        if not wanted:
            return claimers
        rows = UserObjectPermission.objects.filter(
            permission__codename__in={w[0] for w in wanted},
            object_pk__in={w[2] for w in wanted},
        ).values_list("user_id", "permission__codename", "content_type_id", "object_pk")
        for user_id, codename, ct_id, obj_pk in rows:
            if (codename, ct_id, obj_pk) in wanted:
                claimers[(codename, ct_id, obj_pk)].add(user_id)
        return claimers

    def open_tasks(self, due: Due) -> list[dict]:
        return self.tasks[("request", due.request_id) if due.request_id else ("item", due.item_id)]

    def holders(self, due: Due) -> set[int]:
        """The owners of the subject's open tasks, or everyone who may claim them; without an
        open task, the disclosure office (requests) or the drafter (items)."""
        if due.holder_unit_id:
            return set(self.positions[(Role.UNIT_HEAD, "unit", due.holder_unit_id)])
        people: set[int] = set()
        for task in self.open_tasks(due):
            if task["owner_id"]:
                people.add(task["owner_id"])
            elif task["owner_permission"]:
                codename = task["owner_permission"].split(".", 1)[-1]
                people |= self.claimers[
                    (
                        codename,
                        task["owner_permission_content_type_id"],
                        task["owner_permission_obj_pk"],
                    )
                ] - self._refused(task)
        if not people and due.handler_unit_id:
            people = self.handlers(due)
        if not people and due.author_id and not self.open_tasks(due):
            # A draft nobody submitted. A submitted item that only its author could review or
            # approve is nobody's here: the ladder climbs to the heads, who can appoint someone.
            people = {due.author_id}
        return people

    @staticmethod
    def _refused(task: dict) -> set[int]:
        """Who may not claim the task although they hold its permission: the item's author,
        for a review or an approval (separation of duties, as review.permissions.claimable_q)."""
        author_id = task["process__disclosureprocess__item__author_id"]
        if author_id and getattr(task["flow_task"], "not_by_author", False):
            return {author_id}
        return set()

    def handlers(self, due: Due) -> set[int]:
        return set().union(
            *(self.positions[(role, "unit", due.handler_unit_id)] for role in HANDLER_ROLES)
        )

    def rung(self, due: Due, rung: str) -> set[int]:
        if rung == Rung.HOLDER:
            return self.holders(due)
        if rung == Rung.SECTION_HEAD:
            if due.section_id:
                return set(self.positions[(Role.SECTION_HEAD, "section", due.section_id)])
            # A request not yet assigned to a section: the head of the disclosure office.
            return set(self.positions[(Role.DISCLOSURE_OFFICE_HEAD, "unit", due.handler_unit_id)])
        if rung == Rung.UNIT_HEAD:
            return set(self.positions[(Role.UNIT_HEAD, "unit", due.unit_id)])
        return set().union(
            *(self.positions[(role, "district", due.district_id)] for role in DISTRICT_ROLES)
        )


# --- recording and telling -----------------------------------------------------------------


def _audit_subject(due: Due):
    # An unsaved instance carrying the pk and what str() shows: no query per step.
    if due.item_id:
        return Item(pk=due.item_id, title=due.title)
    return DisclosureRequest(
        pk=due.request_id, tracking_code=due.title, applicant_name=due.applicant_name
    )


def _reassign(step: Step, people: People, targets: set[int]) -> list[int]:
    """Take the subject's held queue tasks from their holders (ESCALATION_REASSIGN_RUNGS)."""
    from workflow.exceptions import TaskBusy, TaskNotAvailable
    from workflow.services.tasks import task_reassign

    users = list(get_user_model().objects.filter(pk__in=targets).order_by("pk"))
    moved = []
    for task in people.open_tasks(step.due):
        if task["status"] != STATUS.ASSIGNED or not task["owner_permission"]:
            continue
        try:
            result = task_reassign(
                task_id=task["pk"],
                candidates=[u for u in users if u.pk != task["owner_id"]],
                reason=f"escalation {step.rung}",
            )
        except (TaskBusy, TaskNotAvailable):
            continue
        if result is not None:
            moved.append(result.pk)
    return moved


def _record(step: Step, people: People, result: SweepResult) -> None:
    due = step.due
    recipients = people.rung(due, step.rung)
    note = ""
    rung_index = LADDER.index(step.rung) if step.rung in LADDER else 0
    while not recipients and rung_index < len(LADDER) - 1:
        rung_index += 1  # nobody holds this rung: tell the next one up rather than no one
        recipients = people.rung(due, LADDER[rung_index])
        note = LADDER[rung_index]  # the rung actually told
    if step.kind == DeadlineAlert.Kind.ESCALATION and step.rung != Rung.HOLDER:
        recipients = recipients | people.holders(due)
    reassign = (
        step.kind == DeadlineAlert.Kind.ESCALATION
        and step.rung in settings.ESCALATION_REASSIGN_RUNGS
    )
    with transaction.atomic():
        alert = DeadlineAlert.objects.create(
            kind=step.kind,
            deadline=due.deadline,
            subject_key=due.key,
            request_id=due.request_id,
            item_id=due.item_id,
            due_on=due.due_on,
            step=step.step,
            rung=step.rung,
            workdays=step.workdays,
            recipients=sorted(recipients),
            note=note,
            action=DeadlineAlert.Action.REASSIGN if reassign else DeadlineAlert.Action.NOTIFY,
        )
        moved = _reassign(step, people, recipients) if reassign else []
        verb = (
            "escalation"
            if step.kind == DeadlineAlert.Kind.ESCALATION
            else ("passed" if step.step < 0 else "reminder")
        )
        params = {
            "deadline": due.deadline,
            "due_on": due.due_on.isoformat(),
            "days": step.workdays,
            "subject": due.title,
            "rung": step.rung,
            "reassigned": bool(moved),
        }
        sent = notify(recipient_ids=recipients, verb=verb, params=params, url=due.url, alert=alert)
        audit_log(
            actor=None,
            action=f"notifications.{step.kind}",
            subject=_audit_subject(due),
            new_state=step.rung if step.kind == DeadlineAlert.Kind.ESCALATION else str(step.step),
            comment=note,
            data={**params, "recipients": sorted(recipients), "reassigned_tasks": moved},
        )
    result.steps += 1
    result.notifications += len(sent)
    result.reassigned += len(moved)
    result.by_kind[f"{step.kind}:{due.deadline}"] += 1


# --- consultations whose time ran out ------------------------------------------------------


def consultations_lapse(*, today: dt.date) -> int:
    """Close each consultation whose last day is over without an answer (on that last day, so the
    pause ends there: services.consultations.consultation_lapse, audited) and tell its handler,
    in the same transaction: the request's task holders (or the disclosure office) and whoever
    recorded the consultation. Returns how many were closed."""

    closed = 0
    for consultation_id in consultations_lapsing(today=today):
        with transaction.atomic():
            consultation = consultation_lapse(consultation_id=consultation_id, today=today)
            if consultation is None:
                continue  # answered, or closed by another sweep, meanwhile
            row = (
                DisclosureRequest.objects.filter(pk=consultation.request_id)
                .values(*REQUEST_FIELDS)
                .get()
            )
            due = _request_due(row, Deadline.CONSULTATION_REPLY, consultation.due_on)
            people = People([Step(due, DeadlineAlert.Kind.REMINDER, -1, 0, Rung.HOLDER)])
            notify(
                recipient_ids=people.holders(due) | {consultation.created_by_id},
                verb="consultation_lapsed",
                params={
                    "subject": due.title,
                    "party": consultation.party,
                    "kind": consultation.kind,
                    "due_on": consultation.due_on.isoformat(),
                    "opinion": consultation.opinion,
                },
                url=due.url,
                key=f"consultation_lapsed:{consultation.pk}",
            )
        closed += 1
    return closed


def fees_lapse(*, today: dt.date) -> int:
    """Record each fee notice whose last day to pay is over without payment (国办函〔2020〕109号:
    视为放弃申请; services.fees.fee_lapse, audited, the pause ending on that day) and tell the
    request's handlers and whoever issued the notice, in the same transaction. Returns how many."""

    lapsed = 0
    for fee_id in fees_lapsing(today=today):
        with transaction.atomic():
            fee = fee_lapse(fee_notice_id=fee_id, today=today)
            if fee is None:
                continue  # paid, or lapsed by another sweep, meanwhile
            row = DisclosureRequest.objects.filter(pk=fee.request_id).values(*REQUEST_FIELDS).get()
            due = _request_due(row, Deadline.REQUEST_REPLY, fee.pay_by)
            people = People([Step(due, DeadlineAlert.Kind.REMINDER, -1, 0, Rung.HOLDER)])
            notify(
                recipient_ids=people.holders(due) | ({fee.created_by_id} - {None}),
                verb="fee_lapsed",
                params={
                    "subject": due.title,
                    "amount": f"{fee.amount:f}".removesuffix(".00"),
                    "pay_by": fee.pay_by.isoformat(),
                },
                url=due.url,
                key=f"fee_lapsed:{fee.pk}",
            )
        lapsed += 1
    return lapsed


def deadlines_sweep(*, today: dt.date | None = None) -> SweepResult:
    today = today or timezone.localdate()
    # First, so the requests whose pause ended are read below with their new due dates.
    lapsed = consultations_lapse(today=today)
    fees_lapsed = fees_lapse(today=today)
    calendar = WorkCalendar.load()
    horizon = calendar.count_forward(today, max(settings.REMINDER_THRESHOLDS)).due
    dues = due_deadlines(today=today, horizon=horizon)
    result = SweepResult(due=len(dues), lapsed=lapsed, fees_lapsed=fees_lapsed)
    steps = steps_due(today=today, calendar=calendar, dues=dues)
    if not steps:
        return result
    people = People(steps)
    # Steps are recorded in batches: one commit per batch rather than per step, each step in
    # its own savepoint so a step another sweep recorded first is skipped alone.
    for start in range(0, len(steps), RECORD_BATCH):
        with transaction.atomic():
            for step in steps[start : start + RECORD_BATCH]:
                try:
                    _record(step, people, result)
                except IntegrityError:
                    # Another sweep recorded this step first (the unique constraint decided).
                    result.skipped_duplicates += 1
    return result
