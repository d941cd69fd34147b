"""Reading the catalogue's search index: one page of entry ids, and the counts up to a cap.

Neither grows with the number of matches without bound:

- **A page** is the newest matches, read in one statement that stops at the page's last row. On
  PostgreSQL it first walks the newest entries (the `published_at` b-tree, with the filters)
  and keeps those whose vector matches: a common word fills the page within a few dozen rows.
  Only when the newest PROBE_ROWS entries do not hold enough matches (a rarer word) does the RUM
  index answer: it holds each entry's `published_at` beside its words and returns the newest
  matches first (`published_at <=| <moment>`, the distance back from a moment after every
  entry), sorting the matches inside the index, which is cheap because they are few. On SQLite
  FTS5 finds the matches and the entries table sorts them (an embedded catalogue is small).
- **Counts** read at most `cap + 1` matches (their category, unit and year, from the narrow
  entries table): exact up to the cap, "more than the cap" beyond it. The facets are those of
  the matches when they are exact; above the cap they are not counted. The unfiltered and
  filtered lists sum the maintained counts instead (`CatalogueCount`), exact at any size.

Relevance is in two tiers: entries that contain every query word as a word come first, then those
that matched some word only by its characters (a different cut of the text); newest first in each.
The second tier is read only when the first runs out, because a word's characters (common ones
such as 通 and 知) match far more entries than the word: a count first counts the first tier and
reads the second only when the first holds no more than the cap.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connections

from .index import COUNT, ENTRY, FTS_TABLE, facet_lexemes
from .words import alternatives

# Later than any publication: the RUM ordering's reference point (`<=|` measures back from it).
# Not much later, so that the distance in seconds as a float8 keeps microseconds apart.
_REFERENCE = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
# How many of the newest entries a page's statement walks before it asks the RUM index instead:
# a word in at least one of 250 recent entries fills a page of 20 there. Deeper pages walk more
# (25 rows per row wanted), up to PROBE_MAX_ROWS.
PROBE_ROWS = 5_000
PROBE_ROWS_PER_ROW = 25
PROBE_MAX_ROWS = 50_000


@dataclass(frozen=True)
class Filters:
    category: int | None = None
    unit: int | None = None
    year: int | None = None
    published_since: dt.datetime | None = None


@dataclass
class Tally:
    """How many entries match (exact when `exact`; otherwise more than the cap), and when exact
    how many of them fall in each category, unit and year."""

    total: int
    exact: bool
    category: dict[int, int] = field(default_factory=dict)
    unit: dict[int, int] = field(default_factory=dict)
    year: dict[int, int] = field(default_factory=dict)


def _lexeme(word: str) -> str:
    # tsquery input takes a quoted lexeme as it is (words and facet lexemes have no quotes or
    # backslashes; escape them anyway).
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery(words: list[str], *, exact: bool) -> str:
    parts = []
    for word in words:
        alts = alternatives(word)
        if exact or len(alts) == 1:
            parts.append(_lexeme(word))
        else:
            chars = " & ".join(_lexeme(c) for c in alts[1:])
            parts.append(f"({_lexeme(word)} | ({chars}))")
    return " & ".join(parts)


def _fts_query(words: list[str], *, exact: bool) -> str:
    # FTS5: a quoted string is one token here (words are letters, digits and ideographs only).
    parts = []
    for word in words:
        alts = alternatives(word)
        if exact or len(alts) == 1:
            parts.append(f'"{word}"')
        else:
            chars = " AND ".join(f'"{c}"' for c in alts[1:])
            parts.append(f'("{word}" OR ({chars}))')
    return " AND ".join(parts)


class Search:
    """The entries matching all of `words` (none: every entry) and `filters`."""

    def __init__(self, *, words: list[str], filters: Filters, using: str):
        self.words = words
        self.filters = filters
        self.connection = connections[using]
        self.postgres = self.connection.vendor == "postgresql"
        # A second tier exists only when some word can also match by its characters.
        self.tiered = any(len(alternatives(w)) > 1 for w in words)

    # --- conditions ------------------------------------------------------------------------

    def _columns(self) -> tuple[list[str], list]:
        """The filters as conditions on the entries table `e`."""
        f = self.filters
        sql, params = [], []
        for column, value in (("category_id", f.category), ("unit_id", f.unit), ("year", f.year)):
            if value:
                sql.append(f"e.{column} = %s")
                params.append(value)
        if f.published_since:
            sql.append("e.published_at > %s")
            # As the ORM would store it (SQLite: UTC text), so that the comparison holds.
            params.append(self.connection.ops.adapt_datetimefield_value(f.published_since))
        return sql, params

    def _match(self, tier: str) -> tuple[str, list]:
        """The words' condition on `e` for the 'exact' tier, the 'rest' (matched only through some
        word's characters) or 'all'; with the filters as lexemes on PostgreSQL, so that the index
        applies them too."""
        if self.postgres:
            f = self.filters
            facets = " & ".join(
                _lexeme(x) for x in facet_lexemes(category=f.category, unit=f.unit, year=f.year)
            )
            query = _tsquery(self.words, exact=tier == "exact")
            if tier == "rest":
                query = f"({query}) & !({_tsquery(self.words, exact=True)})"
            if facets:
                query = f"({query}) & {facets}"
            return "e.vector @@ %s::tsquery", [query]
        query = _fts_query(self.words, exact=tier == "exact")
        if tier == "rest":
            query = f"({query}) NOT ({_fts_query(self.words, exact=True)})"
        return (
            f"e.item_id IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)",  # noqa: S608
            [query],
        )

    def _where(self, tier: str) -> tuple[str, list]:
        columns, column_params = self._columns()
        if not self.words:
            return " AND ".join(columns) or "TRUE", column_params
        match, match_params = self._match(tier)
        return " AND ".join([match, *columns]), [*match_params, *column_params]

    # --- a page ----------------------------------------------------------------------------

    def _newest(self, tier: str, count: int) -> list[int]:
        """The ids of the `count` newest entries of `tier`, newest first."""
        if count <= 0:
            return []
        if not self.postgres:
            where, params = self._where(tier)
            sql = (
                f"SELECT e.item_id, e.published_at FROM {ENTRY} e WHERE {where} "  # noqa: S608
                "ORDER BY e.published_at DESC, e.item_id DESC LIMIT %s"
            )
            params.append(count)
        else:
            columns, column_params = self._columns()
            match, match_params = self._match(tier)
            window = min(PROBE_MAX_ROWS, max(PROBE_ROWS, PROBE_ROWS_PER_ROW * count))
            # One statement: the walk over the newest entries, and the RUM index's answer only
            # when the walk fell short (its condition is a one-time filter on the walk's count).
            sql = (
                "WITH probe AS MATERIALIZED ("  # noqa: S608
                "SELECT e.item_id, e.published_at FROM ("
                f"SELECT item_id, published_at, vector FROM {ENTRY} e "
                f"WHERE {' AND '.join(columns) or 'TRUE'} "
                "ORDER BY e.published_at DESC, e.item_id DESC LIMIT %s) e "
                f"WHERE {match} LIMIT %s) "
                "SELECT item_id, published_at FROM probe WHERE (SELECT count(*) FROM probe) = %s "
                "UNION ALL ("
                f"SELECT e.item_id, e.published_at FROM {ENTRY} e "
                f"WHERE {' AND '.join([match, *columns])} "
                "AND (SELECT count(*) FROM probe) < %s "
                "ORDER BY e.published_at <=| %s LIMIT %s)"
            )
            params = [
                *column_params,
                window,
                *match_params,
                count,
                count,
                *match_params,
                *column_params,
                count,
                _REFERENCE,
                count,
            ]
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        # Newest first whichever way they came (the index's distance has no tie-break).
        rows.sort(key=lambda row: (row[1], row[0]), reverse=True)
        return [row[0] for row in rows]

    def ids(self, *, offset: int, limit: int) -> list[int]:
        """The ids of entries offset to offset + limit, in the search's order."""
        if not self.words:
            where, params = self._where("all")
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT e.item_id FROM {ENTRY} e WHERE {where} "  # noqa: S608
                    "ORDER BY e.published_at DESC, e.item_id DESC LIMIT %s OFFSET %s",
                    [*params, limit, offset],
                )
                return [row[0] for row in cursor.fetchall()]
        wanted = offset + limit
        found = self._newest("exact", wanted)
        if self.tiered and len(found) < wanted:
            found += self._newest("rest", wanted - len(found))
        return found[offset:wanted]

    # --- counts ----------------------------------------------------------------------------

    def tally(self, *, cap: int) -> Tally:
        """The count (exact up to `cap`) and, when exact, the facets: one statement."""
        f = self.filters
        if not self.words and not f.published_since:
            where, params = self._where("all")
            source = (
                f"SELECT category_id, unit_id, year, entries AS n FROM {COUNT} e "  # noqa: S608
                f"WHERE {where}"
            )
        else:
            exact_where, exact_params = self._where("exact" if self.words else "all")
            first = (
                f"SELECT e.category_id, e.unit_id, e.year, 1 AS n FROM {ENTRY} e "  # noqa: S608
                f"WHERE {exact_where} LIMIT %s"
            )
            params = [*exact_params, cap + 1]
            if not self.tiered:
                source = first
            else:
                # The second tier (disjoint from the first) is read only when the first holds no
                # more than the cap: a common word's characters match far more entries.
                rest_where, rest_params = self._where("rest")
                source = (
                    f"WITH a AS MATERIALIZED ({first}), "  # noqa: S608
                    "b AS MATERIALIZED ("
                    f"SELECT e.category_id, e.unit_id, e.year, 1 AS n FROM {ENTRY} e "
                    f"WHERE {rest_where} AND (SELECT count(*) FROM a) <= %s LIMIT %s) "
                    "SELECT * FROM a UNION ALL SELECT * FROM b"
                )
                params += [*rest_params, cap, cap + 1]
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"WITH s AS ({source}) "  # noqa: S608
                "SELECT 0, 0, sum(n) FROM s "
                "UNION ALL SELECT 1, category_id, sum(n) FROM s GROUP BY category_id "
                "UNION ALL SELECT 2, unit_id, sum(n) FROM s GROUP BY unit_id "
                "UNION ALL SELECT 3, year, sum(n) FROM s GROUP BY year",
                params,
            )
            rows = cursor.fetchall()
        total = next((int(n or 0) for kind, _key, n in rows if kind == 0), 0)
        counted = not self.words and not f.published_since
        tally = Tally(total=total, exact=counted or total <= cap)
        if tally.exact:
            facets = {1: tally.category, 2: tally.unit, 3: tally.year}
            for kind, key, n in rows:
                if kind and n:
                    facets[kind][key] = int(n)
        return tally
