"""The audit trail records who changed what, and shows it to the right people."""

import pytest

from jxc.core.models import AuditLog, Role
from tests.conftest import client_for, make_member
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db


def entries(model, object_id):
    return list(AuditLog.objects.filter(model=model, object_id=str(object_id)).order_by("id"))


def test_create_update_delete_are_recorded_with_user_and_changes(api, admin_user, org):
    created = api.post(
        "/api/v1/roles/",
        {"code": "qa", "name": "质检", "permissions": ["inventory.view"]},
        format="json",
    )
    role_id = created.json()["id"]
    api.patch(f"/api/v1/roles/{role_id}/", {"name": "质量检验"}, format="json")
    api.delete(f"/api/v1/roles/{role_id}/")
    log = entries("core.role", role_id)
    assert [e.action for e in log] == ["create", "update", "delete"]
    assert all(e.user == admin_user and e.organization == org for e in log)
    assert log[0].changes["code"] == [None, "qa"]
    assert log[1].changes == {"name": ["质检", "质量检验"]}
    assert not Role.objects.filter(pk=role_id).exists()


def test_role_assignments_and_password_resets_are_recorded(api, org, roles):
    user = make_member(org, "bob", "viewer")
    api.patch(f"/api/v1/users/{user.pk}/", {"roles": [roles["salesperson"].pk]}, format="json")
    api.post(
        f"/api/v1/users/{user.pk}/set-password/", {"password": "another-long-pw-7"}, format="json"
    )
    log = entries("core.user", user.pk)
    role_change = next(e for e in log if "roles" in e.changes)
    assert role_change.changes["roles"] == [["Viewer"], ["Salesperson"]]
    assert any("password" in e.changes and e.changes["password"] == ["***", "***"] for e in log)
    # no password hash, whichever hasher made it (the tests use a fast one)
    user.refresh_from_db()
    algorithm = user.password.split("$", 1)[0]
    assert algorithm in ("md5", "pbkdf2_sha256")
    logged = [str(e.changes) for e in AuditLog.objects.all()]
    assert all(algorithm not in text and user.password not in text for text in logged)


def test_a_failed_change_leaves_no_audit_entry(api):
    before = AuditLog.objects.count()
    api.post(
        "/api/v1/roles/", {"code": "x", "name": "x", "permissions": ["nope.view"]}, format="json"
    )
    assert AuditLog.objects.count() == before


def test_admins_search_the_trail(api, org):
    api.post("/api/v1/roles/", {"code": "qa", "name": "质检", "permissions": []}, format="json")
    found = api.get("/api/v1/audit-log/", {"search": "质检", "model": "core.role"}).json()
    assert found["count"] == 1
    assert found["results"][0]["action"] == "create"
    assert found["results"][0]["user_name"]


def test_members_see_a_records_history_only_for_modules_they_may_view(api, org, roles):
    viewer = client_for(make_member(org, "vic", "viewer"), org)
    role_id = api.post(
        "/api/v1/roles/", {"code": "qa", "name": "质检", "permissions": []}, format="json"
    ).json()["id"]
    assert_error(viewer.get("/api/v1/audit-log/"), 403)
    # roles live in the settings module, which viewers may not view
    assert_error(
        viewer.get("/api/v1/audit-log/", {"model": "core.role", "object_id": role_id}), 403
    )
    manager = client_for(make_member(org, "meg", "manager"), org)
    history = manager.get("/api/v1/audit-log/", {"model": "core.role", "object_id": role_id})
    assert history.status_code == 200
    assert [row["action"] for row in history.json()["results"]] == ["create"]


def test_entries_carry_translated_field_names(org, admin_user):
    client = client_for(admin_user, org, language="zh-hans")
    role_id = client.post(
        "/api/v1/roles/", {"code": "qa", "name": "质检", "permissions": []}, format="json"
    ).json()["id"]
    client.patch(f"/api/v1/roles/{role_id}/", {"name": "质量"}, format="json")
    entry = client.get("/api/v1/audit-log/", {"model": "core.role", "action": "update"}).json()
    assert entry["results"][0]["field_labels"] == {"name": "名称"}
