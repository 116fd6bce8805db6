"""Bad input never gives a 500: it gets the documented error body and changes nothing."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jxc.core.models import AuditLog, Role, User
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

WRITE_ENDPOINTS = [
    "/api/v1/users/",
    "/api/v1/roles/",
    "/api/v1/organizations/",
    "/api/v1/api-tokens/",
    "/api/v1/number-series/",
    "/api/v1/auth/login/",
    "/api/v1/me/switch-organization/",
]


@pytest.mark.parametrize("url", WRITE_ENDPOINTS)
def test_malformed_json_is_a_parse_error(api, url):
    response = api.post(url, "{not json", content_type="application/json")
    assert_error(response, 400, "parse_error")


@pytest.mark.parametrize("url", WRITE_ENDPOINTS)
def test_a_json_array_instead_of_an_object_is_refused(api, url):
    response = api.post(url, "[1, 2]", content_type="application/json")
    assert_error(response, 400)


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("/api/v1/users/", {"username": ["x"], "password": 5, "roles": "admin"}, "username"),
        (
            "/api/v1/users/",
            {"username": "ok", "password": "long-enough-pw-1", "roles": ["x"]},
            "roles",
        ),
        (
            "/api/v1/users/",
            {"username": "ok", "password": "long-enough-pw-1", "roles": [10**30]},
            "roles",
        ),
        (
            "/api/v1/users/",
            {"username": "ok", "password": "long-enough-pw-1", "roles": [999999]},
            "roles",
        ),
        (
            "/api/v1/users/",
            {"username": "u" * 10_000, "password": "long-enough-pw-1", "roles": []},
            "username",
        ),
        (
            "/api/v1/roles/",
            {"code": "r", "name": "r", "permissions": "settings.view"},
            "permissions",
        ),
        ("/api/v1/roles/", {"code": "r", "name": "r" * 500, "permissions": []}, "name"),
        (
            "/api/v1/roles/",
            {"code": "r", "name": "r", "permissions": [], "can_see_costs": "maybe"},
            "can_see_costs",
        ),
        ("/api/v1/organizations/", {"code": "B", "name": "b", "parent": True}, "parent"),
        ("/api/v1/api-tokens/", {"name": "t", "expires_at": "tomorrow"}, "expires_at"),
        ("/api/v1/api-tokens/", {"name": "t", "expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ("/api/v1/number-series/", {"doc_type": 7, "pattern": "A{seq}"}, "doc_type"),
        ("/api/v1/me/switch-organization/", {"organization": 10**40}, "organization"),
        ("/api/v1/me/switch-organization/", {"organization": "first"}, "organization"),
    ],
)
def test_wrong_types_unknown_ids_and_oversized_values_name_the_field(api, url, payload, field):
    users, roles, audit = User.objects.count(), Role.objects.count(), AuditLog.objects.count()
    response = api.post(url, payload, format="json")
    assert_error(response, 400, "validation_error", field=field)
    assert (User.objects.count(), Role.objects.count(), AuditLog.objects.count()) == (
        users,
        roles,
        audit,
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/users/999999/",
        "/api/v1/roles/abc/",
        "/api/v1/organizations/99999999999999999999999/",
        "/api/v1/audit-log/-1/",
        "/api/v1/no-such-thing/",
    ],
)
def test_unknown_ids_and_paths_are_404_with_the_error_body(api, url):
    assert_error(api.get(url), 404, "not_found")


@pytest.mark.parametrize(
    "query",
    [
        {"page": "x"},
        {"page": 10**9},
        {"page_size": -5},
        {"ordering": "password"},
        {"is_active": "perhaps"},
        {"role": "x"},
    ],
)
def test_bad_list_parameters_never_fail_the_server(api, query):
    response = api.get("/api/v1/users/", query)
    assert response.status_code in (200, 400, 404), response.content[:300]
    if response.status_code != 200:
        assert_error(response, response.status_code)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False)
    | st.text(max_size=300),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
ROLE_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "code": json_values,
        "name": json_values,
        "permissions": json_values,
        "can_see_costs": json_values,
        "description": json_values,
    },
)
USER_FIELDS = st.fixed_dictionaries(
    {},
    optional={
        "username": json_values,
        "password": json_values,
        "roles": json_values,
        "email": json_values,
        "is_active": json_values,
        "display_name": json_values,
    },
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    url_and_payload=st.one_of(
        st.tuples(st.just("/api/v1/roles/"), ROLE_FIELDS),
        st.tuples(st.just("/api/v1/users/"), USER_FIELDS),
        st.tuples(
            st.just("/api/v1/number-series/"),
            st.dictionaries(st.sampled_from(["doc_type", "pattern", "is_active"]), json_values),
        ),
    )
)
def test_arbitrary_json_never_causes_a_server_error(api, url_and_payload):
    url, payload = url_and_payload
    response = api.post(url, json.dumps(payload), content_type="application/json")
    assert response.status_code in (201, 400), (payload, response.content[:300])
    if response.status_code == 400:
        assert_error(response, 400)
