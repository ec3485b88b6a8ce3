"""Small database helpers shared by the apps' actions."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import OperationalError, connection
from django.db.models import F, Model

from civicgrid.core import clock
from civicgrid.core.fields import sealed_values


def limit_lock_wait() -> None:
    """Inside a transaction: a duplicate that arrives while the first attempt's
    transaction is still open waits for it at most
    CIVICGRID_IDEMPOTENCY_WAIT_SECONDS, then fails with a lock time-out that
    :func:`lock_timed_out` recognises (PostgreSQL; SQLite runs one writer at a
    time, so the duplicate finds the first one done)."""
    if connection.vendor == "postgresql":
        milliseconds = int(settings.CIVICGRID_IDEMPOTENCY_WAIT_SECONDS * 1000)
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {milliseconds}")


def lock_timed_out(exc: OperationalError) -> bool:
    return getattr(exc.__cause__, "sqlstate", "") == "55P03"  # lock_not_available


def restore_lock_wait() -> None:
    """Back to the server's own lock wait for the rest of the transaction."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = DEFAULT")


def compare_and_set(
    obj: Model,
    where: Mapping[str, Any],
    fields: Mapping[str, Any],
    *,
    touch: bool = True,
) -> bool:
    """Write ``fields`` to ``obj``'s row only if the row still matches ``where``
    (``UPDATE … WHERE pk = … AND …``): True when it did, False when someone
    changed the row first. With no fields the update still claims the row, so
    what the caller checked cannot change before its transaction ends.
    ``touch`` stamps ``updated_at``. The caller's copy is kept in step with the
    row; expressions (``F("n") + 1``) are read back."""
    _own_columns_only(type(obj), where)
    # A sealed text's masked copy and its original, as a save would write them.
    values = sealed_values(type(obj), dict(fields))
    if touch:
        values["updated_at"] = clock.now()
    pk = obj._meta.pk.attname
    updated = (
        type(obj)
        ._default_manager.filter(pk=obj.pk, **where)
        .update(**(values or {pk: F(pk)}))
    )
    if updated != 1:
        return False
    expressions = []
    for name, value in values.items():
        if hasattr(value, "resolve_expression"):
            expressions.append(name)
        else:
            setattr(obj, name, value)
    if expressions:
        obj.refresh_from_db(fields=expressions)
    return True


def _own_columns_only(model: type[Model], where: Mapping[str, Any]) -> None:
    """A condition on another table (``whistle__state``) makes Django write
    ``WHERE id IN (SELECT … JOIN …)``, which PostgreSQL does not check again
    after waiting for a concurrent writer's row lock: the race it guards
    against would be lost silently. Only the row's own columns may be compared."""
    for lookup in where:
        name, *rest = lookup.split("__")
        field = model._meta.get_field(name)
        if len(rest) > 1 or (rest and field.is_relation):
            raise ValueError(
                f"compare_and_set compares {model.__name__}'s own columns, "
                f"not {lookup!r}"
            )


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    batch: int = 1000,
) -> None:
    """Insert ``rows`` (values ready for the database: JSON already text)
    into ``table``'s ``columns`` past the ORM's work per object — COPY on
    PostgreSQL, one ``executemany`` per ``batch`` rows elsewhere. For rows
    whose keys nobody needs back (an import's history, a synthetic street)."""
    if not rows:
        return
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg's own, for COPY
            with raw.copy(f"COPY {quote(table)} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})"  # noqa: S608 — our own names
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start : start + batch])
