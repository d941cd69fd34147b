"""Locks on a real PostgreSQL: the concurrent-approval race and gap-free index numbers."""

import threading

import pytest
from django.db import connection, transaction

from workflow.exceptions import TaskNotAvailable
from workflow.models import Item, Unit
from workflow.services.approvals import approval_decide
from workflow.services.publication import index_number_allocate

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_together(*calls):
    """Start the calls in threads at the same instant; return each one's result or exception."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001 - the outcome is what we assert on
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.parametrize("round_", range(3))
def test_two_approvers_at_once_one_wins_nothing_duplicated(org, make_item, flow_steps, round_):
    from tests.factories import UserFactory
    from workflow.services.organisation import position_assign

    # given two heads of the same section (科长 and a deputy) and an item awaiting their approval
    deputy = UserFactory(username=f"deputy{round_}")
    position_assign(user=deputy, unit=org.civil, section=org.relief, role="section_head")
    item = make_item()
    flow_steps.submit(item)
    flow_steps.review(item, "pass")
    task = flow_steps.open_task(org.users.section_head, "approve_section")

    # when both approve the same task at the same moment
    results = _run_together(
        lambda: approval_decide(task_id=task.pk, user=org.users.section_head, approve=True),
        lambda: approval_decide(task_id=task.pk, user=deputy, approve=True),
    )

    # then exactly one succeeds and the other is told clearly
    failures = [r for r in results if isinstance(r, Exception)]
    assert len(failures) == 1 and isinstance(failures[0], TaskNotAvailable), results
    # and nothing downstream ran twice
    item.refresh_from_db()
    process = item.processes.get()
    assert item.status == Item.Status.PUBLISHED
    assert item.approvals.count() == 1
    names = [t.flow_task.name for t in process.task_set.all()]
    assert (
        names.count("publish") == 1
        and names.count("end") == 1
        and names.count("approve_section") == 1
    )
    assert Item.objects.filter(index_number=item.index_number).count() == 1


def test_index_numbers_are_unique_and_gap_free_under_concurrent_publication(
    org, make_item, flow_steps
):
    # given eight items of one unit, each awaiting its own approval
    tasks = []
    for n in range(8):
        item = make_item(title=f"信息{n}")
        flow_steps.submit(item)
        flow_steps.review(item, "pass")
    from workflow.selectors import queue_for_user

    tasks = list(queue_for_user(user=org.users.section_head))
    assert len(tasks) == 8

    # when all are approved at once (eight processes, eight locks, one sequence row)
    results = _run_together(
        *[
            lambda t=t: approval_decide(task_id=t.pk, user=org.users.section_head, approve=True)
            for t in tasks
        ]
    )

    # then every item is published with serials 1..8: no duplicate, no gap
    assert not [r for r in results if isinstance(r, Exception)], results
    published = Item.objects.filter(status=Item.Status.PUBLISHED)
    assert sorted(published.values_list("index_serial", flat=True)) == list(range(1, 9))
    assert published.values("index_number").distinct().count() == 8


def test_concurrent_first_allocation_of_a_new_year_does_not_collide(org):
    unit = Unit.objects.get(pk=org.civil.pk)

    def allocate():
        with transaction.atomic():
            return index_number_allocate(unit=unit, year=2031)

    results = _run_together(*[allocate for _ in range(6)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(serial for _number, serial in results) == [1, 2, 3, 4, 5, 6]


def test_a_step_waits_for_the_flow_lock_then_gives_up_cleanly(
    org, make_item, flow_steps, monkeypatch
):
    """The flow lock (the process row viewflow's select_for_update_lock locks) held elsewhere:
    the step retries, then says the task is busy, having written nothing; once the lock is
    free the same step goes through."""
    import psycopg

    from review.models import ReviewDecision
    from review.services import review_decide
    from workflow.exceptions import TaskBusy
    from workflow.services import tasks

    item = make_item()
    process = flow_steps.submit(item)
    task = flow_steps.open_task(org.users.reviewer, "review")
    monkeypatch.setattr(tasks, "LOCK_ATTEMPTS", 2)
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
    ) as other:
        other.execute(
            "SELECT 1 FROM workflow_disclosureprocess WHERE process_ptr_id = %s FOR UPDATE",
            [process.pk],
        )
        with pytest.raises(TaskBusy):
            review_decide(task_id=task.pk, user=org.users.reviewer, outcome="pass")
        assert not ReviewDecision.objects.filter(item=item).exists()
    review_decide(task_id=task.pk, user=org.users.reviewer, outcome="pass")
    item.refresh_from_db()
    assert item.status == Item.Status.IN_APPROVAL
