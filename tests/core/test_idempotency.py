"""Idempotency-Key: the same key and body replay the first response without writing again."""

import pytest

from jxc.core.models import ApiToken, Role
from jxc.core.services.tokens import create_api_token
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

ROLE = {"code": "qa", "name": "质检", "permissions": ["inventory.view"]}


def test_same_key_same_body_writes_once_and_replays_the_response(api):
    first = api.post("/api/v1/roles/", ROLE, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = api.post("/api/v1/roles/", ROLE, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Role.objects.filter(code="qa").count() == 1


def test_same_key_different_body_is_a_conflict(api):
    assert (
        api.post("/api/v1/roles/", ROLE, format="json", HTTP_IDEMPOTENCY_KEY="k-2").status_code
        == 201
    )
    other = {**ROLE, "code": "qa2"}
    response = api.post("/api/v1/roles/", other, format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert_error(response, 409, "idempotency_conflict")
    assert not Role.objects.filter(code="qa2").exists()


def test_different_keys_write_separately(api):
    api.post("/api/v1/roles/", ROLE, format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    response = api.post("/api/v1/roles/", ROLE, format="json", HTTP_IDEMPOTENCY_KEY="k-4")
    assert_error(response, 400, field="code")  # the second really ran, and found the duplicate


def test_keys_are_scoped_to_the_caller(api, other_api):
    api.post("/api/v1/roles/", ROLE, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    response = other_api.post("/api/v1/roles/", ROLE, format="json", HTTP_IDEMPOTENCY_KEY="shared")
    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Role.objects.filter(code="qa").count() == 2


def test_token_clients_get_the_first_response_with_the_plaintext_key_once(db, admin_user, org):
    from rest_framework.test import APIClient

    _token, key = create_api_token(organization=org, user=admin_user, name="script")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = {"name": "nightly sync"}
    first = client.post("/api/v1/api-tokens/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    again = client.post("/api/v1/api-tokens/", body, format="json", HTTP_IDEMPOTENCY_KEY="t-1")
    assert first.status_code == 201
    assert again.json() == first.json()
    assert ApiToken.objects.filter(name="nightly sync").count() == 1


def test_an_overlong_key_is_refused(api):
    response = api.post("/api/v1/roles/", ROLE, format="json", HTTP_IDEMPOTENCY_KEY="k" * 200)
    assert_error(response, 400, field="Idempotency-Key")
    assert not Role.objects.filter(code="qa").exists()
