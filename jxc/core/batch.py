"""Several SQL statements in one round trip, for the few hot paths where round trips are what
costs (posting stock runs a dozen statements; on PostgreSQL each waits for the server).

On PostgreSQL the statements travel as one query string: Django's psycopg cursors bind
parameters on the client, which allows several statements per ``execute``, and each still runs
with its own snapshot under READ COMMITTED, in order. SQLite runs in-process, where a round trip
costs nothing, so there they run one by one.
"""

from collections.abc import Sequence


def run_statements(connection, statements: Sequence[tuple[str, Sequence]]) -> list[list[tuple]]:
    """Run ``statements`` (SQL, parameters) in order; return the rows each one returned
    (an empty list for statements that return none)."""
    results = []
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql" or len(statements) == 1:
            for sql, params in statements:
                cursor.execute(sql, params)
                results.append(cursor.fetchall() if cursor.description else [])
            return results
        cursor.execute(
            "; ".join(sql for sql, _params in statements),
            [value for _sql, params in statements for value in params],
        )
        while True:
            results.append(cursor.fetchall() if cursor.description else [])
            if not cursor.nextset():
                return results
