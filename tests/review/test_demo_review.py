"""The demo gives the reviewer something to find, and seeding twice changes nothing."""

import pytest

from review.models import NegativeListTerm, ScanFinding
from workflow.demo import demo_seed
from workflow.models import Item

pytestmark = pytest.mark.django_db


def test_the_demo_item_is_submitted_with_findings_and_seeding_is_idempotent():
    demo_seed()
    demo_seed()
    item = Item.objects.get(title="2026年第三季度临时救助发放情况公示")
    assert item.status == Item.Status.IN_REVIEW
    kinds = set(item.findings.values_list("kind", flat=True))
    assert {"id_number", "mobile", "address", "negative_list"} <= kinds
    assert item.findings.get(kind="negative_list").text == "内部掌握"
    assert item.findings.filter(resolution=ScanFinding.Resolution.OPEN).count() == len(
        item.findings.all()
    )
    assert NegativeListTerm.objects.count() == 3
    # The one waiting for review, and the demo catalogue's entries, each made once.
    from workflow.demo_catalogue import DEMO_ENTRIES

    assert Item.objects.exclude(status=Item.Status.PUBLISHED).count() == 1
    assert Item.objects.filter(status=Item.Status.PUBLISHED).count() == len(DEMO_ENTRIES)
