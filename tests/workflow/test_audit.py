"""Every transition writes an audit row through one helper; the item page shows the history."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from audit.selectors import audit_history_for

pytestmark = pytest.mark.django_db


def test_every_transition_is_audited_with_who_what_and_states(org, make_item, flow_steps, client):
    item = make_item()
    flow_steps.submit(item)
    flow_steps.review(item, "return", comment="请补充依据")
    flow_steps.submit(item)
    flow_steps.review(item, "pass", comment="无涉密内容")
    flow_steps.approve("approve_section", org.users.section_head, comment="同意")
    rows = list(
        audit_history_for(subject=item).values_list(
            "action", "actor__username", "old_state", "new_state"
        )
    )
    assert rows == [
        ("workflow.item.created", "drafter", "", "draft"),
        # The scanner runs on submission; the unchanged resubmission reuses that scan.
        ("review.scan.completed", "drafter", "", ""),
        ("workflow.item.submitted", "drafter", "draft", "in_review"),
        ("review.decision.returned", "reviewer", "in_review", "returned"),
        ("workflow.item.resubmitted", "drafter", "returned", "in_review"),
        ("review.decision.passed", "reviewer", "in_review", "in_approval"),
        ("workflow.approval.approved", "section_head", "in_approval", "in_approval"),
        ("workflow.item.published", "section_head", "in_approval", "published"),
    ]
    returned = audit_history_for(subject=item).get(action="review.decision.returned")
    assert returned.comment == "请补充依据"
    # each completed human task is audited too: review, rework, review, approval
    assert AuditEntry.objects.filter(action="workflow.task.completed").count() == 4
    # and the item page shows the history: who provided, who reviewed, who is responsible
    client.force_login(org.users.section_head)
    page = client.get(reverse("workflow:item_detail", args=[item.pk])).content.decode()
    for code, *_ in rows:
        assert code in page
    assert "请补充依据" in page and "同意" in page


def test_position_changes_are_audited(org):
    assert AuditEntry.objects.filter(action="organisation.position.assigned").count() == 15
