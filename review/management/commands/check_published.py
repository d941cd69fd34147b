"""`python manage.py check_published`: the catalogue as the public reads it, checked against
涉密信息不上网 and the redactions in force, for entries published before the review refused
what it had not decided (issue 20) or changed behind the services since.

Prints one line per problem (an entry whose public text carries a classification mark no ruling
has cleared, or still shows a string redacted elsewhere in the item) and exits with status 1 when
there is any, so it can run from cron or a deployment check. Reads the catalogue in chunks.
"""

import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from review.selectors import published_problems


class Command(BaseCommand):
    help = _(
        "Check published entries for classification marks and redacted strings in their public "
        "texts; exit status 1 when any is found."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--chunk", type=int, default=2000, help=_("entries read per database round trip")
        )

    def handle(self, *args, chunk: int, **options) -> None:
        # The office's language: a command has no request to take it from.
        with translation.override(settings.LANGUAGE_CODE):
            problems = 0
            for problem in published_problems(chunk=chunk):
                problems += 1
                self.stdout.write(str(problem))
            if problems:
                self.stderr.write(_("%(n)d problem(s) found in the catalogue.") % {"n": problems})
                sys.exit(1)
            self.stdout.write(_("No published entry carries a live mark or a redacted string."))
