"""The audit trail (django-simple-history) of rows changed in bulk."""

from django.db import connections, router
from django.utils import timezone

UPDATED = "~"


def log_rows_in_one_statement(model, pks, *, user, history_type=UPDATED):
    """One history row for each row of `model` in `pks`, as it now stands, written by
    the database itself in one INSERT … SELECT.

    simple_history's own bulk helpers send every row's values as parameters, and
    Django splits such an insert at 999 of them on SQLite: one more query per 80
    attendance rows, which a cell of 2,000 members felt. The row is the same as a
    save() would log: its tracked fields, when, who, and the kind of change.
    """
    pks = list(pks)
    if not pks:
        return
    history = model.history.model
    connection = connections[router.db_for_write(history)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in history.tracked_fields)
    meta = [
        quote(history._meta.get_field(name).column)
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    sql = (
        f"INSERT INTO {quote(history._meta.db_table)} ({columns}, {', '.join(meta)}) "
        f"SELECT {columns}, %s, %s, %s, %s FROM {quote(model._meta.db_table)} "
        f"WHERE {quote(model._meta.pk.column)} IN ({', '.join(['%s'] * len(pks))})"
    )
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, None, history_type, getattr(user, "pk", None), *pks])
