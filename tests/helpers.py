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
