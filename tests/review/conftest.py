"""Items with something to find: a resident ID, a mobile number and a classification mark."""

import pytest

ID_NUMBER = "320102198001011238"  # checksum valid (GB 11643)
MOBILE = "13912345678"
SENSITIVE_BODY = (
    "关于2026年第三季度临时救助发放情况的报告\n"
    f"救助对象王某某，身份证号{ID_NUMBER}，联系电话{MOBILE}，"
    "已于9月发放临时救助金3000元。\n"
    "本报告同时抄送区财政局。"
)


@pytest.fixture
def sensitive_item(make_item):
    def make(**extra):
        item = make_item(**extra)
        item.body = SENSITIVE_BODY
        item.save(update_fields=["body"])
        return item

    return make


@pytest.fixture
def ground(db):
    from workflow.models import LegalGround

    return LegalGround.objects.get(code="art15-third-party")


@pytest.fixture
def held_review(org, flow_steps):
    """Claim the item's review task for the reviewer (redaction needs the task in hand)."""
    from workflow.services.tasks import task_claim

    def claim(user=None):
        user = user or org.users.reviewer
        task = flow_steps.open_task(user, "review")
        task_claim(task_id=task.pk, user=user)
        return task

    return claim


@pytest.fixture
def decide_held(org):
    """Decide a review task the reviewer already holds (it is no longer in the queue)."""
    from review.services import review_decide

    def decide(task, outcome="pass", comment="", user=None, **kw):
        return review_decide(
            task_id=task.pk, user=user or org.users.reviewer, outcome=outcome, comment=comment, **kw
        )

    return decide
