"""The catalogue's search index and counts, kept in step with the catalogue in the transaction
that changes it: `entry_index` when an item is published, `entry_unindex` when an entry leaves
the catalogue, `catalogue_rebuild` to make both again from the published items
(`manage.py catalogue_rebuild`).

On PostgreSQL the entry's vector is its search document's words taken as they are
(`array_to_tsvector`: no parser, no dictionary, so a query's words meet exactly the words jieba
cut) plus one lexeme per filter (`c:<category>`, `u:<unit>`, `y:<year>`), so that a filtered
search is one index condition. On SQLite the words go to the FTS5 table.
"""

from django.db import connections, transaction

from ..models import CatalogueCount, CatalogueEntry, Item

FTS_TABLE = "workflow_catalogue_fts"
ENTRY = CatalogueEntry._meta.db_table
COUNT = CatalogueCount._meta.db_table
ITEM = Item._meta.db_table


def facet_lexemes(*, category: int | None, unit: int | None, year: int | None) -> list[str]:
    """The vector's lexemes for the filters (never a word: words have no colon)."""
    lexemes = []
    if category:
        lexemes.append(f"c:{category}")
    if unit:
        lexemes.append(f"u:{unit}")
    if year:
        lexemes.append(f"y:{year}")
    return lexemes


# The vector of an entry on PostgreSQL, from its search document (%s or a column) and its filters.
# string_to_array keeps empty strings between double spaces; array_to_tsvector refuses them.
VECTOR_SQL = (
    "array_to_tsvector(array_remove(string_to_array({document}, ' '), '') || "
    "ARRAY['c:' || {category}, 'u:' || {unit}, 'y:' || {year}])"
)


def _count_change(cursor, item: Item, delta: int) -> None:
    # One statement that creates the row or changes it under its row lock: two publications
    # in the same category, unit and year wait for each other instead of losing an increment.
    cursor.execute(
        f"INSERT INTO {COUNT} (category_id, unit_id, year, entries) "  # noqa: S608
        "VALUES (%s, %s, %s, %s) ON CONFLICT (category_id, unit_id, year) "
        f"DO UPDATE SET entries = {COUNT}.entries + excluded.entries",
        [item.category_id, item.unit_id, item.index_year, delta],
    )


def entry_index(*, item: Item) -> None:
    """Add a just-published item to the search index and the counts. Inside the publishing
    transaction, after the item's row is written: the entry and its counts appear together."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("index catalogue entries inside the publishing transaction")
    row = [item.pk, item.published_at, item.category_id, item.unit_id, item.index_year]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            vector = VECTOR_SQL.format(document="%s", category="%s", unit="%s", year="%s")
            cursor.execute(
                f"INSERT INTO {ENTRY} (item_id, published_at, category_id, unit_id, year, vector) "  # noqa: S608
                f"VALUES (%s, %s, %s, %s, %s, {vector})",
                [*row, item.search_document, item.category_id, item.unit_id, item.index_year],
            )
        else:
            CatalogueEntry.objects.create(
                item_id=item.pk,
                published_at=item.published_at,
                category_id=item.category_id,
                unit_id=item.unit_id,
                year=item.index_year,
            )
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, words) VALUES (%s, %s)",  # noqa: S608
                [item.pk, item.search_document],
            )
        _count_change(cursor, item, 1)


def entry_unindex(*, item: Item) -> None:
    """Take an entry out of the search index and the counts, in the transaction that takes it out
    of the catalogue. Nothing does that today (a repealed entry stays published); this is the one
    way out for whatever does."""
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("unindex catalogue entries inside the transaction that changes them")
    deleted, _rows = CatalogueEntry.objects.filter(item_id=item.pk).delete()
    if not deleted:
        return
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [item.pk])  # noqa: S608
        _count_change(cursor, item, -1)


_PUBLISHED = f"FROM {ITEM} WHERE status = 'published' AND index_number IS NOT NULL"  # noqa: S608
# The indexes the search reads (made by migration 0015; made again by a rebuild after its rows):
# RUM returns the newest matches of a rarer word in order (each word's entries with their
# published_at); GIN's smaller posting lists make the bitmap of a count's matches two to three
# times faster than RUM's (bench/catalogue.py). No pending list: a search never reads a backlog.
SEARCH_INDEXES = {
    "catalogue_entry_search": (
        f"CREATE INDEX catalogue_entry_search ON {ENTRY} USING rum "
        "(vector rum_tsvector_addon_ops, published_at) "
        "WITH (attach = 'published_at', to = 'vector')"
    ),
    "catalogue_entry_words": (
        f"CREATE INDEX catalogue_entry_words ON {ENTRY} USING gin (vector) WITH (fastupdate = off)"
    ),
}


def catalogue_rebuild(*, using: str = "default", search: bool = True) -> tuple[int | None, int]:
    """Count the entries per category, unit and year again from the published items and, with
    `search`, make the search index again too, in one transaction that publications wait for
    (and, while the index is remade, searches: a minute or two at 1,000,000 entries).
    Returns (entries indexed or None, count rows)."""
    connection = connections[using]
    postgres = connection.vendor == "postgresql"
    entries = None
    with transaction.atomic(using=using), connection.cursor() as cursor:
        if postgres:
            # Publications add rows to both tables: they wait until the new ones are committed,
            # and those the lock waited for are in the statements below.
            cursor.execute(f"LOCK TABLE {ENTRY}, {COUNT} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {COUNT}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {COUNT} (category_id, unit_id, year, entries) "  # noqa: S608
            f"SELECT category_id, unit_id, index_year, count(*) {_PUBLISHED} "
            "GROUP BY category_id, unit_id, index_year"
        )
        counts = cursor.rowcount
        if search and postgres:
            # Filling an empty table and indexing it once is far faster than indexing each row.
            for name in SEARCH_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
            cursor.execute(f"DELETE FROM {ENTRY}")  # noqa: S608
            vector = VECTOR_SQL.format(
                document="search_document",
                category="category_id",
                unit="unit_id",
                year="index_year",
            )
            cursor.execute(
                f"INSERT INTO {ENTRY} (item_id, published_at, category_id, unit_id, year, vector) "  # noqa: S608
                f"SELECT id, published_at, category_id, unit_id, index_year, {vector} {_PUBLISHED}"
            )
            entries = cursor.rowcount
            # The rows' foreign keys are checked now (deferred checks would stop CREATE INDEX).
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for sql in SEARCH_INDEXES.values():
                cursor.execute(sql)
        elif search:
            cursor.execute(f"DELETE FROM {ENTRY}")  # noqa: S608
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
            cursor.execute(
                f"INSERT INTO {ENTRY} (item_id, published_at, category_id, unit_id, year) "  # noqa: S608
                f"SELECT id, published_at, category_id, unit_id, index_year {_PUBLISHED}"
            )
            entries = cursor.rowcount
            cursor.execute(
                f"INSERT INTO {FTS_TABLE} (rowid, words) SELECT id, search_document {_PUBLISHED}"  # noqa: S608
            )
    return entries, counts
