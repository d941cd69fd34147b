"""The partial-disclosure answer (Art. 37) cites the redaction log: one line per redacted passage
with its ground. Only the seeded text is changed; a text an administrator edited is left as it is
(the {redactions} placeholder is listed in the admin's help)."""

from django.db import migrations

OLD = "　　不予公开部分的依据：{legal_ground}。\n"
NEW = OLD + "　　删减情况说明：\n{redactions}\n"


def add_log(apps, schema_editor):
    LetterTemplate = apps.get_model("workflow", "LetterTemplate")
    for template in LetterTemplate.objects.filter(kind="partly_disclosed"):
        if OLD in template.body and "{redactions}" not in template.body:
            template.body = template.body.replace(OLD, NEW)
            template.save(update_fields=["body"])


def remove_log(apps, schema_editor):
    LetterTemplate = apps.get_model("workflow", "LetterTemplate")
    for template in LetterTemplate.objects.filter(kind="partly_disclosed"):
        template.body = template.body.replace(NEW, OLD)
        template.save(update_fields=["body"])


def publish_existing_as_public(apps, schema_editor):
    # Items published before redactions existed: the public version is the body as approved.
    import hashlib

    Item = apps.get_model("workflow", "Item")
    Attachment = apps.get_model("workflow", "Attachment")
    for item in Item.objects.filter(status="published", public_body=""):
        item.public_body = item.body
        item.save(update_fields=["public_body"])
    # ... and its attachments are the files as they are now, which is all there is to go by.
    for attachment in Attachment.objects.filter(item__status="published", published_sha256=""):
        try:
            with attachment.file.open("rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            continue  # a missing file stays unpublished
        attachment.published_sha256 = digest
        attachment.save(update_fields=["published_sha256"])


class Migration(migrations.Migration):
    dependencies = [("workflow", "0006_review_integrity")]

    operations = [
        migrations.RunPython(add_log, remove_log),
        migrations.RunPython(publish_existing_as_public, migrations.RunPython.noop),
    ]
