"""Roles allow and deny per module and action; the cost flag hides cost fields."""

import pytest
from rest_framework import serializers

from jxc.core.api.fields import CostFieldsMixin
from jxc.core.models import Role
from jxc.core.permissions import BUILTIN_ROLES
from jxc.core.selectors import access_for
from tests.conftest import client_for, make_member
from tests.helpers import RoundTrips, assert_error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "role", ["purchaser", "salesperson", "warehouse_keeper", "viewer", "accountant"]
)
def test_business_roles_cannot_manage_users(org, roles, role):
    client = client_for(make_member(org, f"u-{role}", role), org)
    assert_error(client.get("/api/v1/users/"), 403, "permission_denied")
    response = client.post(
        "/api/v1/users/",
        {"username": "x", "password": "long-password-9", "roles": []},
        format="json",
    )
    assert_error(response, 403, "permission_denied")


def test_manager_views_settings_but_cannot_change_them(org, roles):
    client = client_for(make_member(org, "mgr", "manager"), org)
    assert client.get("/api/v1/users/").status_code == 200
    assert client.get("/api/v1/roles/").status_code == 200
    response = client.post(
        "/api/v1/roles/", {"code": "r", "name": "r", "permissions": []}, format="json"
    )
    assert_error(response, 403)
    assert_error(client.get("/api/v1/users/export/"), 403)


def test_custom_role_grants_exactly_its_permissions(org, roles, admin_user):
    role = Role.objects.create(
        organization=org, code="hr", name="人事", permissions=["settings.view", "settings.create"]
    )
    client = client_for(make_member(org, "hr-user", role), org)
    assert client.get("/api/v1/users/").status_code == 200
    created = client.post(
        "/api/v1/users/",
        {"username": "hire", "password": "long-password-9", "roles": []},
        format="json",
    )
    assert created.status_code == 201, created.content
    user_id = created.json()["id"]
    assert_error(
        client.patch(f"/api/v1/users/{user_id}/", {"display_name": "x"}, format="json"), 403
    )
    assert_error(client.get("/api/v1/users/export/"), 403)


def test_permissions_are_those_of_the_active_organization(org, other_org, roles):
    user = make_member(org, "dual", "admin")
    make_member(other_org, "dual", "viewer")
    assert client_for(user, org).get("/api/v1/users/").status_code == 200
    assert_error(client_for(user, other_org).get("/api/v1/users/"), 403)


def test_me_lists_permissions_and_only_the_modules_the_user_may_view(org, roles):
    me = client_for(make_member(org, "v", "viewer"), org).get("/api/v1/me/").json()
    assert "purchasing.view" in me["permissions"]
    assert "purchasing.create" not in me["permissions"]
    # settings exists but viewers may not see it; workflow (the approvals inbox, notifications,
    # alerts) is every member's
    assert [m["code"] for m in me["modules"]] == [
        "purchasing",
        "sales",
        "inventory",
        "finance",
        "masterdata",
        "workflow",
    ]
    admin_me = client_for(make_member(org, "a", "admin"), org).get("/api/v1/me/").json()
    assert [m["code"] for m in admin_me["modules"]] == [
        "purchasing",
        "sales",
        "inventory",
        "finance",
        "masterdata",
        "workflow",
        "settings",
    ]


def test_builtin_roles_cannot_be_edited_or_deleted(api, roles):
    viewer = roles["viewer"]
    assert_error(api.patch(f"/api/v1/roles/{viewer.pk}/", {"name": "x"}, format="json"), 400)
    assert_error(api.delete(f"/api/v1/roles/{viewer.pk}/"), 400)
    viewer.refresh_from_db()
    assert viewer.permissions == sorted(BUILTIN_ROLES["viewer"][1])


def test_unknown_permission_codes_are_refused(api):
    response = api.post(
        "/api/v1/roles/",
        {"code": "bad", "name": "坏", "permissions": ["settings.view", "root.all"]},
        format="json",
    )
    assert_error(response, 400, field="permissions.1")
    assert not Role.objects.filter(code="bad").exists()


class _PriceSerializer(CostFieldsMixin, serializers.Serializer):
    """The shape future product/order serializers use to hide costs."""

    price = serializers.DecimalField(max_digits=12, decimal_places=2)
    cost = serializers.DecimalField(max_digits=12, decimal_places=2)
    margin = serializers.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        cost_fields = ("cost", "margin")


@pytest.mark.parametrize(
    ("role", "sees_costs"),
    [
        ("admin", True),
        ("manager", True),
        ("purchaser", True),
        ("accountant", True),
        ("salesperson", False),
        ("warehouse_keeper", False),
        ("viewer", False),
    ],
)
def test_cost_flag_hides_cost_fields(org, roles, role, sees_costs):
    user = make_member(org, f"c-{role}", role)
    access = access_for(user, org)
    row = {"price": "10.00", "cost": "6.00", "margin": "4.00"}
    data = _PriceSerializer(row, context={"access": access}).data
    assert ("cost" in data and "margin" in data) is sees_costs
    assert data["price"] == "10.00"
    me = client_for(user, org).get("/api/v1/me/").json()
    assert me["can_see_costs"] is sees_costs


def test_a_custom_role_with_the_cost_flag_reveals_costs(org, roles):
    role = Role.objects.create(
        organization=org, code="costs", name="成本", permissions=["sales.view"], can_see_costs=True
    )
    user = make_member(org, "mixed", "salesperson", role)
    assert access_for(user, org).can_see_costs


def test_anonymous_requests_are_refused_with_the_error_body(db):
    from rest_framework.test import APIClient

    assert_error(APIClient().get("/api/v1/users/"), 401, "not_authenticated")
    assert_error(APIClient().get("/api/v1/me/"), 401, "not_authenticated")


def test_a_request_reads_its_access_in_one_query_after_session_and_user(org, roles, monkeypatch):
    """Session, user, then the organization with the membership and its roles (one query, the
    roles joined): three statements before the view's own read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_member(org, "two-roles", "viewer", "salesperson")
    client = client_for(user, org)
    from jxc.masterdata.models import Unit

    unit = Unit.objects.filter(organization=org).first()
    count = RoundTrips(monkeypatch)
    with count() as step, CaptureQueriesContext(connection) as counted:
        read = client.get(f"/api/v1/units/{unit.pk}/")
    assert read.status_code == 200
    reads = [q["sql"] for q in counted.captured_queries if "FROM" in q["sql"]]
    if connection.vendor == "postgresql":  # the access read is prepared, past Django's cursor
        assert step.trips <= 4, (step.trips, reads)  # session, user, access; the unit
    else:
        assert len(reads) <= 4, reads  # session, user, access; the unit
        assert len([q for q in reads if "core_role" in q]) == 1, reads
    me = client.get("/api/v1/me/").json()  # both roles' permissions, read in that one query
    assert {"sales.create", "purchasing.view", "inventory.view"} <= set(me["permissions"])
    assert "purchasing.create" not in me["permissions"]


def test_a_role_changed_counts_at_the_next_request(org, roles):
    """Nothing of the access is kept between requests: a role taken away, a role's permission
    removed, a membership ended or an organization deactivated count at once."""
    from jxc.core.models import Membership

    role = Role.objects.create(organization=org, code="hr", name="人事",
                               permissions=["settings.view"])  # fmt: skip
    user = make_member(org, "changing", role, "viewer")
    client = client_for(user, org)
    assert client.get("/api/v1/users/").status_code == 200
    role.permissions = []
    role.save()
    assert_error(client.get("/api/v1/users/"), 403)
    role.permissions = ["settings.view"]
    role.save()
    assert client.get("/api/v1/users/").status_code == 200
    Membership.objects.get(user=user, organization=org).roles.remove(role)
    assert_error(client.get("/api/v1/users/"), 403)
    assert client.get("/api/v1/units/").status_code == 200  # still a viewer
    Membership.objects.filter(user=user, organization=org).delete()
    assert_error(client.get("/api/v1/units/"), 403)


def test_a_member_without_roles_or_of_an_inactive_organization(org, other_org, roles):
    """A member without any role is a member who may do nothing; an inactive organization, or
    an organization id beyond any key, is not one the user may act in."""
    user = make_member(org, "bare")
    me = client_for(user, org).get("/api/v1/me/")
    assert me.status_code == 200, me.content
    assert me.json()["permissions"] == []
    admin = make_member(other_org, "both", "admin")
    make_member(org, "both", "viewer")
    other_org.is_active = False
    other_org.save()
    assert_error(client_for(admin, other_org).get("/api/v1/units/"), 403)
    huge = client_for(admin)
    huge.credentials(HTTP_X_ORGANIZATION=str(2**70))
    assert_error(huge.get("/api/v1/units/"), 403)
    superuser = make_member(org, "root", is_superuser=True)
    assert (
        "settings.configure" in client_for(superuser, org).get("/api/v1/me/").json()["permissions"]
    )
