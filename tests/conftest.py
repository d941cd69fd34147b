"""Shared fixtures: a small district built through the services, with one user per role plus an
outsider from another unit and a colleague from another section of the same unit."""

import datetime as dt
import os
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.db import connection

from tests.factories import UserFactory

IN_CI = bool(os.environ.get("CI"))


def _unavailable(reason: str):
    # In CI the services are provided, so a skip would hide a real failure.
    if IN_CI:
        pytest.fail(f"CI must provide this service: {reason}")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _unavailable("needs PostgreSQL: set DATABASE_URL=postgres://...")
    if request.node.get_closest_marker("redis"):
        import redis
        from django.conf import settings

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
        except redis.RedisError:
            _unavailable(f"needs Redis at {settings.REDIS_URL}")


@pytest.fixture(autouse=True)
def _replica_reads(request, monkeypatch):
    """Public pages read the replica (config.db_router) only in tests that declare that database,
    as Django's test isolation asks (`django_db(databases=...)`): for the others, and for the live
    server threads they start, everything reads the primary's test database, so their rows are
    there at once and no replica connection surprises them."""
    marker = request.node.get_closest_marker("django_db")
    databases = marker.kwargs.get("databases") if marker else None
    if databases != "__all__" and "replica" not in (databases or ()):
        monkeypatch.setattr("config.db_router.replica_configured", lambda: False)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class Org:
    district: object
    civil: object  # 民政局
    edu: object  # 教育局
    office: object  # 区政府办公室
    secrecy: object  # 区保密局
    relief: object  # 民政局/社会救助科
    admin_section: object  # 民政局/办公室
    edu_section: object
    category: object
    users: SimpleNamespace


@pytest.fixture
def org(db):
    from workflow.models import Category, District, Section, Unit
    from workflow.services.organisation import position_assign

    district = District.objects.create(name="测试区", code="T01")
    # What letters carry (workflow.letter_kinds): full name, 文号 prefix, the remedies' bodies.
    remedies = {"reconsideration_body": "测试区人民政府", "court": "测试区人民法院"}
    civil = Unit.objects.create(
        district=district,
        name="民政局",
        code="MZJ",
        full_name="测试区民政局",
        letter_prefix="测民公开",
        **remedies,
    )
    edu = Unit.objects.create(
        district=district,
        name="教育局",
        code="JYJ",
        full_name="测试区教育局",
        letter_prefix="测教公开",
        **remedies,
    )
    office = Unit.objects.create(
        district=district,
        name="区政府办公室",
        code="QZB",
        kind=Unit.Kind.DISTRICT_OFFICE,
        full_name="测试区人民政府办公室",
        letter_prefix="测政办公开",
        **remedies,
    )
    secrecy = Unit.objects.create(
        district=district, name="区保密局", code="BMJ", kind=Unit.Kind.SECRECY_BUREAU
    )
    relief = Section.objects.create(unit=civil, name="社会救助科")
    admin_section = Section.objects.create(unit=civil, name="办公室")
    edu_section = Section.objects.create(unit=edu, name="基础教育科")
    category = Category.objects.create(name="社会救助")

    def person(username, role, unit, section=None):
        user = UserFactory(username=username)
        position_assign(user=user, unit=unit, section=section, role=role)
        return user

    users = SimpleNamespace(
        drafter=person("drafter", "drafter", civil, relief),
        reviewer=person("reviewer", "reviewer", civil),
        section_head=person("section_head", "section_head", civil, relief),
        other_section_head=person("other_section_head", "section_head", civil, admin_section),
        colleague=person("colleague", "drafter", civil, admin_section),
        unit_head=person("unit_head", "unit_head", civil),
        district_approver=person("district_approver", "district_approver", office),
        supervisor=person("supervisor", "supervisor", office),
        secrecy_reviewer=person("secrecy_reviewer", "reviewer", secrecy),
        outsider=person("outsider", "drafter", edu, edu_section),
        outsider_reviewer=person("outsider_reviewer", "reviewer", edu),
        outsider_head=person("outsider_head", "unit_head", edu),
        officer=person("officer", "request_officer", civil),
        disclosure_head=person("disclosure_head", "disclosure_office_head", civil),
        outsider_officer=person("outsider_officer", "request_officer", edu),
    )
    return Org(
        district, civil, edu, office, secrecy, relief, admin_section, edu_section, category, users
    )


@pytest.fixture
def make_item(org):
    from workflow.services.items import item_create

    def make(
        scope="section",
        attribute="proactive",
        title="2026年城乡低保标准调整的通知",
        author=None,
        section=None,
        **extra,
    ):
        return item_create(
            author=author or org.users.drafter,
            section=section or org.relief,
            title=title,
            category=org.category,
            attribute=attribute,
            scope=scope,
            **{
                "summary": "低保标准调整",
                "body": "根据省民政厅通知，自2026年1月起调整城乡最低生活保障标准。",
                **extra,
            },
        )

    return make


@pytest.fixture
def flow_steps(org):
    """Service-level steps used by many tests."""
    from review.permissions import forget_cached_grants
    from review.services import referral_rule, review_decide
    from workflow.selectors import queue_for_user
    from workflow.services.approvals import approval_decide
    from workflow.services.items import item_submit

    def open_task(user, name):
        forget_cached_grants(user)
        return next(t for t in queue_for_user(user=user) if t.flow_task.name == name)

    return SimpleNamespace(
        submit=lambda item, user=None: item_submit(item=item, user=user or org.users.drafter),
        open_task=open_task,
        review=lambda item, outcome="pass", comment="", user=None, **kw: review_decide(
            task_id=open_task(user or org.users.reviewer, "review").pk,
            user=user or org.users.reviewer,
            outcome=outcome,
            comment=comment,
            **kw,
        ),
        rule=lambda ruling, comment="", user=None: referral_rule(
            task_id=open_task(user or org.users.secrecy_reviewer, "referral").pk,
            user=user or org.users.secrecy_reviewer,
            ruling=ruling,
            comment=comment,
        ),
        approve=lambda task_name, user, approve=True, comment="": approval_decide(
            task_id=open_task(user, task_name).pk, user=user, approve=approve, comment=comment
        ),
    )


@pytest.fixture
def req(org, flow_steps):
    """Disclosure-request steps through the services (received on 2026-09-30 unless told)."""
    from workflow.models import LegalGround
    from workflow.services import requests as steps
    from workflow.services.intake import request_register

    u = org.users

    def register(received=dt.date(2026, 9, 30), channel="in_person", **extra):
        data = {
            "channel": channel,
            "submitted_on": received,
            "applicant_kind": "natural_person",
            "applicant_name": "张三",
            "id_number": "110101199003077777",
            "phone": "13800000000",
            "description": "2026年第三季度城乡低保资金发放明细",
            **extra,
        }
        return request_register(user=u.officer, unit=org.civil, data=data, today=received)

    def task(user, name):
        return flow_steps.open_task(user, name).pk

    def to_drafting(request, today=None):
        steps.request_check(
            task_id=task(u.officer, "check"), user=u.officer, complete=True, today=today
        )
        steps.request_assign(task_id=task(u.officer, "assign"), user=u.officer, section=org.relief)

    def answer(outcome="disclosed", scope="section", **kw):
        defaults = {"answer": "经检索，现将所申请信息提供如下。"}
        if outcome in ("not_disclosed", "partly_disclosed"):
            defaults["legal_ground"] = LegalGround.objects.get(code="art15-third-party")
        if outcome == "not_competent":
            defaults["competent_agency"] = "区财政局，电话 010-12345678"
        if outcome == "other":
            # "Other handling" names the provision it rests on (workflow.letter_kinds).
            defaults["answer"] = (
                "您提出的系更正与您自身相关的政府信息记录的要求，本机关依照《条例》第四十一条的规定"
                "另行审核处理。"
            )
        steps.answer_draft(
            task_id=task(u.drafter, "draft_answer"),
            user=u.drafter,
            outcome=outcome,
            scope=scope,
            **{**defaults, **kw},
        )

    def deliver(today):
        return steps.request_deliver(
            task_id=task(u.officer, "deliver"), user=u.officer, today=today
        )

    return SimpleNamespace(
        register=register, task=task, to_drafting=to_drafting, answer=answer, deliver=deliver
    )


@pytest.fixture
def settle(org):
    """Settle every open finding of the item's latest scan as the reviewer holding the task does
    by hand: each one redacted under its kind's usual ground, or dismissed with a reason."""
    from review.grounds import USUAL_GROUND_CODES
    from review.models import ScanFinding
    from review.services import finding_dismiss, finding_redact
    from workflow.models import LegalGround

    def run(item, *, dismiss=False, user=None):
        user = user or org.users.reviewer
        scan = item.scans.order_by("-created_at", "-id").first()
        for finding in scan.findings.order_by("pk"):
            finding.refresh_from_db()
            if finding.resolution != ScanFinding.Resolution.OPEN:
                continue
            if dismiss:
                finding_dismiss(finding_id=finding.pk, user=user, note="核实后可以公开的信息")
            else:
                ground = LegalGround.objects.get(code=USUAL_GROUND_CODES[finding.kind])
                finding_redact(finding_id=finding.pk, user=user, ground=ground)

    return run
