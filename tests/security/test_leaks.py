"""Issue 20 point 9: leaks an outside probe found, each closed and kept closed.

1. The Atom feed showed the text of on-request entries: it shows the summary only, and an item
   disclosed proactively or on request cannot be submitted without one.
2. The secrecy bureau read items referred to another department: a referral opens an item to its
   target only.
3. The district office read other units' district-wide drafts: only what reached it.
4. Request pages named the tracking codes (the applicant's key to the public status page) of
   requests the viewer cannot open, and the consultation letter to a third party carried it.
5. Anyone who could read an item could have it scanned again: only its drafter before
   submission and the reviewer holding its review.

Each test has the owner, a colleague and an outsider; outsiders get 404.
"""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from review.models import Scan
from workflow.models import DisclosureRequest, Item, Letter

pytestmark = pytest.mark.django_db

D = dt.date


def _status(client, user, url):
    client.force_login(user)
    return client.get(url).status_code


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- 1. the feed shows summaries only, and proactive and on-request items need one -------------


@pytest.fixture
def draft(make_item):
    """make_item with its own body and summary (make_item fixes both)."""

    def make(body=None, summary=None, **kwargs):
        item = make_item(**kwargs)
        if body is not None:
            item.body = body
        if summary is not None:
            item.summary = summary
        item.save()
        return item

    return make


@pytest.fixture
def published(org, draft, flow_steps):
    def make(**kwargs):
        item = draft(**kwargs)
        flow_steps.submit(item)
        flow_steps.review(item, "pass")
        flow_steps.approve("approve_section", org.users.section_head)
        item.refresh_from_db()
        assert item.status == Item.Status.PUBLISHED
        return item

    return make


def test_the_feed_never_shows_the_text_of_an_entry(client, published):
    # Given an on-request entry and a proactive one, both published before summaries were
    # required (their summaries are empty).
    on_request = published(
        title="依申请公开的信息", attribute="on_request", body="只能依申请获取的正文"
    )
    proactive = published(title="主动公开的信息", body="主动公开的正文")
    Item.objects.filter(pk__in=[on_request.pk, proactive.pk]).update(summary="")
    # When anyone reads the feed
    xml = client.get(reverse("portal:feed")).content.decode()
    # Then both are listed, by title, without any of their text.
    assert "依申请公开的信息" in xml and "主动公开的信息" in xml
    assert "只能依申请获取的正文" not in xml
    assert "主动公开的正文" not in xml


def test_the_feed_shows_the_summary(client, published):
    published(title="依申请公开的信息", attribute="on_request", summary="申请可得的概述")
    xml = client.get(reverse("portal:feed")).content.decode()
    assert "申请可得的概述" in xml


def test_the_public_api_gives_no_text_of_an_on_request_entry(client, published):
    # The API already withheld it; kept here so that the feed and the API stay alike.
    entry = published(title="依申请公开的信息", attribute="on_request", body="只能依申请获取的正文")
    for url in (
        reverse("api:catalogue"),
        reverse("api:catalogue_detail", args=[entry.pk]),
    ):
        body = client.get(url).content.decode()
        assert "依申请公开的信息" in body and "只能依申请获取的正文" not in body


@pytest.mark.parametrize("attribute", ["proactive", "on_request"])
def test_an_item_without_a_summary_cannot_be_submitted(org, draft, attribute):
    from workflow.services.items import item_submit

    # Given the drafter's item without a summary
    item = draft(attribute=attribute, summary="")
    # When the drafter submits it, then it is refused on the summary, and stays a draft.
    with pytest.raises(ValidationError) as refused:
        item_submit(item=item, user=org.users.drafter)
    assert "summary" in refused.value.message_dict
    item.refresh_from_db()
    assert item.status == Item.Status.DRAFT and not item.processes.exists()


def test_the_submit_button_says_why_an_item_without_a_summary_stays(client, org, draft):
    item = draft(summary="  ")
    client.force_login(org.users.drafter)
    response = client.post(reverse("workflow:item_submit", args=[item.pk]))
    assert response.status_code == 302
    assert _messages(response)  # the refusal, beside nothing else
    item.refresh_from_db()
    assert item.status == Item.Status.DRAFT
    # The form says it before the drafter gets there.
    page = client.get(reverse("workflow:item_edit", args=[item.pk]))
    help_text = str(page.context["form"].fields["summary"].help_text)
    assert help_text and help_text in page.content.decode()


def test_a_withheld_item_needs_no_summary(org, draft, flow_steps):
    from workflow.models import LegalGround

    item = draft(
        attribute="withheld",
        summary="",
        withhold_reason="内部事务信息",
        withhold_ground=LegalGround.objects.get(code="art16-internal"),
    )
    flow_steps.submit(item)
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW


def test_a_returned_item_cannot_be_resubmitted_without_its_summary(org, make_item, flow_steps):
    from workflow.services.items import item_submit, item_update

    item = make_item()
    flow_steps.submit(item)
    flow_steps.review(item, "return", comment="请修改")
    item.refresh_from_db()
    item_update(item=item, user=org.users.drafter, summary="")
    with pytest.raises(ValidationError) as refused:
        item_submit(item=item, user=org.users.drafter)
    assert "summary" in refused.value.message_dict
    item.refresh_from_db()
    assert item.status == Item.Status.RETURNED


def test_drafting_an_answer_to_a_request_is_not_held_up(org, req, flow_steps):
    # Answers are internal (never catalogued) and are summarised by their outcome.
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    req.answer("disclosed")
    request.refresh_from_db()
    assert request.answer_item.status == Item.Status.IN_REVIEW


# --- 2. a referral opens the item to its target only -------------------------------------------


def test_the_secrecy_bureau_does_not_read_what_is_referred_to_another_department(
    client, org, make_item, flow_steps
):
    # Given the drafter's item referred to 教育局 (the competent department)
    item = make_item(title="转教育局确定的信息")
    flow_steps.submit(item)
    flow_steps.review(item, "refer", comment="是否属于教育局职责？", refer_to=org.edu)
    url = reverse("workflow:item_detail", args=[item.pk])
    u = org.users
    # Then the owner and the department asked read it, the bureau does not (404 as for anything
    # missing), nor do a colleague of another section and an outsider.
    assert _status(client, u.drafter, url) == 200
    assert _status(client, u.outsider_reviewer, url) == 200
    assert _status(client, u.secrecy_reviewer, url) == 404
    assert _status(client, u.colleague, url) == 404
    assert _status(client, u.outsider, url) == 404
    from workflow.selectors import items_for_user

    assert item not in items_for_user(user=u.secrecy_reviewer)


def test_the_secrecy_bureau_reads_and_rules_on_what_is_referred_to_it(
    client, org, make_item, flow_steps
):
    item = make_item(title="转保密局确定的信息")
    flow_steps.submit(item)
    flow_steps.review(item, "refer", comment="是否涉密？")
    url = reverse("workflow:item_detail", args=[item.pk])
    assert _status(client, org.users.secrecy_reviewer, url) == 200
    assert _status(client, org.users.outsider_reviewer, url) == 404
    flow_steps.rule("disclosable", comment="不涉密")
    item.refresh_from_db()
    assert item.status == Item.Status.IN_REVIEW
    # After the ruling it still reads what it ruled on.
    assert _status(client, org.users.secrecy_reviewer, url) == 200


# --- 3. the district office reads district-wide items once they reach it -----------------------


def test_the_district_office_reads_a_district_wide_item_only_once_it_reaches_it(
    client, org, make_item, flow_steps
):
    u = org.users
    # Given 教育局's district-wide draft
    item = make_item(
        author=u.outsider, section=org.edu_section, scope="district", title="教育局全区草稿"
    )
    url = reverse("workflow:item_detail", args=[item.pk])
    listing = reverse("workflow:item_list")
    # Then neither the draft nor the item under review is the district office's to read
    assert _status(client, u.district_approver, url) == 404
    assert "教育局全区草稿" not in client.get(listing).content.decode()
    flow_steps.submit(item, user=u.outsider)
    assert _status(client, u.district_approver, url) == 404
    # until it passes review and waits for the district office's approval
    flow_steps.review(item, "pass", user=u.outsider_reviewer)
    assert _status(client, u.district_approver, url) == 200
    assert "教育局全区草稿" in client.get(listing).content.decode()
    # The owner reads it throughout; a drafter of another unit never does.
    assert _status(client, u.outsider, url) == 200
    assert _status(client, u.drafter, url) == 404
    # Approved, it is published, and stays readable to the office.
    flow_steps.approve("approve_district", u.district_approver)
    item.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED
    assert _status(client, u.district_approver, url) == 200


def test_the_district_office_still_reads_an_item_it_returned(client, org, make_item, flow_steps):
    u = org.users
    item = make_item(scope="district", title="退回的全区信息")
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    flow_steps.approve("approve_district", u.district_approver, approve=False, comment="请修改")
    item.refresh_from_db()
    assert item.status == Item.Status.RETURNED
    url = reverse("workflow:item_detail", args=[item.pk])
    assert _status(client, u.district_approver, url) == 200


def test_the_district_office_does_not_read_its_own_units_drafts_early(org, make_item):
    # The rule is the same for every unit, the office's own included: a draft reaches nobody.
    from workflow.selectors import items_for_user

    draft = make_item(scope="district", title="全区草稿")
    assert draft not in items_for_user(user=org.users.district_approver)


# --- 4. tracking codes only to those who may open the request -----------------------------------


def _task_of(request, user, name):
    from viewflow.workflow.models import Task
    from viewflow.workflow.status import STATUS

    from review.permissions import forget_cached_grants

    forget_cached_grants(user)
    tasks = Task.objects.filter(process__disclosureprocess__request=request).exclude(
        status__in=[STATUS.DONE, STATUS.CANCELED]
    )
    return next(t for t in tasks.order_by("-pk") if t.flow_task.name == name)


@pytest.fixture
def same_information(org, req):
    """Three requests to 民政局 for the same information: A (张三) handled by 社会救助科, B (李四)
    and C (张三 again, so a repetition of A) handled by 办公室."""
    from workflow.services import requests as steps

    officer = org.users.officer
    today = D(2026, 9, 30)

    def register_and_assign(section, **data):
        request = req.register(**data)
        check = _task_of(request, officer, "check")
        steps.request_check(task_id=check.pk, user=officer, complete=True, today=today)
        assign = _task_of(request, officer, "assign")
        steps.request_assign(task_id=assign.pk, user=officer, section=section)
        request.refresh_from_db()
        return request

    a = register_and_assign(org.relief)
    b = register_and_assign(
        org.admin_section, applicant_name="李四", id_number="110101198001011234"
    )
    c = register_and_assign(org.admin_section)
    assert c.duplicate_of == a
    return a, b, c


def test_the_request_page_names_only_the_requests_the_viewer_may_open(
    client, org, same_information
):
    a, b, c = same_information
    u = org.users
    # The head of 社会救助科 opens A; B is 办公室's, not theirs to open.
    client.force_login(u.section_head)
    page = client.get(reverse("workflow:request_detail", args=[a.pk]))
    html = page.content.decode()
    assert a.tracking_code in html
    assert b.tracking_code not in html
    assert reverse("workflow:request_detail", args=[b.pk]) not in html
    assert page.context["same_information_hidden"] == 1
    # The disclosure office opens every request of the unit: it sees B's code.
    client.force_login(u.officer)
    html = client.get(reverse("workflow:request_detail", args=[a.pk])).content.decode()
    assert b.tracking_code in html
    # An outsider gets 404.
    assert _status(client, u.outsider, reverse("workflow:request_detail", args=[a.pk])) == 404


def test_a_repetition_names_the_earlier_request_only_to_who_may_open_it(
    client, org, same_information
):
    a, b, c = same_information
    u = org.users
    # The head of 办公室 opens C, a repetition of A, which is 社会救助科's.
    client.force_login(u.other_section_head)
    html = client.get(reverse("workflow:request_detail", args=[c.pk])).content.decode()
    assert c.tracking_code in html and b.tracking_code in html
    assert a.tracking_code not in html
    assert reverse("workflow:request_detail", args=[a.pk]) not in html
    # The drafter of 办公室 drafting C's answer reads the same summary on the task page.
    task = _task_of(c, u.colleague, "draft_answer")
    client.force_login(u.colleague)
    html = client.get(reverse("workflow:task_detail", args=[task.pk])).content.decode()
    assert c.tracking_code in html and a.tracking_code not in html
    # The disclosure office sees which request C repeats.
    client.force_login(u.officer)
    html = client.get(reverse("workflow:request_detail", args=[c.pk])).content.decode()
    assert a.tracking_code in html
    assert _status(client, u.outsider, reverse("workflow:request_detail", args=[c.pk])) == 404


def test_the_district_office_opens_the_request_whose_answer_it_approves(
    client, org, req, flow_steps
):
    # The answer's title carries the request's tracking code: whoever reads the answer on its
    # approval page may open the request, and nobody reads either before it reaches them.
    u = org.users
    request = req.register()
    req.to_drafting(request, today=D(2026, 10, 8))
    req.answer("disclosed", scope="district")
    request.refresh_from_db()
    url = reverse("workflow:request_detail", args=[request.pk])
    answer = reverse("workflow:item_detail", args=[request.answer_item_id])
    assert _status(client, u.district_approver, url) == 404
    assert _status(client, u.district_approver, answer) == 404
    flow_steps.review(None)
    assert _status(client, u.district_approver, url) == 200
    task = flow_steps.open_task(u.district_approver, "approve_district")
    html = client.get(reverse("workflow:task_detail", args=[task.pk])).content.decode()
    assert request.tracking_code in html
    assert _status(client, u.drafter, url) == 200
    assert _status(client, u.colleague, url) == 404
    assert _status(client, u.outsider, url) == 404


def test_the_consultation_letter_to_a_third_party_carries_no_tracking_code(
    client, org, same_information
):
    from workflow.services.request_actions import consultation_open

    a, _b, _c = same_information
    consultation_open(
        request_id=a.pk,
        user=org.users.officer,
        kind="third_party",
        party="第三方甲",
        question="是否同意公开？",
        sent_on=D(2026, 9, 30),
        today=D(2026, 9, 30),
    )
    letter = Letter.objects.get(request=a, kind="consultation")
    assert a.tracking_code not in letter.title + letter.body
    assert "征求" in letter.title and a.description in letter.body
    # Nor does the file's name, which travels with it.
    client.force_login(org.users.officer)
    for fmt in ("docx", "pdf"):
        response = client.get(reverse("workflow:letter_download", args=[a.pk, letter.pk, fmt]))
        assert response.status_code == 200
        assert a.tracking_code not in response["Content-Disposition"]
    # The applicant's own letters keep it.
    assert DisclosureRequest.objects.filter(pk=a.pk, tracking_code=a.tracking_code).exists()


# --- 5. a rescan by the drafter before submission and the reviewer holding the review -----------


@pytest.fixture
def held_review(org, flow_steps):
    """The reviewer claims the item's review task."""
    from workflow.services.tasks import task_claim

    def claim():
        task = flow_steps.open_task(org.users.reviewer, "review")
        task_claim(task_id=task.pk, user=org.users.reviewer)
        return task

    return claim


def _rescan(client, user, item):
    client.force_login(user)
    return client.post(reverse("review:item_rescan", args=[item.pk]))


def _stale(item):
    # A scan made on other content, so that a rescan has something to do.
    Scan.objects.filter(item=item).update(source_hash="stale")


def test_the_drafter_rescans_a_draft_and_readers_are_refused(client, org, make_item):
    u = org.users
    item = make_item()
    # The section head and the unit's reviewer may read the draft, not rescan it.
    for reader in (u.section_head, u.reviewer, u.unit_head, u.supervisor):
        response = _rescan(client, reader, item)
        assert response.status_code == 302, reader
        assert _messages(response), reader
        assert not Scan.objects.filter(item=item).exists(), reader
    # A colleague of another section and an outsider cannot see it: 404.
    assert _rescan(client, u.colleague, item).status_code == 404
    assert _rescan(client, u.outsider, item).status_code == 404
    assert not Scan.objects.filter(item=item).exists()
    # The drafter may.
    response = _rescan(client, u.drafter, item)
    assert response.status_code == 302
    assert Scan.objects.filter(item=item, requested_by=u.drafter).count() == 1


def test_the_reviewer_holding_the_review_rescans_and_nobody_else(
    client, org, make_item, flow_steps, held_review
):
    u = org.users
    item = make_item()
    flow_steps.submit(item)
    _stale(item)
    # The drafter, once the item is submitted, and the reviewer who has not claimed the review
    # are refused.
    for reader in (u.drafter, u.reviewer, u.section_head):
        response = _rescan(client, reader, item)
        assert response.status_code == 302, reader
        assert Scan.objects.filter(item=item).count() == 1, reader
    assert _rescan(client, u.outsider, item).status_code == 404
    # The reviewer holding the task may.
    held_review()
    _rescan(client, u.reviewer, item)
    assert Scan.objects.filter(item=item).count() == 2


def test_the_scan_again_button_is_shown_to_those_who_may(
    client, org, make_item, flow_steps, held_review
):
    u = org.users
    item = make_item()
    rescan = reverse("review:item_rescan", args=[item.pk])
    page = reverse("workflow:item_detail", args=[item.pk])
    client.force_login(u.drafter)
    assert rescan in client.get(page).content.decode()
    client.force_login(u.section_head)
    assert rescan not in client.get(page).content.decode()
    flow_steps.submit(item)
    client.force_login(u.drafter)
    assert rescan not in client.get(page).content.decode()
    task = held_review()
    client.force_login(u.reviewer)
    assert rescan in client.get(reverse("workflow:task_detail", args=[task.pk])).content.decode()
    client.force_login(u.unit_head)
    assert rescan not in client.get(page).content.decode()


def test_the_rescan_service_refuses_who_may_not(org, make_item):
    from review.services.scanning import item_rescan
    from workflow.exceptions import NotAllowed

    item = make_item()
    with pytest.raises(NotAllowed):
        item_rescan(item=item, user=org.users.section_head)
    assert item_rescan(item=item, user=org.users.drafter).requested_by == org.users.drafter
