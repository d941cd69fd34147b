"""The catalogue's search index and counts, kept in step with publication
(workflow.search.index): a narrow row per published entry, and per category, unit and year the
number of entries."""

from django.contrib.postgres.search import SearchVectorField
from django.db import models

from .items import Category, Item
from .organisation import Unit


class CatalogueEntry(models.Model):
    """A published entry as the search and the lists read it: what they filter and sort on, and on
    PostgreSQL its words as a stored `tsvector` (the search document's words as they are, and one
    lexeme per filter: `c:<category>`, `u:<unit>`, `y:<year>`) behind a RUM index that also holds
    `published_at`, so a page of the newest matches is read from the index alone
    (migration 0015). On SQLite the words are in the FTS5 table `workflow_catalogue_fts` instead
    (rowid = item id) and `vector` stays empty.

    Narrow on purpose: counting the first matches reads these rows, never the items' texts. The
    vector is kept in the row (STORAGE MAIN), not in the TOAST table, for the same reason."""

    item = models.OneToOneField(Item, on_delete=models.CASCADE, primary_key=True, related_name="+")
    published_at = models.DateTimeField()
    # Indexed with published_at for the filtered lists (Meta); no single-column indexes.
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", db_index=False)
    year = models.PositiveIntegerField()
    vector = SearchVectorField(null=True, editable=False)

    class Meta:
        indexes = [
            models.Index(fields=["-published_at", "-item"], name="catalogue_entry_newest"),
            models.Index(
                fields=["category", "-published_at", "-item"], name="catalogue_entry_category"
            ),
            models.Index(fields=["unit", "-published_at", "-item"], name="catalogue_entry_unit"),
            models.Index(fields=["year", "-published_at", "-item"], name="catalogue_entry_year"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}"


class CatalogueCount(models.Model):
    """How many entries the catalogue holds per category, unit and year: the unfiltered and the
    filtered lists' counts and facets are sums of these rows, never a count over the entries.
    Changed in the transaction that publishes an entry (or takes it out), by an increment under
    the row's lock; `manage.py catalogue_rebuild` recounts them."""

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", db_index=False)
    year = models.PositiveIntegerField()
    entries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["category", "unit", "year"], name="catalogue_count_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.category_id}/{self.unit_id}/{self.year}: {self.entries}"
