# The "repeated request" answer names the earlier request it repeats (Art. 36(6);
# workflow.letter_kinds EARLIER). Only a model text still as migration 0021 seeded it is changed:
# an administrator's own text is left to them (the admin lists what it lacks).

import importlib

from django.db import migrations

SEEDED = importlib.import_module("workflow.migrations.0021_letters").TEMPLATES["repeated"]
OLD = "　　经审查，本机关已就您提出的政府信息公开申请作出答复，"
NEW = "　　经审查，您此前提出的政府信息公开申请（{earlier_request}）与本次申请内容相同，"


def _swap(apps, old_body: str, new_body: str) -> None:
    LetterTemplate = apps.get_model("workflow", "LetterTemplate")
    LetterTemplate.objects.filter(kind="repeated", title=SEEDED[0], body=old_body).update(
        body=new_body
    )


def forward(apps, schema_editor):
    _swap(apps, SEEDED[1], SEEDED[1].replace(OLD, NEW))


def backward(apps, schema_editor):
    _swap(apps, SEEDED[1].replace(OLD, NEW), SEEDED[1])


class Migration(migrations.Migration):
    dependencies = [("workflow", "0019_reasons_deadline")]

    operations = [migrations.RunPython(forward, backward)]
