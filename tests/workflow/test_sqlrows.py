"""The fixed-SQL reads and inserts of workflow.sqlrows give what the ORM gives: the same field
values after the same conversions (JSON, dates, viewflow's node references), on SQLite and
PostgreSQL alike."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from viewflow.workflow.models import Task

from audit.models import AuditEntry
from review.content import active_redactions, item_attachments
from review.models import Redaction
from workflow.models import Item, LegalGround
from workflow.services.items import attachment_add
from workflow.services.tasks import _read_task_locked
from workflow.sqlrows import CompiledQuery, insert
from workflow.worklist.rows import ROWS_QUERY

pytestmark = pytest.mark.django_db


def values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_the_task_under_the_flow_lock_reads_as_the_orm_reads_it(org, make_item, flow_steps):
    item = make_item()
    flow_steps.submit(item)
    stored = flow_steps.open_task(org.users.reviewer, "review")
    with transaction.atomic():
        task = _read_task_locked(stored.pk)
    orm = Task.objects.select_related("process__disclosureprocess").get(pk=stored.pk)
    assert values(task) == values(orm)
    assert task.flow_task.name == "review" and isinstance(task.data, dict)
    process = orm.process.coerced
    assert values(task.process) == values(process)
    assert task.process.coerced is task.process and task.process.item_id == item.pk
    assert _read_task_locked(stored.pk + 10_000) is None


def test_attachments_and_redactions_read_as_the_orm_reads_them(org, make_item):
    item = make_item()
    for name in ("附件一.txt", "附件二.txt"):
        attachment_add(
            item=item, user=org.users.drafter, upload=SimpleUploadedFile(name, "附件正文".encode())
        )
    ground = LegalGround.objects.get(code="art15-third-party")
    for start, end, withdrawn in ((4, 6, None), (0, 3, None), (7, 12, timezone.now())):
        Redaction.objects.create(
            item=item,
            source="body",
            start=start,
            end=end,
            text=item.body[start:end],
            ground=ground,
            created_by=org.users.reviewer,
            withdrawn_at=withdrawn,
        )
    attachments = item_attachments(item)
    assert [values(a) for a in attachments] == [values(a) for a in item.attachments.all()]
    assert len(attachments) == 2 and attachments[0].file.name.endswith(".txt")
    redactions = active_redactions(item)
    expected = item.redactions.filter(withdrawn_at__isnull=True).order_by("source", "start")
    assert [values(r) for r in redactions] == [values(r) for r in expected]
    assert [(r.start, r.ground.code) for r in redactions] == [(0, ground.code), (4, ground.code)]


def test_an_inserted_row_reads_back_as_written(org, make_item):
    item = make_item()
    at = timezone.now() - dt.timedelta(days=1)
    entries = [
        AuditEntry(
            at=at,
            actor=org.users.drafter,
            action="test.inserted",
            subject_type=ContentType.objects.get_for_model(Item),
            subject_id=str(item.pk),
            subject_repr="测试",
            data={"n": n, "名称": ["甲", None]},
        )
        for n in range(3)
    ]
    insert(*entries)
    assert all(entry.pk and not entry._state.adding for entry in entries)
    for entry in entries:
        stored = AuditEntry.objects.get(pk=entry.pk)
        assert values(stored) == values(entry)
        assert stored.at == at


def test_a_compiled_query_reads_as_the_orm_reads_it_for_any_list(org, make_item, flow_steps):
    for n in range(3):
        flow_steps.submit(make_item(title=f"事项{n}"))
    flow_steps.review(Item.objects.get(title="事项0"))  # one task done, one more created
    ids = list(Task.objects.order_by("pk").values_list("pk", flat=True))
    orm = {row[0]: row for row in ROWS_QUERY.build(ids)}

    for chosen in (ids, ids[1:2], [ids[-1], ids[0]], [ids[0], ids[-1] + 10_000]):
        read = ROWS_QUERY.rows(chosen)
        assert len(read) == len({pk for pk in chosen if pk in orm})
        assert {row[0]: row for row in read} == {pk: orm[pk] for pk in chosen if pk in orm}
    row = ROWS_QUERY.rows(ids[:1])[0]
    assert row[1].name == "start" and isinstance(row[2], dt.datetime)  # a node, a datetime
    assert ROWS_QUERY.rows([]) == []


def test_a_compiled_query_must_take_each_value_as_a_parameter():
    once = CompiledQuery(lambda ids: Task.objects.filter(pk__in=ids[:1]).values_list("pk"))
    with pytest.raises(ValueError, match="each value exactly once"):
        once.rows([1, 2])
