from django.db import migrations, models


class Migration(migrations.Migration):
    """The applicant's consent to SMS about their request (notifications.applicant)."""

    dependencies = [
        ("workflow", "0020_request_clock"),
    ]

    operations = [
        migrations.AddField(
            model_name="disclosurerequest",
            name="sms_consent",
            field=models.BooleanField(default=False, verbose_name="told by SMS"),
        ),
    ]
