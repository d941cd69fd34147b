"""Make the catalogue's search index and its counts per category, unit and year again from the
published items: after restoring a backup taken without them, after changing what the search
indexes, or if the counts ever disagree with the catalogue. Publications wait while it runs, and
searches too while the search index is made again (--counts-only leaves it alone)."""

import time

from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS

from workflow.search.index import catalogue_rebuild


class Command(BaseCommand):
    help = "Rebuild the catalogue's search index and counts from the published items."

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--counts-only",
            action="store_true",
            help="Recount the entries per category, unit and year; leave the search index "
            "as it is (a second or two, and searches never wait).",
        )

    def handle(self, *args, database, counts_only, **options):
        started = time.perf_counter()
        entries, counts = catalogue_rebuild(using=database, search=not counts_only)
        indexed = "" if entries is None else f"{entries} entries indexed, "
        self.stdout.write(f"{indexed}{counts} count rows, in {time.perf_counter() - started:.1f} s")
