"""Django's database sessions (`SESSION_ENGINE`), the request's read of its session one fixed statement.

Every page with a session cookie reads its row first. Django builds that read with the ORM each time (a `get` with
a filter on the expiry: compiling it was a sixth of a public page's CPU, issue 14); here it is the same statement
written once, on the same database the router gives the ORM's read (the primary: `core.dbrouter`). Creating,
saving, deleting and the expiry are Django's own.
"""

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        if self.session_key is None:
            return None
        model = self.model
        alias = router.db_for_read(model) or "default"
        connection = connections[alias]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        key, data, expiry = quote("session_key"), quote("session_data"), quote("expire_date")
        sql = f"SELECT {data} FROM {table} WHERE {key} = %s AND {expiry} > %s"  # noqa: S608 (names from the model)
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return model(session_key=str(self.session_key), session_data=row[0])


__all__ = ["SessionStore"]
