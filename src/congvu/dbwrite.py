"""Row writes for hot paths (a receipt at the desk): the same rows `Model.save()` writes, without the
ORM's per-call SQL compilation, and on PostgreSQL through server-side binding with prepared statements.

- `insert(obj)`: what `obj.save(force_insert=True)` does for a plain model (no parent model, no
  expression values): the related fields checked, `pre_save` of every field (auto_now...), the values
  prepared by the fields themselves (`get_db_prep_save`), `pre_save`/`post_save` signals sent when
  someone listens, the primary key read back (RETURNING), `_state` updated. The INSERT statement is
  built once per model and connection.
- `execute(sql, params)` / `fetchone(sql, params)`: one statement of the caller's.

On PostgreSQL the statement goes through psycopg with server-side binding and `prepare=True`
(parsed and planned once per connection, parameters sent without client-side quoting); errors come
back as Django's (`IntegrityError`...), and the statement is logged where Django would log it (DEBUG,
`CaptureQueriesContext`). When execute wrappers are installed (`connection.execute_wrapper`), or on
other databases, Django's ordinary cursor runs it, so the wrappers see it.

Django only (no app imports): usable from the bottom floor (audit) up.
"""

from __future__ import annotations

import time
from typing import Any

from django.db import connections, models
from django.db.models.signals import post_save, pre_save

_PLAIN = frozenset({str, int, float, bool, type(None)})
_INSERTS: dict[tuple[str, type], tuple[str, list, str] | None] = {}


def _use_psycopg(connection) -> bool:
    return connection.vendor == "postgresql" and not connection.execute_wrappers


def _run(connection, sql: str, params: list[Any] | tuple, fetch: bool, prepare: bool = True) -> tuple | None:
    connection.ensure_connection()
    if _use_psycopg(connection):
        import psycopg

        connection.validate_no_broken_transaction()
        start = time.monotonic()
        # One server-side-binding cursor per connection, reused (a new one copies the adapters each time).
        cur = connection.__dict__.get("_dbwrite_cursor")
        if cur is None or cur.connection is not connection.connection or cur.closed:
            cur = connection.__dict__["_dbwrite_cursor"] = psycopg.Cursor(connection.connection)
        with connection.wrap_database_errors:
            cur.execute(sql, params, prepare=prepare)
            row = cur.fetchone() if fetch else None
        if connection.queries_logged:  # DEBUG, CaptureQueriesContext
            try:
                logged = sql % tuple(repr(p) for p in params)
            except (TypeError, ValueError):
                logged = sql
            connection.queries_log.append({"sql": logged, "time": f"{time.monotonic() - start:.3f}"})
        return row
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchone() if fetch else None


def execute(sql: str, params: list[Any] | tuple = (), *, using: str = "default", prepare: bool = True) -> None:
    """Run one statement (placeholders `%s`) in the caller's transaction; `prepare=False` for a
    one-off statement (a batch of many rows) not worth a prepared statement."""
    _run(connections[using], sql, params, False, prepare)


def fetchone(sql: str, params: list[Any] | tuple = (), *, using: str = "default") -> tuple | None:
    """Run one statement and return its first row (e.g. `… RETURNING …`)."""
    return _run(connections[using], sql, params, True)


def _passthrough(field) -> tuple[type, ...]:
    """Value types the field's `get_db_prep_save` returns unchanged (checked against Django's code for
    these exact classes: `to_python` gives the same object back, no database adaptation), so the call
    can be skipped; () for every other field."""
    if type(field) in (models.CharField, models.TextField):
        return (str, type(None))
    if type(field) is models.BooleanField:
        return (bool, type(None))
    return ()


def _insert_plan(model: type, connection) -> tuple[str, list, str] | None:
    """(SQL, [(field, attname, own pre_save?, pass-through types)], " RETURNING <pk>") of a one-row INSERT
    of `model` without its auto primary key, or None when the model needs the ORM (parent models,
    fields with their own placeholders)."""
    key = (connection.alias, model)
    if key in _INSERTS:
        return _INSERTS[key]
    meta = model._meta
    plan = None
    auto = meta.auto_field
    fields = [f for f in meta.local_concrete_fields if f is not auto and not getattr(f, "generated", False)]
    if (not meta.parents and auto is not None and auto is meta.pk and len(meta.pk_fields) == 1
            and not any(hasattr(f, "get_placeholder") for f in fields)):
        qn = connection.ops.quote_name
        sql = (f"INSERT INTO {qn(meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
               f"VALUES ({', '.join(['%s'] * len(fields))})")
        spec = [(f, f.attname, type(f).pre_save is not models.Field.pre_save, _passthrough(f)) for f in fields]
        plan = (sql, spec, f" RETURNING {qn(meta.db_table)}.{qn(auto.column)}")
    _INSERTS[key] = plan
    return plan


def insert_statement(obj: Any, *, using: str = "default") -> tuple[str, list[Any]] | None:
    """The one-row INSERT of `obj` (without RETURNING) and its parameters, with the related fields
    checked, `pre_save` run and `pre_save` sent as `save()` does; None when only the ORM can write
    it (then call `obj.save(force_insert=True)`). Finish with `inserted(obj, pk)`."""
    connection = connections[using]
    plan = _insert_plan(type(obj), connection)
    if plan is None or obj.pk is not None:
        return None
    sql, spec, _returning = plan
    obj._prepare_related_fields_for_save(operation_name="save")  # may set a foreign key's id
    state = obj.__dict__
    raw = [state[name] if name in state else getattr(obj, name) for _f, name, _p, _t in spec]
    if any(type(v) not in _PLAIN and hasattr(v, "resolve_expression") for v in raw):
        return None  # F(), database defaults...: the ORM knows
    if pre_save.has_listeners(type(obj)):
        pre_save.send(sender=type(obj), instance=obj, raw=False, using=using, update_fields=None)
        raw = [state[name] if name in state else getattr(obj, name) for _f, name, _p, _t in spec]
    params = []
    for (f, _name, own_pre_save, through), v in zip(spec, raw, strict=True):
        if own_pre_save:  # auto_now, files...
            v = f.pre_save(obj, True)
        params.append(v if type(v) in through else f.get_db_prep_save(v, connection=connection))
    return sql, params


def inserted(obj: Any, pk: Any, *, using: str = "default") -> Any:
    """After the INSERT of `insert_statement`: the primary key set, `_state` saved, `post_save` sent."""
    setattr(obj, type(obj)._meta.auto_field.attname, pk)
    obj._state.adding = False
    obj._state.db = using
    if post_save.has_listeners(type(obj)):
        post_save.send(sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=using)
    return obj


def insert(obj: Any, *, using: str = "default") -> Any:
    """INSERT `obj` as `obj.save(force_insert=True)` would (see the module docstring); returns obj."""
    connection = connections[using]
    statement = insert_statement(obj, using=using)
    if statement is None or not connection.features.can_return_columns_from_insert:
        obj.save(force_insert=True, using=using)
        return obj
    sql, params = statement
    row = _run(connection, sql + _INSERTS[(connection.alias, type(obj))][2], params, True)
    return inserted(obj, row[0], using=using)


def insert_together(*objs: Any, using: str = "default") -> tuple[Any, ...]:
    """INSERT several independent rows (their foreign keys point at rows already saved) as `insert`
    does each; on PostgreSQL in one statement (`WITH i0 AS (INSERT … RETURNING id), i1 AS (…) SELECT
    …`: one round trip, one prepared statement), elsewhere one after the other."""
    connection = connections[using]
    if connection.vendor != "postgresql" or len(objs) < 2:
        return tuple(insert(obj, using=using) for obj in objs)
    statements = [insert_statement(obj, using=using) for obj in objs]
    if any(st is None for st in statements):  # one needs the ORM: keep the order, one by one
        out = []
        for obj, st in zip(objs, statements, strict=True):
            if st is None:
                obj.save(force_insert=True, using=using)
                out.append(obj)
            else:
                row = _run(connection, st[0] + _INSERTS[(connection.alias, type(obj))][2], st[1], True)
                out.append(inserted(obj, row[0], using=using))
        return tuple(out)
    ctes, params, names = [], [], []
    for k, (obj, (sql, p)) in enumerate(zip(objs, statements, strict=True)):
        ctes.append(f"i{k} AS ({sql}{_INSERTS[(connection.alias, type(obj))][2]})")
        params += p
        names.append(f"i{k}")
    row = _run(connection, f"WITH {', '.join(ctes)} SELECT {', '.join(f'{n}.*' for n in names)} "
                           f"FROM {', '.join(names)}", params, True)
    return tuple(inserted(obj, pk, using=using) for obj, pk in zip(objs, row, strict=True))
