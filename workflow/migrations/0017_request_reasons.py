"""Art. 35 (issue 21 point 9): the request for reasons on the request (asked on, due on, the
reasons given and when, the office's judgment) and the later due date the office may set for a
request with good reasons; the model text of the notice of that later date (延迟答复告知书)."""

import importlib

from django.db import migrations, models

_letters = importlib.import_module("workflow.migrations.0021_letters")
REGULATION, SHORT = _letters.REGULATION, _letters.SHORT

DEFERRAL_TITLE = "延迟答复告知书"
DEFERRAL_BODY = (
    _letters.OPENING
    + f"　　本机关已根据{REGULATION}（以下简称{SHORT}）第三十五条的规定要求您说明申请理由。"
    "经审查，本机关认为您的申请理由合理，但是无法在" + SHORT + "第三十三条规定的期限内答复您。"
    f"根据{SHORT}第三十五条的规定，本机关确定延迟答复的合理期限，将于{{deferred_due_on}}前作出答复。\n"
    "　　{reason}\n" + _letters.SIGNATURE
)


def deferral_forward(apps, schema_editor):
    LetterTemplate = apps.get_model("workflow", "LetterTemplate")
    LetterTemplate.objects.get_or_create(
        kind="reasons_deferral", defaults={"title": DEFERRAL_TITLE, "body": DEFERRAL_BODY}
    )


def deferral_backward(apps, schema_editor):
    LetterTemplate = apps.get_model("workflow", "LetterTemplate")
    LetterTemplate.objects.filter(
        kind="reasons_deferral", title=DEFERRAL_TITLE, body=DEFERRAL_BODY
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0016_merge_catalogue_search"),
    ]

    operations = [
        migrations.AddField(
            model_name="disclosurerequest",
            name="deferred_due_on",
            field=models.DateField(
                blank=True, null=True, verbose_name="answer deferred to (Art. 35)"
            ),
        ),
        migrations.AddField(
            model_name="disclosurerequest",
            name="reasons_decided_on",
            field=models.DateField(blank=True, null=True, verbose_name="reasons judged on"),
        ),
        migrations.AddField(
            model_name="disclosurerequest",
            name="reasons_decision",
            field=models.CharField(
                blank=True,
                choices=[
                    ("reasonable", "Reasonable: the request is answered"),
                    ("not_reasonable", "Not reasonable: not processed (Art. 35)"),
                ],
                max_length=20,
                verbose_name="reasons judged",
            ),
        ),
        migrations.AddField(
            model_name="disclosurerequest",
            name="reasons_due_on",
            field=models.DateField(blank=True, null=True, verbose_name="reasons due on"),
        ),
        migrations.AddField(
            model_name="disclosurerequest",
            name="reasons_given",
            field=models.TextField(blank=True, verbose_name="reasons given by the applicant"),
        ),
        migrations.AddField(
            model_name="disclosurerequest",
            name="reasons_received_on",
            field=models.DateField(blank=True, null=True, verbose_name="reasons received on"),
        ),
        migrations.AddField(
            model_name="disclosurerequest",
            name="reasons_requested_on",
            field=models.DateField(blank=True, null=True, verbose_name="reasons requested on"),
        ),
        migrations.RunPython(deferral_forward, deferral_backward),
    ]
