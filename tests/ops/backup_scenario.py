"""The application side of the backup and restore test, run in its own process against a
database and a media directory named by DATABASE_URL and MEDIA_ROOT, as an operator's
`manage.py` would be. `python -m tests.ops.backup_scenario populate` or `... verify ENTRY HEAD`
prints one line `RESULT <json>` for the test to compare.

populate: migrations on an empty database, the demo district (its catalogue published through the
real review and approval), an entry published with two attachments, one of them redacted (so
`public/` holds a generated rendering), and a request with an attachment; then a snapshot.

verify: the snapshot again, then the restored copy used as people would use it, then carried one
step further, which writes new rows into every table a workflow step touches.
"""

import hashlib
import io
import json
import os
import re
import sys

RESULT = "RESULT "
PLAIN_NAME = "低保发放标准.txt"
PLAIN_BYTES = "城乡低保发放标准表：城市每人每月1150元，农村每人每月950元。\n".encode()
REDACTED_ID = "320102198001011238"
REDACTED_NAME = "救助对象名单.txt"
REDACTED_BYTES = f"救助对象：王某某，身份证号{REDACTED_ID}，发放临时救助金3000元。\n".encode()
ENTRY_TITLE = "2026年第三季度城乡低保资金发放情况"
LOGIN = ("drafter", "Demo-2026!")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _task(user, item, name=None):
    from review.permissions import forget_cached_grants
    from workflow.selectors import queue_for_user

    forget_cached_grants(user)
    return next(
        t
        for t in queue_for_user(user=user)
        if t.process.disclosureprocess.item_id == item.pk
        and (name is None or t.flow_task.name == name)
    )


def _publish(title: str, *, redact: bool):
    """Draft, attach, submit, review (redacting the ID number if asked), approve: the way into
    the catalogue."""
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from review.services import finding_dismiss, passage_redact, review_decide
    from workflow.models import Category, Item, LegalGround, Section
    from workflow.services.approvals import approval_decide
    from workflow.services.items import attachment_add, item_create, item_submit
    from workflow.services.tasks import task_claim

    users = get_user_model().objects
    drafter, reviewer, head = (
        users.get(username=name) for name in ("drafter", "reviewer", "section_head")
    )
    item = item_create(
        author=drafter,
        section=Section.objects.get(unit__name="民政局", name="社会救助科"),
        title=title,
        summary="城乡低保资金发放情况",
        body="现将本季度城乡低保资金发放情况公示如下，明细见附件。",
        category=Category.objects.get(name="社会救助"),
        attribute=Item.Attribute.PROACTIVE,
        scope=Item.Scope.SECTION,
    )
    plain = attachment_add(
        item=item, user=drafter, upload=SimpleUploadedFile(PLAIN_NAME, PLAIN_BYTES)
    )
    listed = attachment_add(
        item=item, user=drafter, upload=SimpleUploadedFile(REDACTED_NAME, REDACTED_BYTES)
    )
    item_submit(item=item, user=drafter)
    review = _task(reviewer, item, "review")
    task_claim(task_id=review.pk, user=reviewer)
    if redact:
        passage_redact(
            item=item,
            user=reviewer,
            passage=REDACTED_ID,
            ground=LegalGround.objects.get(code="art15-third-party"),
        )
    else:
        # Kept as written: the reviewer says why for each finding (no pass settles one).
        for finding in item.findings.filter(resolution="open"):
            finding_dismiss(finding_id=finding.pk, user=reviewer, note="演示数据，非真实个人信息")
    review_decide(task_id=review.pk, user=reviewer, outcome="pass", comment="")
    approval_decide(task_id=_task(head, item).pk, user=head, approve=True, comment="")
    for obj in (item, plain, listed):
        obj.refresh_from_db()
    assert item.status == Item.Status.PUBLISHED, item.status
    return item, plain, listed


def _register_request():
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from pypdf import PdfWriter

    from workflow.models import Unit
    from workflow.services.intake import request_register

    pdf = io.BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(width=72, height=72)
    writer.write(pdf)
    return request_register(
        user=get_user_model().objects.get(username="request_officer"),
        unit=Unit.objects.get(name="民政局"),
        data={
            "channel": "in_person",
            "submitted_on": timezone.localdate(),
            "applicant_kind": "natural_person",
            "applicant_name": "赵六",
            "id_number": "110101199003077777",
            "phone": "13800000000",
            "description": "2026年本区养老机构运营补贴发放明细",
            "delivery_form": "electronic",
            "delivery_method": "email",
        },
        files=[SimpleUploadedFile("申请书.pdf", pdf.getvalue())],
    )


def snapshot() -> dict:
    """Rows per table, highest id per table, and the SHA-256 of every stored file as read back
    through the storage: what a restore must bring back unchanged."""
    from django.apps import apps
    from django.db import models

    rows, max_ids, files = {}, {}, {}
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        label = model._meta.label
        rows[label] = model._default_manager.count()
        if isinstance(model._meta.pk, models.AutoField):
            max_ids[label] = model._default_manager.aggregate(m=models.Max("pk"))["m"] or 0
        file_fields = [f.name for f in model._meta.fields if isinstance(f, models.FileField)]
        for obj in model._default_manager.all() if file_fields else ():
            for name in file_fields:
                stored = getattr(obj, name)
                if not stored:
                    continue
                try:
                    with stored.open("rb") as handle:
                        files[stored.name] = hashlib.file_digest(handle, "sha256").hexdigest()
                except FileNotFoundError:
                    files[stored.name] = "missing"
    return {"rows": rows, "max_ids": max_ids, "files": files}


def _audit_verify(*args: str) -> str | None:
    """`audit_verify --seal` (docs/audit.md), as beat's sealer and the backup procedure run it;
    the chain head it reports, or None before the audit chain existed. A broken chain raises."""
    from django.core.management import call_command, get_commands

    if "audit_verify" not in get_commands():
        return None
    out = io.StringIO()
    call_command("audit_verify", "--seal", *args, stdout=out)
    return re.search(r"\b\d+:[0-9a-f]{64}\b", out.getvalue()).group(0)


def _index_numbers() -> list[str]:
    from workflow.models import Item

    return sorted(
        Item.objects.filter(status=Item.Status.PUBLISHED).values_list("index_number", flat=True)
    )


def populate() -> dict:
    from django.core.management import call_command

    from workflow.demo import demo_seed
    from workflow.models import Item

    call_command("migrate", interactive=False, verbosity=0)
    demo_seed()
    item, plain, listed = _publish(ENTRY_TITLE, redact=True)
    _register_request()
    # Before the dump, as the document says: the head recorded then is in the dump for sure.
    audit_head = _audit_verify()
    return {
        **snapshot(),
        "audit_head": audit_head,
        "entry": {
            "pk": item.pk,
            "index_number": item.index_number,
            "plain": plain.pk,
            "redacted": listed.pk,
            "public_file": listed.public_file.name,
            "titles": sorted(
                Item.objects.filter(status=Item.Status.PUBLISHED).values_list("title", flat=True)
            ),
            "index_numbers": _index_numbers(),
        },
    }


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def _use(entry: dict) -> dict:
    """The restored copy as the public and a drafter meet it."""
    from django.test import Client
    from django.urls import reverse
    from django.utils.html import strip_tags

    seen = {}
    # As behind the TLS proxy production requires (SECURE_SSL_REDIRECT, secure cookies).
    https = {"X-Forwarded-Proto": "https"}
    public = Client(headers=https)
    page = public.get(reverse("portal:catalogue"))
    text = page.content.decode()
    seen["catalogue"] = page.status_code, sorted(t for t in entry["titles"] if t in text)
    found = public.get(reverse("portal:catalogue"), {"q": "养老"}).content.decode()
    # Search results mark the words found (<mark>养老</mark>): compare the text.
    seen["search"] = sorted(t for t in entry["titles"] if t in strip_tags(found))
    detail = public.get(reverse("portal:catalogue_detail", args=[entry["pk"]]))
    seen["detail"] = detail.status_code, entry["index_number"] in detail.content.decode()
    for kind in ("plain", "redacted"):
        url = reverse("portal:catalogue_attachment", args=[entry["pk"], entry[kind]])
        response = public.get(url)
        seen[f"public_{kind}"] = response.status_code, _sha(_body(response))

    staff = Client(headers=https)
    login = staff.post(reverse("login"), {"username": LOGIN[0], "password": LOGIN[1]})
    seen["login"] = login.status_code, login.get("Location", "")
    seen["session"] = "_auth_user_id" in staff.session
    seen["inbox"] = staff.get(reverse("workflow:inbox")).status_code
    original = staff.get(
        reverse("workflow:attachment_download", args=[entry["pk"], entry["redacted"]])
    )
    seen["staff_original"] = original.status_code, _sha(_body(original))
    wrong = Client(headers=https).post(
        reverse("login"), {"username": LOGIN[0], "password": "wrong"}
    )
    seen["wrong_password_refused"] = wrong.status_code == 200
    return seen


def _carry_forward() -> dict:
    """One more entry through the whole workflow and one more request: new rows in items,
    attachments, processes, tasks, audit, the index sequence and requests."""
    from viewflow.workflow.models import Process, Task

    from audit.models import AuditEntry

    item, plain, _listed = _publish("2026年第四季度城乡低保资金发放情况", redact=False)
    request = _register_request()
    new = [item, plain, request] + [m.objects.latest("pk") for m in (Process, Task, AuditEntry)]
    return {
        "index_number": item.index_number,
        "new_ids": {obj._meta.label: obj.pk for obj in new},
        "index_numbers": _index_numbers(),
    }


def verify(entry: dict, audit_head: str | None) -> dict:
    restored = snapshot()
    use, forward = _use(entry), _carry_forward()
    # The rows written on the copy are sealed onto the restored chain, which still reaches the
    # head recorded at backup time.
    expect = ("--expect-head", audit_head) if audit_head else ()
    return {**restored, "use": use, "forward": forward, "audit_head": _audit_verify(*expect)}


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.ops.production_settings")
    django.setup()
    command = sys.argv[1]
    if command == "populate":
        result = populate()
    elif command == "verify":
        result = verify(json.loads(sys.argv[2]), sys.argv[3] or None)
    else:
        raise SystemExit(f"unknown command {command!r}")
    print(RESULT + json.dumps(result, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
