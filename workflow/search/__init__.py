"""Chinese search over the public catalogue (README, "The public portal").

- `words`: jieba cuts the public texts at publication into `Item.search_document`, and a
  visitor's query into words (its dictionary is loaded when a process starts: `preload`).
- `index`: the search index and the maintained counts, kept in step in the transaction that
  publishes an entry (a stored `tsvector` behind a RUM index on PostgreSQL, FTS5 on SQLite).
- `query`: a page of matches and the counts up to a cap, at a cost that does not grow with the
  number of matches (portal.selectors.catalogue_search reads through it).

Only the public version is ever indexed: a withheld passage can never be found by searching for it.
"""

from .words import document_words, preload, query_words

__all__ = ["document_words", "preload", "query_words"]
