"""An attachment's text may wait for text recognition (OCR) on the worker, or be unreadable with
a reason; both are kept for the file content `text_sha256` names, as its text is (issue 20)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("workflow", "0012_review_safety")]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="text_pending",
            field=models.BooleanField(default=False, editable=False),
        ),
        migrations.AddField(
            model_name="attachment",
            name="text_error",
            field=models.TextField(blank=True, editable=False),
        ),
    ]
