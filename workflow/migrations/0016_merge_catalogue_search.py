# Joins the catalogue search (0015) with the migrations written beside it since 0020.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0015_catalogue_search"),
        ("workflow", "0022_merge_letters_applicant"),
    ]

    operations = []
