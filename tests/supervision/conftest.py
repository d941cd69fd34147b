"""A known data set for the dashboard, built through the services and computed by hand.

"Today" is Thursday 2026-11-12. At risk means due within 3 working days: 11-13, 11-16, 11-17
(the weekend 11-14/15 lies in between), so a due date in [11-12, 11-17] is at risk and one before
11-12 is overdue.
"""

import contextlib
import datetime as dt
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine

D = dt.date
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
TODAY = D(2026, 11, 12)


@contextlib.contextmanager
def on(day: dt.date, hour: int = 10):
    with time_machine.travel(dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI), tick=False):
        yield


@pytest.fixture
def register_at(org):
    """Register a request at any unit whose request officer we know."""
    from workflow.services.intake import request_register

    officers = {org.civil.pk: org.users.officer, org.edu.pk: org.users.outsider_officer}

    def register(unit, received, **extra):
        data = {
            "channel": "in_person",
            "submitted_on": received,
            "applicant_kind": "natural_person",
            "applicant_name": "李四",
            "id_number": "110101199003077777",
            "phone": "13800000000",
            "description": "城乡低保资金发放明细",
            **extra,
        }
        return request_register(user=officers[unit.pk], unit=unit, data=data, today=received)

    return register


@pytest.fixture
def dataset(org, req, make_item, flow_steps, register_at):
    from review.services import countersign_unit_name
    from workflow.models import DisclosureRequest

    s = SimpleNamespace()
    # Requests (unit = receiving unit).
    s.r_late = req.register(received=D(2026, 9, 30))
    req.to_drafting(s.r_late, today=D(2026, 10, 9))  # due 11-03, drafting: 7 working days late
    s.r_edu_late = register_at(org.edu, D(2026, 9, 30))  # due 11-03, check
    s.r_risk = req.register(received=D(2026, 10, 19))  # due 11-16, check: 2 working days left
    s.r_ok = req.register(received=D(2026, 11, 2))  # due 11-30, check
    s.r_closed_late = req.register(received=D(2026, 9, 30))
    s.r_closed_on_time = req.register(received=D(2026, 10, 19))
    closed = {"status": "closed", "stage": "closed"}
    DisclosureRequest.objects.filter(pk=s.r_closed_late.pk).update(
        answered_on=D(2026, 11, 5), **closed
    )
    DisclosureRequest.objects.filter(pk=s.r_closed_on_time.pk).update(
        answered_on=D(2026, 11, 10), **closed
    )
    # Proactive items (unit = the item's unit).
    with on(D(2026, 11, 2)):
        s.i_late = make_item(title="逾期事项", formed_on=D(2026, 10, 12))  # due 11-09
        s.i_risk = make_item(title="临期事项", formed_on=D(2026, 10, 19))  # due 11-16
        s.i_ok = make_item(title="正常事项", formed_on=D(2026, 11, 2))  # due 11-30
        s.i_on_request = make_item(
            title="依申请公开答复", attribute="on_request", formed_on=D(2026, 10, 12)
        )
        s.i_edu_risk = make_item(
            title="教育局临期事项",
            author=org.users.outsider,
            section=org.edu_section,
            formed_on=D(2026, 10, 19),
        )
    # A referral to the secrecy bureau on 10-26, due 10 working days later on 11-09.
    with on(D(2026, 10, 26)):
        s.i_referred = make_item(title="请保密局审定的事项", formed_on=D(2026, 10, 26))
        flow_steps.submit(s.i_referred)
        flow_steps.review(s.i_referred, "refer", comment="是否涉密请审定")
    # Countersignatures asked of the education bureau and the district office on 11-02, due 11-09.
    with on(D(2026, 10, 26)):
        s.i_countersign = make_item(title="需会签的事项", formed_on=D(2026, 10, 26))
        countersign_unit_name(item=s.i_countersign, user=org.users.drafter, unit=org.edu)
        countersign_unit_name(item=s.i_countersign, user=org.users.drafter, unit=org.office)
        flow_steps.submit(s.i_countersign)
    with on(D(2026, 11, 2)):
        flow_steps.review(s.i_countersign, "pass")
    # One item published in October.
    with on(D(2026, 10, 20)):
        s.i_published = make_item(title="已发布事项", formed_on=D(2026, 10, 19))
        flow_steps.submit(s.i_published)
        flow_steps.review(s.i_published, "pass")
        flow_steps.approve("approve_section", org.users.section_head)
    for obj in vars(s).values():
        obj.refresh_from_db()
    return s


@pytest.fixture
def supervisor_client(client, org):
    client.force_login(org.users.supervisor)
    return client
