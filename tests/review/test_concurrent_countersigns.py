"""Two units confirm at the same moment: the flow lock orders them, so exactly one of them is the
last and moves the item on to approval, once (PostgreSQL, real concurrent transactions)."""

import threading

import pytest
from django.db import connection
from viewflow.workflow.models import Task

from review.models import Countersign
from review.services import countersign_decide, countersign_unit_name
from tests.factories import UserFactory
from workflow.models import Item
from workflow.services.organisation import position_assign

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_confirmations_open_one_approval(org, make_item, flow_steps):
    office_head = UserFactory(username="office_head")
    position_assign(user=office_head, unit=org.office, section=None, role="unit_head")
    item = make_item()
    countersign_unit_name(item=item, user=org.users.drafter, unit=org.edu)
    countersign_unit_name(item=item, user=org.users.drafter, unit=org.office)
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    pending = {c.unit_id: c.pk for c in Countersign.objects.filter(item=item, status="pending")}
    start = threading.Barrier(2, timeout=30)
    errors = []

    def confirm(countersign_id, user):
        try:
            start.wait()
            countersign_decide(countersign_id=countersign_id, user=user, confirm=True)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=(pending[org.edu.pk], org.users.outsider_head)),
        threading.Thread(target=confirm, args=(pending[org.office.pk], office_head)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    item.refresh_from_db()
    assert item.status == Item.Status.IN_APPROVAL
    tasks = Task.objects.filter(process__disclosureprocess__item=item)
    assert tasks.filter(flow_task_type="HUMAN", status="NEW").count() == 1
    assert tasks.get(status="NEW").flow_task.name == "approve_section"
    assert Countersign.objects.filter(item=item, status="confirmed").count() == 2
