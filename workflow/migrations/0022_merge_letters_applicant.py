"""Joins the letters' migration (0021) and the applicant's (0025), made side by side on 0020:
one leaf again, so `migrate` runs. Nothing to do in it."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0021_letters"),
        ("workflow", "0025_applicant"),
    ]

    operations = []
