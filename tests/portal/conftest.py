"""Published entries for the portal tests, made through the real review and approval services."""

import pytest

from tests.review.conftest import (  # noqa: F401  (fixtures shared with the review tests)
    decide_held,
    ground,
    held_review,
    sensitive_item,
)


@pytest.fixture
def publish(org, make_item, flow_steps):
    """Draft, submit, pass review and approve an item; returns it published."""

    def make(body=None, summary=None, category=None, **kwargs):
        item = make_item(**kwargs)
        # make_item fixes these three; set them on the draft before it is submitted.
        for field, value in (("body", body), ("summary", summary), ("category", category)):
            if value is not None:
                setattr(item, field, value)
        item.save()
        flow_steps.submit(item)
        flow_steps.review(item, "pass")
        flow_steps.approve("approve_section", org.users.section_head)
        item.refresh_from_db()
        assert item.status == item.Status.PUBLISHED
        return item

    return make
