"""Benchmark: latency and query count of the reviewer queue, the leadership inbox and the
supervisor dashboard with many items and requests across 50 units.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/benchB .venv/bin/python bench/pages.py
    DATABASE_URL=... .venv/bin/python bench/pages.py --rows 20000 --repeat 10
    DATABASE_URL=... .venv/bin/python bench/pages.py --open-tasks 27000  # the pre-issue-8 mix

PostgreSQL only (the data is cloned with `INSERT ... SELECT generate_series`). It creates a
throw-away database (Django's test database, `test_<name>`) and builds:

- 50 units of one district, each with one section and five people placed through the services
  (drafter, reviewer, section head, unit head, request officer), so the guardian object
  permissions are the real ones; a district office with a district approver and a supervisor;
  and one more unit ("idle") whose reviewer has grants but nothing in any queue.
- Nine template lifecycles in unit 0, run through the real services: an item published
  (submit, review, section approval, publication), a request delivered (register, check, assign,
  answer, review, approval, delivery), and seven that leave one open human task each: an item
  waiting for review, an item whose review its reviewer has claimed, a request whose answer waits for review, a request waiting for its answer
  to be drafted, a request waiting for its check, an item waiting for section approval and an
  item (unit scope) waiting for unit approval. Their rows (items, requests, viewflow processes and tasks with the task-to-task links,
  scans and findings, review and approval decisions, letters) are cloned in SQL to every unit
  round-robin, with the unit, section, people and the task's permission object remapped to the
  copy's unit, unique numbers made unique, and dates shifted so that the due dates spread
  (open subjects: some overdue, some at risk; closed ones over the last eleven months).
  Audit rows, notifications and deadline alerts are not cloned (the pages measured do not
  read the first two; the dashboard's escalation column is therefore empty).
- Closed subjects: 49 % of --rows published items and 24 % delivered requests (the closed
  part of a 70 % items / 30 % requests mix). Open subjects on top: --open-tasks of them
  (default: as many as --rows, so 100,000 open human tasks at the default size), 35 % items in
  review, 5 % items under review by the reviewer who claimed them, 10 % request answers in review, 20 % requests waiting for a draft, 12 % for their
  check, 10 % items waiting for section approval, 8 % for unit approval; every unit gets 1/50 of
  each, so unit 7's reviewer has 1,000 tasks to claim at the default size. `--open-tasks 27000`
  gives (nearly) the mix this script had before it took the option: 100k subjects, 27k open.

It measures each page first at --small subjects (query count only, to show whether the count
grows with the data) and then at --rows: p50 and p95 over --repeat GETs after 3 warm-ups with
Django's test Client, and the query count of one GET. Pages: the work list (`workflow:inbox`)
of the reviewer of unit 7 and of the idle reviewer, the leadership inbox (`workflow:approvals`)
of unit 7's section head and unit head, and the supervisor dashboard. Before that, "check" lines
compare what the pages show with what was generated. After the table: the two slowest queries of
each page (timed with perf_counter), and EXPLAIN (ANALYZE, BUFFERS) of the two slowest queries of
the idle reviewer's work list. It prints numbers; it asserts nothing.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

UNITS = 50
BUSY_UNIT = 7
# Closed subjects: (template name, share of --rows).
CLOSED_MIX = [
    ("item_published", 0.70 * 0.70),
    ("request_delivered", 0.30 * 0.80),
]
# Open subjects, each leaving exactly one open human task: (template name, share of
# --open-tasks). Reviews (of items and of request answers) fill the reviewers' queues, drafts
# the sections', checks the disclosure offices', approvals the heads'.
OPEN_MIX = [
    ("item_in_review", 0.35),
    ("item_review_claimed", 0.05),
    ("request_answer_review", 0.10),
    ("request_draft", 0.20),
    ("request_check", 0.12),
    ("item_section_approval", 0.10),
    ("item_unit_approval", 0.08),
]
# The share of --rows left open when --open-tasks is not given: the mix this script had before
# it took --open-tasks (20 % + 5 % + 5 % of the 70 % items, 20 % of the 30 % requests).
DEFAULT_OPEN_SHARE = 0.70 * 0.30 + 0.30 * 0.20
# Days over which the copies' dates are spread back from the template's: open subjects keep
# due dates from about 17 days overdue to 4 weeks ahead, closed ones fill the trend charts.
SPREAD = {"item_published": 330, "request_delivered": 330}
OPEN_SPREAD = 45


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=100_000, help="the size: closed subjects are 73 %% of it"
    )
    parser.add_argument(
        "--open-tasks",
        type=int,
        default=None,
        help="open subjects (one open human task each) at --rows; default: as many as --rows; "
        f"{DEFAULT_OPEN_SHARE:.0%} of --rows gives the mix of 100k subjects with 27k open",
    )
    parser.add_argument("--small", type=int, default=1_000, help="size of the first count")
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--keep", action="store_true", help="keep the test database afterwards, to inspect it"
    )
    args = parser.parse_args()
    open_share = 1.0 if args.open_tasks is None else args.open_tasks / args.rows

    import logging
    import warnings

    import django

    django.setup()
    # Eager Celery logs every notification task; the bench has no static files collected.
    logging.getLogger("celery").setLevel(logging.WARNING)
    warnings.filterwarnings("ignore", message="No directory at")
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        sys.exit(
            "bench/pages.py needs PostgreSQL: "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/benchB .venv/bin/python bench/pages.py"
        )
    from notifications import channels

    settings.NOTIFICATION_CHANNELS = {}
    channels.reset()
    setup_test_environment()  # response.context, for the checks of what the pages show
    old_name = connection.settings_dict["NAME"]
    test_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        print(f"database: {connection.vendor} ({test_name})")
        started = time.perf_counter()
        org = build_org()
        cloner = Cloner(org, build_templates(org))
        print(f"organisation and templates: {time.perf_counter() - started:.1f} s")

        started = time.perf_counter()
        cloner.fill(args.small, round(args.small * open_share))
        print(
            f"filled to {args.small:,} (+ {round(args.small * open_share):,} open): "
            f"{time.perf_counter() - started:.1f} s"
        )
        pages = page_list(org)
        small_counts = {label: query_count(user, url) for label, user, url in pages}

        started = time.perf_counter()
        cloner.fill(args.rows, round(args.rows * open_share))
        print(
            f"filled to {args.rows:,} (+ {round(args.rows * open_share):,} open): "
            f"{time.perf_counter() - started:.1f} s"
        )
        print_sizes()
        check_pages(org)
        uninstrument_templates()

        print()
        header = (
            f"{'page':<46} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'queries':>8} {'@' + format(args.small, ','):>9}"
        )
        print(header)
        print("-" * len(header))
        for label, user, url in pages:
            p50, p95, count = measure(user, url, args.repeat)
            print(f"{label:<46} {p50:>8.1f} {p95:>8.1f} {count:>8} {small_counts[label]:>9}")
        print(f"({args.repeat} GETs each after 3 warm-ups; queries: one GET at each size)")
        print()
        print("the two slowest queries of one GET of each page:")
        for label, user, url in pages:
            print(f"  {label}")
            for line in slowest_queries(user, url, 2):
                print(f"    {line}")
        print()
        explain_slowest(org.idle_reviewer, pages[1][2])
    finally:
        if args.keep:
            print(f"kept the database {test_name}")
        else:
            connection.creation.destroy_test_db(old_name, verbosity=0)


# --- the organisation ----------------------------------------------------------------------


class Org:
    pass


def build_org() -> Org:
    from django.contrib.auth import get_user_model
    from django.db import connection

    from workflow.models import Category, District, Role, Section, Unit
    from workflow.services.organisation import position_assign

    users = get_user_model().objects
    org = Org()
    org.district = District.objects.create(name="基准区", code="B01")
    org.category = Category.objects.create(name="基准类")
    org.rows = []  # one per unit: unit, section and the five people
    for k in range(UNITS):
        unit = Unit.objects.create(
            district=org.district,
            name=f"局{k:02d}",
            code=f"U{k:02d}",
            # What its letters carry (workflow.letter_kinds): the answer letter is issued.
            full_name=f"基准区局{k:02d}",
            letter_prefix=f"基{k:02d}公开",
            reconsideration_body="基准区人民政府",
            court="基准区人民法院",
        )
        section = Section.objects.create(unit=unit, name="业务科")
        people = {}
        for role, where in (
            (Role.DRAFTER, section),
            (Role.REVIEWER, None),
            (Role.SECTION_HEAD, section),
            (Role.UNIT_HEAD, None),
            (Role.REQUEST_OFFICER, None),
        ):
            people[role] = users.create(username=f"u{k:02d}-{role}")
            position_assign(user=people[role], unit=unit, section=where, role=role)
        org.rows.append((unit, section, people))
    office = Unit.objects.create(
        district=org.district, name="区政府办公室", code="QZB", kind=Unit.Kind.DISTRICT_OFFICE
    )
    org.supervisor = users.create(username="supervisor")
    position_assign(user=org.supervisor, unit=office, role=Role.SUPERVISOR)
    position_assign(
        user=users.create(username="district_approver"), unit=office, role=Role.DISTRICT_APPROVER
    )
    idle = Unit.objects.create(district=org.district, name="空闲局", code="IDLE")
    org.idle_reviewer = users.create(username="idle-reviewer")
    position_assign(user=org.idle_reviewer, unit=idle, role=Role.REVIEWER)

    # The copy with index g goes to unit g % UNITS; the SQL joins this map to remap.
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_map (k int PRIMARY KEY, unit_id bigint, section_id bigint, "
            "drafter_id bigint, reviewer_id bigint, section_head_id bigint, "
            "unit_head_id bigint, officer_id bigint)"
        )
        for k, (unit, section, p) in enumerate(org.rows):
            cursor.execute(
                "INSERT INTO bench_map VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                [
                    k,
                    unit.pk,
                    section.pk,
                    *(
                        p[r].pk
                        for r in (
                            Role.DRAFTER,
                            Role.REVIEWER,
                            Role.SECTION_HEAD,
                            Role.UNIT_HEAD,
                            Role.REQUEST_OFFICER,
                        )
                    ),
                ],
            )
    return org


# --- the template lifecycles (real services, unit 0) ----------------------------------------


def build_templates(org) -> dict[str, dict]:
    """Run each template lifecycle through the services and return its rows by model."""
    import datetime as dt

    from django.utils import timezone

    from review.permissions import forget_cached_grants
    from review.services import review_decide
    from workflow.models import DisclosureRequest, Item, Role
    from workflow.selectors import queue_for_user
    from workflow.services import requests as steps
    from workflow.services.approvals import approval_decide
    from workflow.services.intake import request_register
    from workflow.services.items import item_create, item_submit
    from workflow.services.tasks import task_claim

    unit, section, p = org.rows[0]
    drafter, reviewer = p[Role.DRAFTER], p[Role.REVIEWER]
    section_head, _unit_head, officer = (
        p[Role.SECTION_HEAD],
        p[Role.UNIT_HEAD],
        p[Role.REQUEST_OFFICER],
    )
    today = timezone.localdate()

    def task(user, name):
        forget_cached_grants(user)
        found = [t for t in queue_for_user(user=user) if t.flow_task.name == name]
        if not found:
            from viewflow.workflow.models import Task

            open_ = Task.objects.exclude(status="DONE").values_list(
                "flow_task", "status", "owner_id", "owner_permission", "owner_permission_obj_pk"
            )
            raise RuntimeError(f"no {name} task for {user}: {list(open_)}")
        return max(t.pk for t in found)  # the newest: the one this template just created

    def item(title, scope="section"):
        made = item_create(
            author=drafter,
            section=section,
            title=title,
            summary="基准",
            body="根据省民政厅通知，自2026年1月起调整城乡最低生活保障标准。",
            category=org.category,
            attribute=Item.Attribute.PROACTIVE,
            scope=scope,
        )
        item_submit(item=made, user=drafter)
        return made

    def review():
        review_decide(task_id=task(reviewer, "review"), user=reviewer, outcome="pass", comment="")

    def register(received):
        return request_register(
            user=officer,
            unit=unit,
            today=received,
            data={
                "channel": "in_person",
                "submitted_on": received,
                "applicant_kind": "natural_person",
                "applicant_name": "张三",
                "id_number": "110101199003077777",
                "phone": "13800000000",
                "description": "2026年第三季度城乡低保资金发放明细",
            },
        )

    templates = {}
    published = item("已公开的条目")
    review()
    approval_decide(task_id=task(section_head, "approve_section"), user=section_head, approve=True)
    templates["item_published"] = {"items": [published.pk]}

    received = today - dt.timedelta(days=14)
    delivered = register(received)
    steps.request_check(task_id=task(officer, "check"), user=officer, complete=True, today=received)
    steps.request_assign(task_id=task(officer, "assign"), user=officer, section=section)
    steps.answer_draft(
        task_id=task(drafter, "draft_answer"),
        user=drafter,
        outcome="disclosed",
        scope="section",
        answer="经检索，现将所申请信息提供如下。",
    )
    review()
    approval_decide(task_id=task(section_head, "approve_section"), user=section_head, approve=True)
    steps.request_deliver(task_id=task(officer, "deliver"), user=officer, today=today)
    delivered.refresh_from_db()
    assert delivered.status == DisclosureRequest.Status.CLOSED  # the template, not a timing
    templates["request_delivered"] = {
        "requests": [delivered.pk],
        "items": [delivered.answer_item_id],
    }

    # The open ones last, so that the lifecycles above never pick their open tasks.
    def request_to_draft(received):
        made = register(received)
        steps.request_check(
            task_id=task(officer, "check"), user=officer, complete=True, today=received
        )
        steps.request_assign(task_id=task(officer, "assign"), user=officer, section=section)
        return made

    waiting = request_to_draft(today - dt.timedelta(days=6))
    templates["request_draft"] = {"requests": [waiting.pk]}
    waiting = request_to_draft(today - dt.timedelta(days=9))
    steps.answer_draft(
        task_id=task(drafter, "draft_answer"),
        user=drafter,
        outcome="disclosed",
        scope="section",
        answer="经检索，现将所申请信息提供如下。",
    )
    waiting.refresh_from_db()
    templates["request_answer_review"] = {
        "requests": [waiting.pk],
        "items": [waiting.answer_item_id],
    }
    waiting = item("待科室审批的条目")
    review()
    templates["item_section_approval"] = {"items": [waiting.pk]}
    waiting = item("待单位审批的条目", scope="unit")
    review()
    templates["item_unit_approval"] = {"items": [waiting.pk]}
    templates["item_in_review"] = {"items": [item("待审查的条目").pk]}
    claimed = item("审查中的条目")
    task_claim(task_id=task(reviewer, "review"), user=reviewer)
    templates["item_review_claimed"] = {"items": [claimed.pk]}
    templates["request_check"] = {"requests": [register(today - dt.timedelta(days=2)).pk]}
    return {name: template_rows(rows) for name, rows in templates.items()}


def template_rows(seed: dict) -> dict:
    """Every row of the cloned models that belongs to the template's items and requests."""
    from viewflow.workflow.models import Process, Task

    from review.models import ReviewDecision, Scan, ScanFinding
    from workflow.models import ApprovalDecision, DisclosureProcess, DisclosureRequest, Item
    from workflow.models.requests import Letter

    items, requests = seed.get("items", []), seed.get("requests", [])
    processes = list(
        DisclosureProcess.objects.filter(item_id__in=items).values_list("pk", flat=True)
    ) + list(DisclosureProcess.objects.filter(request_id__in=requests).values_list("pk", flat=True))
    processes = sorted(set(processes))
    tasks = sorted(Task.objects.filter(process_id__in=processes).values_list("pk", flat=True))
    scans = sorted(Scan.objects.filter(item_id__in=items).values_list("pk", flat=True))
    through = Task.previous.through
    return {
        Item: sorted(items),
        DisclosureRequest: sorted(requests),
        Process: processes,
        DisclosureProcess: processes,
        Task: tasks,
        through: sorted(through.objects.filter(to_task_id__in=tasks).values_list("pk", flat=True)),
        Scan: scans,
        ScanFinding: sorted(
            ScanFinding.objects.filter(scan_id__in=scans).values_list("pk", flat=True)
        ),
        ReviewDecision: sorted(
            ReviewDecision.objects.filter(process_id__in=processes).values_list("pk", flat=True)
        ),
        ApprovalDecision: sorted(
            ApprovalDecision.objects.filter(process_id__in=processes).values_list("pk", flat=True)
        ),
        Letter: sorted(Letter.objects.filter(request_id__in=requests).values_list("pk", flat=True)),
    }


# --- cloning in SQL ------------------------------------------------------------------------


class Cloner:
    """Copies the templates' rows with `INSERT ... SELECT ... generate_series`. Copy g of a
    template goes to unit g % UNITS; new primary keys are base + (g - first) * rows + i, so every
    foreign key between cloned rows is remapped with arithmetic, not a lookup."""

    def __init__(self, org, templates):
        from django.contrib.auth import get_user_model
        from django.contrib.contenttypes.models import ContentType

        from workflow.models import Role, Section, Unit

        self.templates = templates
        self.done = dict.fromkeys(templates, 0)
        unit, section, p = org.rows[0]
        self.unit0, self.section0 = unit.pk, section.pk
        self.users0 = {
            p[Role.DRAFTER].pk: "drafter_id",
            p[Role.REVIEWER].pk: "reviewer_id",
            p[Role.SECTION_HEAD].pk: "section_head_id",
            p[Role.UNIT_HEAD].pk: "unit_head_id",
            p[Role.REQUEST_OFFICER].pk: "officer_id",
        }
        self.user_model, self.unit_model, self.section_model = get_user_model(), Unit, Section
        self.unit_ct = ContentType.objects.get_for_model(Unit).pk
        self.section_ct = ContentType.objects.get_for_model(Section).pk

    def fill(self, total: int, open_tasks: int) -> None:
        """Closed subjects in CLOSED_MIX's shares of `total`, open ones in OPEN_MIX's of
        `open_tasks`."""
        from django.db import connection, transaction

        mix = [(name, total * share) for name, share in CLOSED_MIX]
        mix += [(name, open_tasks * share) for name, share in OPEN_MIX]
        with transaction.atomic():
            for name, size in mix:
                target = max(1, round(size))
                if target > self.done[name]:
                    self.clone(name, self.done[name] + 1, target)
                    self.done[name] = target
        with connection.cursor() as cursor:
            # Fresh statistics and visibility map, as autovacuum would have them after bulk
            # inserts (index-only scans read the visibility map).
            cursor.execute("VACUUM ANALYZE")

    def clone(self, name: str, first: int, last: int) -> None:
        from django.db import connection

        rows = self.templates[name]
        with connection.cursor() as cursor:
            bases = {}
            for model, ids in rows.items():
                if ids and model._meta.pk.column == "id":
                    cursor.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {model._meta.db_table}")
                    bases[model] = cursor.fetchone()[0]
            # A child table of multi-table inheritance shares its parent's keys.
            for model in rows:
                if model not in bases and rows[model]:
                    bases[model] = bases[model._meta.pk.related_model]
            for model, ids in rows.items():
                if ids:
                    self._insert(cursor, name, model, ids, rows, bases, first, last)
            for model in bases:
                if model._meta.pk.column == "id":
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )

    def _insert(self, cursor, name, model, ids, rows, bases, first, last) -> None:
        from django.db import models as m

        from workflow.models import DisclosureRequest, Item, Letter

        span = SPREAD.get(name, OPEN_SPREAD)
        columns, exprs = [], []
        for field in model._meta.local_concrete_fields:
            col, src = field.column, f"t.{field.column}"
            target = field.related_model if field.is_relation else None
            if field.primary_key and target is None:
                expr = self._new_id(src, model, rows, bases, first)
            elif target is not None and rows.get(target):
                expr = self._new_id(src, target, rows, bases, first)
            elif target is self.unit_model:
                expr = f"CASE WHEN {src} = {self.unit0} THEN m.unit_id ELSE {src} END"
            elif target is self.section_model:
                expr = f"CASE WHEN {src} = {self.section0} THEN m.section_id ELSE {src} END"
            elif target is self.user_model:
                whens = " ".join(f"WHEN {pk} THEN m.{c}" for pk, c in self.users0.items())
                expr = f"CASE {src} {whens} ELSE {src} END"
            elif col == "owner_permission_obj_pk":
                expr = (
                    f"CASE WHEN t.owner_permission_content_type_id = {self.unit_ct} "
                    f"AND {src} = '{self.unit0}' THEN m.unit_id::text "
                    f"WHEN t.owner_permission_content_type_id = {self.section_ct} "
                    f"AND {src} = '{self.section0}' THEN m.section_id::text ELSE {src} END"
                )
            elif model is Item and col == "index_number":
                expr = f"{src} || '-' || g"
            elif model is Item and col == "index_serial":
                expr = f"{src} + g"
            elif model is Letter and col == "number":
                expr = f"{src} || '-' || g"
            elif model is Letter and col == "number_serial":
                expr = f"{src} + g"  # unique per unit and year, like index serials
            elif model is DisclosureRequest and col == "tracking_code":
                expr = f"'T{list(self.templates).index(name)}-' || g"
            elif model in (Item, DisclosureRequest) and isinstance(field, m.DateTimeField):
                expr = f"{src} - make_interval(days => g % {span})"
            elif model in (Item, DisclosureRequest) and isinstance(field, m.DateField):
                expr = f"{src} - g % {span}"
            else:
                expr = src
            columns.append(col)
            exprs.append(expr)
        ids_sql = ", ".join(map(str, ids))
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
            f"SELECT {', '.join(exprs)} FROM {model._meta.db_table} t "
            f"CROSS JOIN generate_series({first}, {last}) g "
            f"JOIN bench_map m ON m.k = g % {UNITS} "
            f"WHERE t.{model._meta.pk.column} IN ({ids_sql})",
        )

    @staticmethod
    def _new_id(src, target, rows, bases, first) -> str:
        ids = rows[target]
        whens = " ".join(f"WHEN {old} THEN {i}" for i, old in enumerate(ids))
        return f"{bases[target]} + (g - {first}) * {len(ids)} + (CASE {src} {whens} END)"


def print_sizes() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM workflow_item), "
            "(SELECT count(*) FROM workflow_disclosurerequest), "
            "(SELECT count(*) FROM viewflow_process), (SELECT count(*) FROM viewflow_task), "
            "(SELECT count(*) FROM viewflow_task WHERE status IN ('NEW', 'ASSIGNED', 'STARTED') "
            "AND flow_task_type = 'HUMAN'), "
            "(SELECT count(*) FROM viewflow_task WHERE status = 'NEW' "
            "AND flow_task_type = 'HUMAN')"
        )
        items, requests, processes, tasks, open_tasks, unclaimed = cursor.fetchone()
    print(
        f"rows: {items:,} items (answers included), {requests:,} requests, "
        f"{processes:,} processes, {tasks:,} tasks"
    )
    print(f"open human tasks: {open_tasks:,} ({unclaimed:,} of them unclaimed)")


# --- the pages -----------------------------------------------------------------------------


def page_list(org) -> list[tuple[str, object, str]]:
    from django.urls import reverse

    from workflow.models import Role

    _unit, _section, p = org.rows[BUSY_UNIT]
    return [
        (f"work list, reviewer of unit {BUSY_UNIT}", p[Role.REVIEWER], reverse("workflow:inbox")),
        ("work list, reviewer with an empty queue", org.idle_reviewer, reverse("workflow:inbox")),
        (
            f"leadership inbox, section head of unit {BUSY_UNIT}",
            p[Role.SECTION_HEAD],
            reverse("workflow:approvals"),
        ),
        (
            f"leadership inbox, unit head of unit {BUSY_UNIT}",
            p[Role.UNIT_HEAD],
            reverse("workflow:approvals"),
        ),
        ("supervisor dashboard", org.supervisor, reverse("supervision:dashboard")),
    ]


def uninstrument_templates() -> None:
    """setup_test_environment() makes every template render send a signal on which the test
    Client copies the context (for response.context, which the checks read): on a page of 50 rows
    with three included templates each, that is 150 context copies no browser's request pays for.
    Undo it before the pages are timed; the rest of the test environment (the test server's host
    among ALLOWED_HOSTS, the e-mail backend) stays."""
    from django.template import Template
    from django.test.utils import _TestState

    Template._render = _TestState.saved_data.template_render


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def query_count(user, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(user)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code} for {user}")
    return len(queries)


def measure(user, url, repeat: int) -> tuple[float, float, int]:
    client = client_for(user)
    for _ in range(3):
        client.get(url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, query_count(user, url)


def check_pages(org) -> None:
    """What the pages show must be what was generated: unit 7's reviewer sees unit 7's open
    reviews (those it holds included) and nothing of other units; the idle reviewer sees
    nothing."""
    from django.db.models import Q
    from django.urls import reverse
    from viewflow.workflow.models import Task

    from workflow.models import Role

    unit, section, p = org.rows[BUSY_UNIT]
    for label, user, url, perm, obj in (
        ("reviewer", p[Role.REVIEWER], "workflow:inbox", "workflow.review_unit_items", unit),
        (
            "section head",
            p[Role.SECTION_HEAD],
            "workflow:approvals",
            "workflow.approve_section_scope",
            section,
        ),
        ("unit head", p[Role.UNIT_HEAD], "workflow:approvals", "workflow.approve_unit_scope", unit),
    ):
        expected = Task.objects.filter(
            Q(status="NEW", owner_permission=perm, owner_permission_obj_pk=str(obj.pk))
            | Q(owner=user, status__in=["ASSIGNED", "STARTED"], owner_permission=perm)
        ).count()
        response = client_for(user).get(reverse(url))
        page = response.context["page"]
        units = {row.unit_name for row in page.object_list}
        print(
            f"check: {label} of unit {BUSY_UNIT} sees {page.paginator.count:,} tasks "
            f"(generated for them: {expected:,}); units on page 1: {sorted(units)} "
            f"(unit {BUSY_UNIT} is {unit.name})"
        )
    response = client_for(org.idle_reviewer).get(reverse("workflow:inbox"))
    print(f"check: idle reviewer sees {response.context['page'].paginator.count} tasks")
    response = client_for(org.supervisor).get(reverse("supervision:dashboard"))
    counters = response.context["counters"]
    print(
        f"check: supervisor sees {counters.open_requests:,} open requests, "
        f"{counters.overdue_requests:,} overdue, {counters.at_risk_requests:,} at risk; "
        f"{counters.overdue_items:,} items overdue, {counters.at_risk_items:,} at risk"
    )


def timed_queries(user, url) -> list[tuple[float, str, object]]:
    """(ms, sql, params) of each query of one GET, timed with perf_counter (the captured queries' own
    times are rounded to whole milliseconds)."""
    from django.db import connection

    client = client_for(user)
    client.get(url)
    timings = []

    def wrapper(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.append(((time.perf_counter() - started) * 1000, sql, params))

    with connection.execute_wrapper(wrapper):
        client.get(url)
    return timings


def outer(sql: str, keyword: str) -> str:
    """The text after the outermost `keyword` (a subquery's is inside parentheses)."""
    depth = 0
    for i, char in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and sql.startswith(f" {keyword} ", i):
            return sql[i + len(keyword) + 2 :]
    return ""


def slowest_queries(user, url, top: int) -> list[str]:
    timings = timed_queries(user, url)
    lines = [f"all {len(timings)} queries: {sum(t for t, _, _ in timings):.1f} ms"]
    for ms, sql, _params in sorted(timings, key=lambda q: -q[0])[:top]:
        kind = "COUNT" if sql.startswith("SELECT COUNT") else sql.split(" ", 1)[0]
        table = outer(sql, "FROM").split(" ", 1)[0].strip('"') or "?"
        lines.append(
            f"{ms:6.1f} ms  {kind} FROM {table}, "
            f"{sql.count(' JOIN ')} joins, {sql.count('SELECT') - 1} subqueries"
        )
        lines.append(f"           WHERE {outer(sql, 'WHERE')[:110].replace(chr(34), '')}")
    return lines


def explain_slowest(user, url, top: int = 2) -> None:
    from django.db import connection

    ranked = sorted(timed_queries(user, url), key=lambda q: -q[0])[:top]
    for rank, (ms, sql, params) in enumerate(ranked, 1):
        print(f"query {rank} by time of the empty-queue work list ({ms:.1f} ms):")
        print(f"  {sql[:300]}...")
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
        print("EXPLAIN (ANALYZE, BUFFERS):")
        for line in plan:
            print(f"  {line[:160]}")
        print()


if __name__ == "__main__":
    main()
