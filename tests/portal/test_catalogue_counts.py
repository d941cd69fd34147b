"""The catalogue's counts per category, unit and year (CatalogueCount) and its search rows follow
the catalogue: publication adds to them in its own transaction, a repeal and a 不予公开 filing do
not, taking an entry out subtracts, and the rebuild command recounts. The lists read them."""

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from workflow.models import CatalogueCount, CatalogueEntry, Category, Item, LegalGround
from workflow.search.index import catalogue_rebuild, entry_index, entry_unindex

pytestmark = pytest.mark.django_db


def counted() -> dict[tuple, int]:
    return {
        (c.category_id, c.unit_id, c.year): c.entries
        for c in CatalogueCount.objects.all()
        if c.entries
    }


def recounted() -> dict[tuple, int]:
    """The counts as a GROUP BY over the catalogue would give them."""
    rows = (
        Item.objects.filter(status=Item.Status.PUBLISHED, index_number__isnull=False)
        .values("category_id", "unit_id", "index_year")
        .annotate(n=Count("id"))
    )
    return {(r["category_id"], r["unit_id"], r["index_year"]): r["n"] for r in rows}


def indexed() -> set[int]:
    return set(CatalogueEntry.objects.values_list("item_id", flat=True))


def published() -> set[int]:
    return set(Item.objects.filter(status=Item.Status.PUBLISHED).values_list("pk", flat=True))


def test_publication_counts_and_indexes_the_entry(org, publish, client):
    other = Category.objects.create(name="财政信息", order=9)
    first = publish(title="低保标准调整")
    assert counted() == {(org.category.pk, org.civil.pk, first.index_year): 1}
    publish(title="部门预算", category=other)
    publish(title="临时救助标准")
    assert (
        counted()
        == recounted()
        == {
            (org.category.pk, org.civil.pk, first.index_year): 2,
            (other.pk, org.civil.pk, first.index_year): 1,
        }
    )
    assert indexed() == published()
    page = client.get(reverse("portal:catalogue"))
    assert page.context["count"] == 3
    assert dict((c.pk, n) for c, n in page.context["category_facets"]) == {
        org.category.pk: 2,
        other.pk: 1,
    }
    assert dict((u.pk, n) for u, n in page.context["unit_facets"]) == {org.civil.pk: 3}
    page = client.get(reverse("portal:catalogue"), {"category": other.pk})
    assert page.context["count"] == 1
    assert [e.pk for e in page.context["page"]] == [Item.objects.get(title="部门预算").pk]


def test_a_repealed_entry_stays_in_the_catalogue_and_its_counts(org, publish, client):
    from workflow.services.items import item_set_repealed

    entry = publish(title="城乡低保管理办法")
    before = counted()
    item_set_repealed(item=entry, user=org.users.section_head, repealed_on=timezone.localdate())
    assert counted() == before == recounted()
    assert indexed() == {entry.pk}
    assert client.get(reverse("portal:catalogue"), {"q": "管理办法"}).context["count"] == 1


def test_an_item_filed_as_withheld_is_neither_counted_nor_indexed(
    org, publish, make_item, flow_steps
):
    publish(title="公开的信息")
    withheld = make_item(
        title="内部会议纪要",
        attribute=Item.Attribute.WITHHELD,
        withhold_reason="内部事务信息",
        withhold_ground=LegalGround.objects.get(code="art16-internal"),
    )
    flow_steps.submit(withheld)
    flow_steps.review(withheld, "pass")
    flow_steps.approve("approve_section", org.users.section_head)
    withheld.refresh_from_db()
    assert withheld.status == Item.Status.WITHHELD
    assert withheld.pk not in indexed()
    assert sum(counted().values()) == 1 == sum(recounted().values())


def test_an_entry_taken_out_leaves_the_counts_and_the_search(org, publish, client):
    keep, leave = publish(title="低保标准调整"), publish(title="低保对象名单")
    with transaction.atomic():
        entry_unindex(item=leave)
        entry_unindex(item=leave)  # a second time changes nothing
    assert indexed() == {keep.pk}
    assert sum(counted().values()) == 1
    page = client.get(reverse("portal:catalogue"), {"q": "低保"})
    assert [e.pk for e in page.context["page"]] == [keep.pk]


def test_the_rebuild_command_recounts_from_the_catalogue(org, publish, client):
    entries = [publish(title=f"第{n}号公告") for n in range(3)]
    CatalogueCount.objects.update(entries=99)
    CatalogueEntry.objects.filter(item=entries[0]).delete()
    out = StringIO()
    call_command("catalogue_rebuild", stdout=out)
    assert "3 entries indexed, 1 count rows" in out.getvalue()
    assert counted() == recounted()
    assert indexed() == published()
    assert client.get(reverse("portal:catalogue"), {"q": "公告"}).context["count"] == 3
    CatalogueCount.objects.update(entries=0)
    assert catalogue_rebuild(search=False) == (None, 1)
    assert counted() == recounted()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_publications_in_one_category_unit_and_year_at_once_both_count(org, make_item):
    """Two transactions add to the same count row: the second waits for the first's row lock,
    then adds to its committed value; neither increment is lost."""
    now = timezone.now()
    items = []
    for n in range(2):
        item = make_item(title=f"同时公开的第{n}条")
        Item.objects.filter(pk=item.pk).update(
            status=Item.Status.PUBLISHED,
            index_number=f"MZJ/2026-9{n}",
            index_year=2026,
            index_serial=90 + n,
            published_at=now - dt.timedelta(seconds=n),
        )
        items.append(Item.objects.get(pk=item.pk))
    both_inside = threading.Barrier(2, timeout=30)
    errors = []

    def publish(item):
        try:
            with transaction.atomic():
                both_inside.wait()  # both transactions are open before either writes
                entry_index(item=item)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(item,)) for item in items]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert counted() == {(org.category.pk, org.civil.pk, 2026): 2}
    assert indexed() == {item.pk for item in items}
