"""Model instances from fixed SQL, for the few reads every workflow step makes.

Building a query through the ORM costs a few milliseconds of Python each time (compiling the
joins, select list and locks); the two reads each step begins with (the task under the flow lock,
then the item under its row lock) cost more than everything the database does for them. Their SQL
never changes, so it is built once from the models' metadata, and each call only sends it and
turns the row into instances, applying the same field converters the ORM applies.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import Col


@dataclass
class Part:
    """One model of the row: read from `alias`, with parent-model fields (multi-table
    inheritance) read from the aliases in `parents`; `attach(instances)` links it to the others."""

    model: type[Model]
    alias: str
    parents: dict[type[Model], str] = field(default_factory=dict)

    @cached_property
    def fields(self) -> list:
        return list(self.model._meta.concrete_fields)

    def columns(self, quote: Callable[[str], str]) -> list[str]:
        return [f"{self.parents.get(f.model, self.alias)}.{quote(f.column)}" for f in self.fields]


class RowReader:
    """`read(params)` runs `sql_tail` (FROM ... WHERE ...) after a select list of every concrete
    field of each part, plus `extras` (SQL expressions, read as plain values; their parameters
    come first in `params`), locking the row of `lock_of` (an alias) where the database can;
    returns the instances, one per part, and the extras, or None when no row matches."""

    def __init__(
        self,
        parts: Sequence[Part],
        sql_tail: str,
        *,
        extras: Sequence[str] = (),
        lock_of: str = "",
        nowait: bool = False,
    ):
        self.parts = list(parts)
        self.sql_tail = sql_tail
        self.extras = list(extras)
        self.lock_of, self.nowait = lock_of, nowait

    @cached_property
    def _prepared(self):
        quote = connection.ops.quote_name
        columns = [column for part in self.parts for column in part.columns(quote)]
        sql = f"SELECT {', '.join(columns + self.extras)} {self.sql_tail}"
        if self.lock_of and connection.features.has_select_for_update_of:
            sql += f" FOR UPDATE OF {self.lock_of}{' NOWAIT' if self.nowait else ''}"
        plan = []
        for part in self.parts:
            converters = []
            for model_field in part.fields:
                col = Col(part.alias, model_field)
                funcs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
                converters.append((funcs, col))
            plan.append((part.model, [f.attname for f in part.fields], converters))
        return sql, plan

    def read(self, params: Sequence) -> tuple[list[Model], list] | None:
        sql, _plan = self._prepared
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return None if row is None else self._instances(row)

    def read_all(self, params: Sequence) -> list[tuple[list[Model], list]]:
        sql, _plan = self._prepared
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [self._instances(row) for row in cursor.fetchall()]

    def _instances(self, row) -> tuple[list[Model], list]:
        _sql, plan = self._prepared
        instances, start = [], 0
        for model, attnames, converters in plan:
            values = list(row[start : start + len(attnames)])
            for i, (funcs, col) in enumerate(converters):
                for func in funcs:
                    values[i] = func(values[i], col, connection)
            instances.append(model.from_db(connection.alias, attnames, values))
            start += len(attnames)
        return instances, list(row[start:])


class CompiledQuery:
    """An ORM query compiled once and run again with other values in its one list parameter.

    `build(values)` returns the query (a `values_list`, say) for a list of values, ids mostly.
    The first run with a list of a given length compiles it with stand-in values and finds them
    again among the parameters; every run then sends that SQL with the real values and turns the
    rows into values through the ORM's own converters (`SQLCompiler.results_iter`). For a read
    every page view makes whose only varying part is a list of ids, where compiling the joins and
    annotations costs more Python than the database spends running them. The rule stays written
    once, in the ORM query.
    """

    # Beyond any primary key (a signed 64-bit column holds up to 9.2e18), so a stand-in is never
    # mistaken for another parameter of the query.
    STAND_IN = 8_000_000_000_000_000_000

    def __init__(self, build: Callable[[list], QuerySet]):
        self.build = build
        self._compiled: dict[tuple[str, int], tuple] = {}

    def _compile(self, size: int) -> tuple:
        stand_ins = {self.STAND_IN + k: k for k in range(size)}
        queryset = self.build(list(stand_ins))
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        slots = [
            (position, stand_ins[param])
            for position, param in enumerate(params)
            if isinstance(param, int) and param in stand_ins
        ]
        if sorted(k for _position, k in slots) != list(range(size)):
            raise ValueError("the query must use each value exactly once, as a parameter")
        # The compiler is kept only for its converters (results_iter); the SQL runs on the calling
        # thread's connection. The converters of the columns this serves (dates, booleans, node
        # references) read nothing from the connection they are handed.
        return sql, list(params), slots, compiler

    def rows(self, values: Sequence) -> list[tuple]:
        if not values:
            return []
        key = (connection.vendor, len(values))
        compiled = self._compiled.get(key)
        if compiled is None:
            compiled = self._compiled[key] = self._compile(len(values))
        sql, params, slots, compiler = compiled
        params = list(params)
        for position, k in slots:
            params[position] = values[k]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        return list(compiler.results_iter(results=[fetched], tuple_expected=True))


class RowInserter:
    """`insert(objs)`: one INSERT of every concrete field but the primary key for all `objs`
    (values prepared as the ORM prepares them, auto_now_add included), setting their primary
    keys from RETURNING; the statement is built once per row count. Sends no model signals:
    only for models nothing listens to."""

    def __init__(self, model: type[Model]):
        self.model = model
        self._sql: dict[int, str] = {}

    @cached_property
    def fields(self) -> list:
        return [f for f in self.model._meta.concrete_fields if not f.primary_key]

    def insert(self, objs: Sequence[Model]) -> None:
        if not objs:
            return
        sql = self._sql.get(len(objs))
        if sql is None:
            quote = connection.ops.quote_name
            row = f"({', '.join(['%s'] * len(self.fields))})"
            sql = self._sql[len(objs)] = (
                f"INSERT INTO {quote(self.model._meta.db_table)} "  # noqa: S608 - fixed names
                f"({', '.join(quote(f.column) for f in self.fields)}) "
                f"VALUES {', '.join([row] * len(objs))} "
                f"RETURNING {quote(self.model._meta.pk.column)}"
            )
        params = [
            f.get_db_prep_save(f.pre_save(obj, True), connection)
            for obj in objs
            for f in self.fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            ids = [row[0] for row in cursor.fetchall()]
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias


_INSERTERS: dict[type[Model], RowInserter] = {}


def insert(*objs: Model) -> None:
    """Insert new rows of one model through its RowInserter (see there: no model signals)."""
    if objs:
        model = type(objs[0])
        inserter = _INSERTERS.get(model) or _INSERTERS.setdefault(model, RowInserter(model))
        inserter.insert(objs)


def exists(model: type[Model], alias: str, where: str) -> str:
    """An EXISTS test on `model`'s table for a select list; `where` holds only fixed SQL and
    %s placeholders."""
    return f"EXISTS (SELECT 1 FROM {model._meta.db_table} {alias} WHERE {where})"  # noqa: S608


def item_locked_reader(*extras: str) -> RowReader:
    """The item under its row lock (waiting for it), with its unit and section."""
    from .models import Item, Section, Unit

    return RowReader(
        [Part(Item, "i"), Part(Unit, "u"), Part(Section, "s")],
        f"FROM {Item._meta.db_table} i"
        f" JOIN {Unit._meta.db_table} u ON u.id = i.unit_id"
        f" JOIN {Section._meta.db_table} s ON s.id = i.section_id"
        " WHERE i.id = %s",
        extras=extras,
        lock_of="i",
    )


def read_item_locked(reader: RowReader, params: Sequence):
    """(item with unit and section attached, extras); the item must exist."""
    from .models import Item

    read = reader.read(params)
    if read is None:
        raise Item.DoesNotExist(f"no item for {list(params)}")
    (item, unit, section), extras = read
    Item._meta.get_field("unit").set_cached_value(item, unit)
    Item._meta.get_field("section").set_cached_value(item, section)
    return item, extras
