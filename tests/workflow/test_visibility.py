"""Who sees what: outsiders get 404 for item, process and task URLs; a colleague of another
section of the same unit cannot approve; viewflow's own (leaky) views are not routed."""

import re

import pytest
from django.urls import reverse

from workflow.models import Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_approval(org, make_item, flow_steps):
    item = make_item()
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    task = flow_steps.open_task(org.users.section_head, "approve_section")
    return item, task


def _urls(item, task):
    process = item.processes.get()
    return [
        reverse("workflow:item_detail", args=[item.pk]),
        reverse("workflow:item_edit", args=[item.pk]),
        reverse("workflow:process_detail", args=[process.pk]),
        reverse("workflow:task_detail", args=[task.pk]),
    ]


def test_outsider_gets_404_on_item_process_and_task(client, org, in_approval):
    item, task = in_approval
    client.force_login(org.users.outsider)
    for url in _urls(item, task):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("workflow:task_claim", args=[task.pk]),
        reverse("workflow:item_submit", args=[item.pk]),
        reverse("workflow:task_detail", args=[task.pk]),
    ):
        assert client.post(url, {"decision": "approve"}).status_code == 404, url
    task.refresh_from_db()
    assert task.status == "NEW"


def test_outsiders_404_is_the_same_as_for_a_missing_object(client, org, in_approval):
    item, task = in_approval
    client.force_login(org.users.outsider_head)
    existing_url = reverse("workflow:item_detail", args=[item.pk])
    missing_url = reverse("workflow:item_detail", args=[item.pk + 1000])
    existing, missing = client.get(existing_url), client.get(missing_url)
    assert existing.status_code == missing.status_code == 404

    # identical pages but for the echoed path: nothing tells that the item exists
    def normalised(response, url):
        return re.sub(
            r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode()
        ).replace(url, "")

    assert normalised(existing, existing_url) == normalised(missing, missing_url)


def test_anonymous_is_sent_to_login(client, in_approval):
    item, task = in_approval
    response = client.get(reverse("workflow:task_detail", args=[task.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_colleague_of_another_section_cannot_approve(client, org, in_approval):
    item, task = in_approval
    # the head of 办公室 may read items of the unit's other sections? No: only their own section.
    client.force_login(org.users.other_section_head)
    assert client.get(reverse("workflow:task_detail", args=[task.pk])).status_code == 404
    assert (
        client.post(
            reverse("workflow:task_detail", args=[task.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )
    # the unit's reviewer sees the item but cannot approve it either
    client.force_login(org.users.reviewer)
    page = client.get(reverse("workflow:task_detail", args=[task.pk]))
    assert page.status_code == 200 and page.context["form"] is None
    response = client.post(reverse("workflow:task_detail", args=[task.pk]), {"decision": "approve"})
    assert response.status_code == 302
    task.refresh_from_db()
    item.refresh_from_db()
    assert task.status == "NEW" and item.status == Item.Status.IN_APPROVAL


def test_the_right_section_head_approves_through_the_page(client, org, in_approval):
    item, task = in_approval
    client.force_login(org.users.section_head)
    page = client.get(reverse("workflow:task_detail", args=[task.pk]))
    assert page.status_code == 200 and page.context["form"] is not None
    response = client.post(
        reverse("workflow:task_detail", args=[task.pk]),
        {"decision": "approve", "comment": "同意公开"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED


def test_decision_form_errors_show_beside_the_field_in_chinese(client, org, in_approval):
    item, task = in_approval
    client.force_login(org.users.section_head)
    response = client.post(
        reverse("workflow:task_detail", args=[task.pk]), {"decision": "return", "comment": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["comment"]
    assert "请说明起草人需要修改的内容" in response.content.decode()


def test_lists_show_only_what_the_user_may_see(client, org, make_item, in_approval):
    item, task = in_approval
    edu_item = make_item(author=org.users.outsider, section=org.edu_section, title="教育局草稿")
    client.force_login(org.users.outsider)
    listing = client.get(reverse("workflow:item_list")).content.decode()
    assert "教育局草稿" in listing and item.title not in listing
    inbox = client.get(reverse("workflow:inbox")).content.decode()
    assert item.title not in inbox
    client.force_login(org.users.supervisor)
    listing = client.get(reverse("workflow:item_list")).content.decode()
    assert "教育局草稿" in listing and item.title in listing
    assert edu_item.pk


def test_district_office_sees_district_items_only(org, make_item, flow_steps):
    from workflow.selectors import items_for_user

    section_item = make_item(scope=Item.Scope.SECTION, title="科室信息")
    district_item = make_item(scope=Item.Scope.DISTRICT, title="全区信息")
    # A district-wide item reaches the district office with its approval (never as a draft:
    # tests/security/test_leaks.py).
    for item in (section_item, district_item):
        flow_steps.submit(item)
        flow_steps.review(item, "pass")
    visible = set(items_for_user(user=org.users.district_approver))
    assert district_item in visible and section_item not in visible


@pytest.mark.parametrize("path", ["/workflow/", "/flows/", "/disclosure/", "/viewflow/"])
def test_viewflow_frontend_is_not_routed(client, org, path):
    client.force_login(org.users.reviewer)
    assert client.get(path).status_code == 404


def test_the_district_approval_refs_name_the_flows_nodes():
    """The partial index of migration 0014 and the visibility rule name the district approval
    nodes by the strings viewflow stores; a renamed node must fail here, not silently."""
    from viewflow.workflow.fields import get_task_ref

    from review.permissions import DISTRICT_APPROVAL_REFS
    from workflow.flows import DisclosureFlow, RequestFlow

    assert set(DISTRICT_APPROVAL_REFS) == {
        get_task_ref(DisclosureFlow.approve_district),
        get_task_ref(RequestFlow.approve_district),
    }


def test_an_item_the_reviewer_raised_to_the_district_reaches_the_district_office(
    org, make_item, flow_steps
):
    from review.permissions import items_visible_to

    item = make_item(scope="section")
    flow_steps.submit(item)
    office = org.users.district_approver
    assert not items_visible_to(office).filter(pk=item.pk).exists()
    flow_steps.review(
        item, "pass", raise_scope_to="district", raise_reason="涉及全区，报区政府办公室审批"
    )
    assert items_visible_to(office).filter(pk=item.pk).exists()
    flow_steps.approve("approve_district", office)
    item.refresh_from_db()
    assert item.status == "published" and item.scope == "section"
