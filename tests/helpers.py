"""Reusable assertions for API tests."""

from django.db import models

ERROR_KEYS = {"code", "message", "fields"}


def assert_error(response, status: int, code: str | None = None, field: str | None = None):
    """The response is the documented error body with ``status`` (and ``code``/``field``)."""
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == ERROR_KEYS, body
    assert isinstance(body["message"], str)
    assert body["message"]
    if code:
        assert body["code"] == code, body
    if field:
        assert field in body["fields"], body
    return body


def _snapshot(obj: models.Model) -> dict:
    fresh = type(obj)._base_manager.filter(pk=obj.pk).values().first()
    return fresh


def assert_other_organization_hidden(client, url: str, obj: models.Model, *, update=None):
    """``client`` (acting in its own organization) cannot see, change or delete ``obj``.

    ``url`` is the list URL (``/api/v1/things/``). Reading, updating and deleting the detail URL
    answer 404 with the error body, the list and a search for it do not show it, and the row is
    unchanged afterwards. One line per endpoint in tests: the isolation proof for new modules.
    """
    before = _snapshot(obj)
    assert before is not None, "the object must exist"
    detail = f"{url}{obj.pk}/"
    assert_error(client.get(detail), 404, "not_found")
    for method in (client.patch, client.put, client.delete):
        response = method(detail, update or {}, format="json")
        assert response.status_code in (404, 405), (method, response.status_code)
        assert set(response.json()) == ERROR_KEYS
    listed = client.get(url, {"page_size": 500})
    assert listed.status_code == 200, listed.content[:300]
    assert obj.pk not in {row["id"] for row in listed.json()["results"]}
    assert _snapshot(obj) == before, "the other organization's row changed"


class RoundTrips:
    """What a block of code costs the database, counted two ways: ``statements`` as Django's
    cursor saw them (on SQLite, every statement; transaction control excluded), and
    ``trips``, the round trips to the server: each query through Django's cursor, plus one per
    batch of :func:`jxc.core.batch.run_statements` (on PostgreSQL a batch travels together and
    bypasses Django's cursor; on SQLite its statements are also counted one by one).

    ``monkeypatch`` swaps the batch runner in every module that imported it, so the count
    cannot miss a batch."""

    CONTROL = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE", "ROLLBACK")

    def __init__(self, monkeypatch):
        import sys

        import jxc.core.batch

        self.batches = 0
        run = jxc.core.batch.run_statements

        def counted(connection, statements):
            self.batches += 1
            return run(connection, statements)

        monkeypatch.setattr(jxc.core.batch, "run_statements", counted)
        for module in list(sys.modules.values()):
            name = getattr(module, "__name__", "") or ""
            if name.startswith("jxc.") and getattr(module, "run_statements", None) is run:
                monkeypatch.setattr(module, "run_statements", counted)

    def __call__(self):
        return _Counting(self)


class _Counting:
    def __init__(self, owner: RoundTrips):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        self.owner, self.captured = owner, CaptureQueriesContext(connection)
        self.statements = self.trips = 0

    def __enter__(self):
        self.start = self.owner.batches
        self.captured.__enter__()
        return self

    def __exit__(self, *exc):
        self.captured.__exit__(*exc)
        from django.db import connection

        queries = [q["sql"] for q in self.captured.captured_queries]
        self.statements = len([q for q in queries if not q.startswith(RoundTrips.CONTROL)])
        # on PostgreSQL only: SQLite runs a batch's statements one by one, through Django's cursor
        batches = self.owner.batches - self.start
        self.trips = batches + self.statements if connection.vendor == "postgresql" else None
        return False
