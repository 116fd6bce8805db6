"""The dashboard shows the active organization's real figures, and nothing of others'."""

import pytest

from jxc.core.models import Role
from tests.conftest import client_for, make_member

pytestmark = pytest.mark.django_db


def test_figures_come_from_the_database(api, org, roles):
    make_member(org, "bob", "viewer")
    api.post("/api/v1/api-tokens/", {"name": "erp"}, format="json")
    Role.objects.create(organization=org, code="qa", name="质检")
    body = api.get("/api/v1/dashboard/").json()
    assert body["figures"]["users"] == 2
    assert body["figures"]["active_tokens"] == 1
    assert body["figures"]["roles"] == len(roles) + 1
    assert body["figures"]["organizations"] == 1
    assert len(body["activity"]) == 14
    assert body["activity"][-1]["count"] == body["figures"]["audit_events_today"] > 0
    assert body["recent"][0]["model"] == "core.role"


def test_another_organizations_activity_is_not_counted(api, other_api, other_org):
    before = api.get("/api/v1/dashboard/").json()
    for i in range(3):
        other_api.post(
            "/api/v1/roles/", {"code": f"r{i}", "name": "r", "permissions": []}, format="json"
        )
    after = api.get("/api/v1/dashboard/").json()
    assert after["figures"] == before["figures"]
    assert after["recent"] == before["recent"]


def test_every_member_sees_the_dashboard(org, roles):
    viewer = client_for(make_member(org, "vic", "viewer"), org)
    assert viewer.get("/api/v1/dashboard/").status_code == 200
