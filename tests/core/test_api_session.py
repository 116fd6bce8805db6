"""Logging in and out, the active organization, language, CSRF and API tokens."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from jxc.core.models import ApiToken
from jxc.core.services.tokens import create_api_token
from tests.conftest import PASSWORD, client_for, make_member
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


def test_login_returns_me_and_logout_ends_the_session(admin_user, org):
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/auth/login/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["organization"]["code"] == "ACME"
    assert client.get("/api/v1/me/").status_code == 200
    csrf = client.get("/api/v1/auth/csrf/").json()["csrf_token"]
    assert client.post("/api/v1/auth/logout/", HTTP_X_CSRFTOKEN=csrf).status_code == 204
    assert_error(client.get("/api/v1/me/"), 401)


def test_wrong_password_is_a_translated_field_error(admin_user):
    zh = APIClient(HTTP_ACCEPT_LANGUAGE="zh-hans").post(
        "/api/v1/auth/login/", {"username": "alice", "password": "nope"}, format="json"
    )
    en = APIClient(HTTP_ACCEPT_LANGUAGE="en").post(
        "/api/v1/auth/login/", {"username": "alice", "password": "nope"}, format="json"
    )
    assert assert_error(en, 400, field="password")["message"] == "Wrong username or password."
    assert assert_error(zh, 400, field="password")["message"] == "用户名或密码错误。"


def test_session_writes_need_the_csrf_token(admin_user, org):
    client = APIClient(enforce_csrf_checks=True)
    client.post("/api/v1/auth/login/", {"username": "alice", "password": PASSWORD}, format="json")
    response = client.post(
        "/api/v1/roles/", {"code": "a", "name": "a", "permissions": []}, format="json"
    )
    assert_error(response, 403, "permission_denied")
    csrf = client.get("/api/v1/auth/csrf/").json()["csrf_token"]
    response = client.post(
        "/api/v1/roles/",
        {"code": "a", "name": "a", "permissions": []},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
    )
    assert response.status_code == 201


def test_switching_organization_is_remembered_in_the_session(org, other_org, roles):
    user = make_member(org, "dual", "admin")
    make_member(other_org, "dual", "viewer")
    client = client_for(user)  # no header: the session decides
    assert client.get("/api/v1/me/").json()["organization"]["id"] == org.pk
    switched = client.post(
        "/api/v1/me/switch-organization/", {"organization": other_org.pk}, format="json"
    )
    assert switched.json()["organization"]["id"] == other_org.pk
    assert client.get("/api/v1/me/").json()["permissions"] == sorted(roles["viewer"].permissions)


def test_switching_to_a_foreign_organization_is_refused(api, other_org):
    response = api.post(
        "/api/v1/me/switch-organization/", {"organization": other_org.pk}, format="json"
    )
    assert_error(response, 400, field="organization")


def test_language_preference_is_kept_per_user(api, admin_user):
    assert api.patch("/api/v1/me/", {"language": "en"}, format="json").json()["language"] == "en"
    admin_user.refresh_from_db()
    assert admin_user.language == "en"
    assert_error(api.patch("/api/v1/me/", {"language": "fr"}, format="json"), 400, field="language")


def test_change_password_checks_the_old_one(api, admin_user):
    response = api.post(
        "/api/v1/me/change-password/",
        {"old_password": "wrong", "new_password": "brand-new-secret-1"},
        format="json",
    )
    assert_error(response, 400, field="old_password")
    response = api.post(
        "/api/v1/me/change-password/",
        {"old_password": PASSWORD, "new_password": "brand-new-secret-1"},
        format="json",
    )
    assert response.status_code == 204
    admin_user.refresh_from_db()
    assert admin_user.check_password("brand-new-secret-1")


def test_token_is_shown_once_and_authenticates_in_its_organization(api, org):
    created = api.post("/api/v1/api-tokens/", {"name": "ERP sync"}, format="json")
    assert created.status_code == 201
    key = created.json()["token"]
    assert "token" not in api.get(f"/api/v1/api-tokens/{created.json()['id']}/").json()
    assert not ApiToken.objects.filter(key_hash=key).exists()  # only the hash is stored
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/me/").json()["organization"]["id"] == org.pk
    assert client.get("/api/v1/users/").status_code == 200


def test_revoked_and_expired_tokens_are_refused(api, admin_user, org):
    token, key = create_api_token(organization=org, user=admin_user, name="old")
    api.post(f"/api/v1/api-tokens/{token.pk}/revoke/")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert_error(client.get("/api/v1/me/"), 401, "authentication_failed")
    token2, key2 = create_api_token(
        organization=org,
        user=admin_user,
        name="short",
        expires_at=timezone.now() + datetime.timedelta(seconds=30),
    )
    ApiToken.objects.filter(pk=token2.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client.credentials(HTTP_AUTHORIZATION=f"Token {key2}")
    assert_error(client.get("/api/v1/me/"), 401)


def test_a_token_cannot_act_in_another_organization(admin_user, org, other_org, roles):
    make_member(other_org, "alice", "admin")
    _token, key = create_api_token(organization=org, user=admin_user, name="scoped")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}", HTTP_X_ORGANIZATION=str(other_org.pk))
    assert_error(client.get("/api/v1/users/"), 403)


def test_users_see_only_their_own_tokens_unless_they_configure_settings(api, org, roles):
    api.post("/api/v1/api-tokens/", {"name": "admin's"}, format="json")
    viewer = client_for(make_member(org, "vera", "viewer"), org)
    viewer.post("/api/v1/api-tokens/", {"name": "vera's"}, format="json")
    assert [t["name"] for t in viewer.get("/api/v1/api-tokens/").json()["results"]] == ["vera's"]
    assert api.get("/api/v1/api-tokens/").json()["count"] == 2


def test_integrations_without_a_language_get_the_users_language(admin_user, org):
    _token, key = create_api_token(organization=org, user=admin_user, name="lang")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    chinese = client.post("/api/v1/roles/", {"code": "x"}, format="json").json()
    assert chinese["fields"]["name"] == ["该字段是必填项。"]
    admin_user.language = "en"
    admin_user.save()
    english = client.post("/api/v1/roles/", {"code": "x"}, format="json").json()
    assert english["fields"]["name"] == ["This field is required."]
