"""The world the permission matrix runs against, built through the real services: items of the
own unit (民政局 MZJ) and of another unit (教育局 JYJ) in each state, with their tasks, processes,
attachments, findings and redactions; disclosure requests with consultations, extensions and
letters; a countersignature asked of the other unit; annual reports, appeals and notifications.

Every object has a key ("mzj.review", "jyj.req", ...) that the table in permission_matrix.py names.
"""

import datetime as dt
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import UserFactory

# Texts the scanner flags (a mobile number and an ID number), so that items have findings.
SENSITIVE_BODY = "联系人手机13912345678，身份证号110101199003077777，领取临时救助金。"
REDACTED_PASSAGE = "领取临时救助金"

# Distinct applicants, so that no request is taken for a repetition of another.
ID_NUMBERS = {
    "mzj.check": "110101199003077777",
    "mzj.req": "11010119900307001X",
    "jyj.req": "110101199003070017",
}


def _task_of(*, user, name, item=None, request=None):
    """The open task `name` of this item or request that reaches `user` (not merely the first of
    its name: several subjects wait at the same node)."""
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from review.permissions import forget_cached_grants

    forget_cached_grants(user)
    tasks = Task.objects.filter(flow_task_type="HUMAN").exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED]
    )
    if item is not None:
        tasks = tasks.filter(process__disclosureprocess__item=item)
    else:
        tasks = tasks.filter(process__disclosureprocess__request=request)
    return next(t for t in tasks.order_by("-pk") if t.flow_task.name == name)


class Builder:
    def __init__(self, org):
        self.org = org
        self.u = org.users
        self.objects: dict[str, object] = {}

    # --- items -----------------------------------------------------------------------------

    def item(self, key, *, unit, state, scope, **extra):
        from workflow.models import Item, LegalGround
        from workflow.services.items import attachment_add, item_create

        own = unit == "mzj"
        author = self.u.drafter if own else self.u.outsider
        section = self.org.relief if own else self.org.edu_section
        fields = {}
        if state == "withheld":
            fields = {
                "attribute": Item.Attribute.WITHHELD,
                "withhold_reason": "内部事务信息",
                "withhold_ground": LegalGround.objects.get(code="art16-internal"),
            }
        item = item_create(
            author=author,
            section=section,
            title=f"{key} 城乡低保标准调整",
            summary="低保标准调整",
            body=SENSITIVE_BODY,
            category=self.org.category,
            scope=scope,
            **fields,
            **extra,
        )
        attachment = attachment_add(
            item=item,
            user=author,
            upload=SimpleUploadedFile(f"{unit}-{state}.txt", "城乡低保发放标准表".encode()),
        )
        self.objects[key] = item
        self.objects[f"{key}.attachment"] = attachment
        return item

    def submit(self, item):
        from workflow.services.items import item_submit

        item_submit(item=item, user=item.author)

    def review(self, item, reviewer, outcome="pass", **kw):
        from review.models import ScanFinding
        from review.services import finding_redact, review_decide
        from workflow.models import LegalGround
        from workflow.services.tasks import task_claim

        task = _task_of(user=reviewer, name="review", item=item)
        if outcome == "pass":
            # No pass settles a finding: the reviewer redacts each one first (Art. 15).
            task_claim(task_id=task.pk, user=reviewer)
            ground = LegalGround.objects.get(code="art15-third-party")
            scan = item.scans.order_by("-created_at", "-id").first()
            for finding in scan.findings.order_by("pk"):
                finding.refresh_from_db()
                if finding.resolution == ScanFinding.Resolution.OPEN:
                    finding_redact(finding_id=finding.pk, user=reviewer, ground=ground)
        review_decide(task_id=task.pk, user=reviewer, outcome=outcome, **kw)

    def approve(self, item, name, approver):
        from workflow.services.approvals import approval_decide

        task = _task_of(user=approver, name=name, item=item)
        approval_decide(task_id=task.pk, user=approver, approve=True, comment="同意")
        return task

    def own_items(self):
        from review.models import Redaction
        from review.services import countersign_unit_name, passage_redact
        from workflow.models import LegalGround
        from workflow.services.tasks import task_claim

        u = self.u
        item = self.item("mzj.draft", unit="mzj", state="draft", scope="section")
        countersign_unit_name(item=item, user=u.drafter, unit=self.org.office)
        self.objects["mzj.draft.named_unit"] = self.org.office

        # Under review, the task claimed by the reviewer, who has redacted a passage.
        item = self.item("mzj.review", unit="mzj", state="review", scope="section")
        self.submit(item)
        task = _task_of(user=u.reviewer, name="review", item=item)
        task_claim(task_id=task.pk, user=u.reviewer)
        passage_redact(
            item=item,
            user=u.reviewer,
            passage=REDACTED_PASSAGE,
            ground=LegalGround.objects.get(code="art15-third-party"),
        )
        self.objects["mzj.review.task"] = task
        self.objects["mzj.review.finding"] = item.findings.filter(resolution="open").first()
        self.objects["mzj.review.redaction"] = Redaction.objects.get(item=item)

        # Referred to the secrecy bureau for a ruling.
        item = self.item("mzj.referred", unit="mzj", state="referred", scope="section")
        self.submit(item)
        self.review(item, u.reviewer, "refer", comment="是否涉密？")
        self.objects["mzj.referred.task"] = _task_of(
            user=u.secrecy_reviewer, name="referral", item=item
        )

        # Waiting for the other unit (教育局) to countersign.
        item = self.item("mzj.countersign", unit="mzj", state="countersign", scope="section")
        countersign_unit_name(item=item, user=u.drafter, unit=self.org.edu)
        self.submit(item)
        self.review(item, u.reviewer)
        self.objects["mzj.countersign.countersign"] = item.countersigns.get()
        self.objects["mzj.countersign.named_unit"] = self.org.edu

        # Passed review, awaiting the district office's approval (the state before publication:
        # approval publishes at once, there is no "approved, not yet published" state).
        item = self.item("mzj.approval", unit="mzj", state="approval", scope="district")
        self.submit(item)
        self.review(item, u.reviewer)
        self.objects["mzj.approval.task"] = _task_of(
            user=u.district_approver, name="approve_district", item=item
        )

        item = self.item("mzj.published", unit="mzj", state="published", scope="section")
        self.submit(item)
        self.review(item, u.reviewer)
        self.objects["mzj.published.task"] = self.approve(item, "approve_section", u.section_head)

        item = self.item("mzj.withheld", unit="mzj", state="withheld", scope="section")
        self.submit(item)
        self.review(item, u.reviewer)
        self.approve(item, "approve_section", u.section_head)

    def other_items(self):
        u = self.u
        self.item("jyj.draft", unit="jyj", state="draft", scope="unit")

        item = self.item("jyj.review", unit="jyj", state="review", scope="unit")
        self.submit(item)
        self.objects["jyj.review.task"] = _task_of(
            user=u.outsider_reviewer, name="review", item=item
        )
        self.objects["jyj.review.finding"] = item.findings.first()

        item = self.item("jyj.approval", unit="jyj", state="approval", scope="unit")
        self.submit(item)
        self.review(item, u.outsider_reviewer)
        self.objects["jyj.approval.task"] = _task_of(
            user=u.outsider_head, name="approve_unit", item=item
        )

        item = self.item("jyj.published", unit="jyj", state="published", scope="unit")
        self.submit(item)
        self.review(item, u.outsider_reviewer)
        self.approve(item, "approve_unit", u.outsider_head)

        item = self.item("jyj.withheld", unit="jyj", state="withheld", scope="unit")
        self.submit(item)
        self.review(item, u.outsider_reviewer)
        self.approve(item, "approve_unit", u.outsider_head)

    # --- requests --------------------------------------------------------------------------

    def request(self, key, *, officer, unit, section, applicant, received, today):
        from workflow.services import requests as steps
        from workflow.services.intake import request_register
        from workflow.services.request_actions import consultation_open, extension_request

        req = request_register(
            user=officer,
            unit=unit,
            data={
                "channel": "in_person",
                "submitted_on": received,
                "applicant_kind": "natural_person",
                "applicant_name": applicant,
                "id_number": ID_NUMBERS[key],
                "phone": "13800000000",
                "description": f"{key}：2025年城乡低保资金发放明细",
            },
            today=received,
        )
        self.objects[key] = req
        if section is None:
            self.objects[f"{key}.task"] = _task_of(user=officer, name="check", request=req)
            return req
        task = _task_of(user=officer, name="check", request=req)
        steps.request_check(task_id=task.pk, user=officer, complete=True, today=received)
        task = _task_of(user=officer, name="assign", request=req)
        steps.request_assign(task_id=task.pk, user=officer, section=section)
        consultation = consultation_open(
            request_id=req.pk,
            user=officer,
            kind="third_party",
            party="第三方甲",
            question="是否同意公开？",
            sent_on=today,
            today=today,
        )
        if key == "mzj.req":
            # Only here: the other unit's request stays free for a new extension request.
            self.objects[f"{key}.extension"] = extension_request(
                request_id=req.pk, user=officer, days=10, reason="需要会商"
            )
        req.refresh_from_db()
        self.objects[f"{key}.consultation"] = consultation
        self.objects[f"{key}.letter"] = req.letters.get(kind="consultation")
        return req

    def requests(self, today):
        from notifications.task_notices import task_available_notify

        u, org = self.u, self.org
        received = today - dt.timedelta(days=7)
        # A request waiting at the completeness check, and one being drafted, per unit.
        self.request(
            "mzj.check",
            officer=u.officer,
            unit=org.civil,
            section=None,
            applicant="张三",
            received=received,
            today=today,
        )
        self.request(
            "mzj.req",
            officer=u.officer,
            unit=org.civil,
            section=org.relief,
            applicant="李四",
            received=received,
            today=today,
        )
        self.request(
            "jyj.req",
            officer=u.outsider_officer,
            unit=org.edu,
            section=org.edu_section,
            applicant="王五",
            received=received,
            today=today,
        )
        for key, drafter in (("mzj.req", u.drafter), ("jyj.req", u.outsider)):
            task = _task_of(user=drafter, name="draft_answer", request=self.objects[key])
            self.objects[f"{key}.task"] = task
            # The task notice runs after commit in production; the test never commits.
            task_available_notify(task_id=task.pk)
            self.objects[f"{key}.notification"] = drafter.notifications.get()

    # --- reports and appeals ---------------------------------------------------------------

    def reports(self, year):
        from reports.services import appeal_record, report_create

        u, org = self.u, self.org
        self.objects["mzj.report"] = report_create(user=u.drafter, unit=org.civil, year=year)
        self.objects["jyj.report"] = report_create(user=u.outsider, unit=org.edu, year=year)
        self.objects["district.report"] = report_create(
            user=u.supervisor, district=org.district, year=year
        )
        for key, user, unit in (("mzj", u.officer, org.civil), ("jyj", u.outsider, org.edu)):
            self.objects[f"{key}.appeal"] = appeal_record(
                user=user,
                unit=unit,
                kind="reconsideration",
                case_number=f"区复〔{year}〕{unit.code}号",
                filed_on=dt.date(year, 5, 6),
                result="pending",
            )
        self.objects["mzj.unit"] = org.civil
        self.objects["jyj.unit"] = org.edu
        self.objects["bmj.unit"] = org.secrecy


def build_world(org, *, today: dt.date) -> SimpleNamespace:
    """Everything the matrix needs; `objects` maps each key of the table to its object."""
    from workflow.models import Item

    builder = Builder(org)
    builder.own_items()
    builder.other_items()
    builder.requests(today)
    builder.reports(today.year - 1)
    objects = builder.objects
    for key, obj in list(objects.items()):
        if isinstance(obj, Item) and obj.processes.exists():
            objects[f"{key}.process"] = obj.processes.get()
    for key in ("mzj.check", "mzj.req", "jyj.req"):
        objects[f"{key}.process"] = objects[key].processes.get()
    users = vars(org.users) | {
        "superuser": UserFactory(username="root", is_staff=True, is_superuser=True),
        "staff": UserFactory(username="staff", is_staff=True),
    }
    objects.update({f"user.{name}": user for name, user in users.items()})
    for obj in objects.values():
        if hasattr(obj, "refresh_from_db"):
            obj.refresh_from_db()
    return SimpleNamespace(objects=objects, users=users)
