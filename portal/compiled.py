"""Queries that every staff request runs, written by the ORM once per process and then run
with each request's values.

Building a queryset's SQL costs more than running it when the query is small (about 2 ms to
build against 0.2 ms in PostgreSQL for a user's units). ``rows`` asks the ORM for the SQL of
``build(*groups)`` once for each shape of the groups (how many values each holds), with
stand-in values, and afterwards only runs that SQL with the values given (and the constants
the query carries itself), converting what it reads as the ORM would. ``objects`` does the
same for a queryset of model instances (without related objects). The ORM stays the one place
the query is written; the stand-ins prove where each value goes.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable


def rows(build: Callable[..., QuerySet], *groups: Sequence) -> list[tuple]:
    """The rows of the ``values_list`` queryset ``build(*groups)`` returns, with the values
    converted as the ORM converts them (dates and times on SQLite, say)."""
    query = _query_of(build, tuple(len(group) for group in groups))
    values = [value for group in groups for value in group]
    params = [values[slot] if isinstance(slot, int) else slot.value for slot in query.slots]
    with connection.cursor() as cursor:
        cursor.execute(query.sql, params)
        found = cursor.fetchall()
    converters = _converters(query, connection.vendor)
    if not converters:
        return found
    converted = []
    for row in found:
        row = list(row)
        for i, converts, column in converters:
            for convert in converts:
                row[i] = convert(row[i], column, connection)
        converted.append(tuple(row))
    return converted


def objects(build: Callable[..., QuerySet], *groups: Sequence) -> list[Model]:
    """The instances the queryset ``build(*groups)`` gives (every concrete field loaded, none
    of its related objects), as the ORM makes them from a row."""
    query = _query_of(build, tuple(len(group) for group in groups))
    if query.model is None:
        raise TypeError(f"{build.__qualname__} gives values, not model instances: use rows().")
    return [query.model.from_db(DEFAULT_DB_ALIAS, query.names, row) for row in rows(build, *groups)]


@lru_cache(maxsize=256)
def _converters(query: "Compiled", vendor: str) -> tuple:
    """What the ORM runs on each column's values as they come from this kind of database."""
    return tuple(
        (i, converts, column)
        for i, column in enumerate(query.columns)
        if (
            converts := connection.ops.get_db_converters(column)
            + column.get_db_converters(connection)
        )
    )


@dataclass(frozen=True)
class Constant:
    """A parameter the query itself carries (a status, a choice), the same for every run."""

    value: object


STAND_IN_START = -900_000_001  # far below any id, so no constant of a query is one of them


@dataclass(frozen=True, eq=False)  # told apart by identity: each is built once
class Compiled:
    sql: str
    slots: tuple  # for each parameter: the place of a value in the groups, or a Constant
    columns: tuple  # the selected expressions, for their converters
    model: type[Model] | None  # for objects(): the model, and its fields in column order
    names: tuple[str, ...] | None


@lru_cache(maxsize=256)
def _query_of(build: Callable[..., QuerySet], shape: tuple[int, ...]) -> Compiled:
    """``build``'s SQL for groups of this shape, built with distinct stand-in values
    (negative numbers, which no id is); refused unless each appears exactly once."""
    stand_ins, start = [], STAND_IN_START
    for size in shape:
        stand_ins.append(list(range(start, start - size, -1)))
        start -= size
    place = {value: i for i, value in enumerate(v for group in stand_ins for v in group)}
    queryset = build(*stand_ins)
    model = names = None
    if queryset._iterable_class is ModelIterable:  # instances: read every concrete field
        model = queryset.model
        names = tuple(field.attname for field in model._meta.concrete_fields)
        queryset = queryset.values_list(*names)
    compiler = queryset.query.get_compiler(DEFAULT_DB_ALIAS)
    sql, params = compiler.as_sql()
    slots = tuple(
        place[param] if type(param) is int and param in place else Constant(param)
        for param in params
    )
    if sorted(slot for slot in slots if isinstance(slot, int)) != list(range(len(place))):
        raise ValueError(f"{build.__qualname__}: each value given must be one parameter.")
    columns = tuple(selected[0] for selected in compiler.select[: compiler.col_count])
    return Compiled(sql, slots, columns, model, names)
