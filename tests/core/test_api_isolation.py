"""A user never reads or writes another organization's rows, whatever id they send."""

import pytest

from jxc.core.models import AuditLog, NumberSeries, Organization, Role
from jxc.core.services.tokens import create_api_token
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden

pytestmark = pytest.mark.django_db


def test_users_of_another_organization_are_hidden(api, other_org):
    stranger = make_member(other_org, "stranger", "viewer")
    assert_other_organization_hidden(
        api, "/api/v1/users/", stranger, update={"display_name": "hacked", "is_active": False}
    )
    assert stranger.memberships.filter(organization=other_org).exists()


def test_custom_roles_of_another_organization_are_hidden(api, other_org):
    role = Role.objects.create(
        organization=other_org, code="ops", name="运营", permissions=["sales.view"]
    )
    assert_other_organization_hidden(
        api, "/api/v1/roles/", role, update={"name": "hacked", "permissions": []}
    )


def test_organizations_the_user_is_not_a_member_of_are_hidden(api, other_org):
    assert_other_organization_hidden(
        api, "/api/v1/organizations/", other_org, update={"name": "hacked"}
    )


def test_api_tokens_of_another_organization_are_hidden(api, other_org, other_admin):
    token, _key = create_api_token(organization=other_org, user=other_admin, name="erp")
    assert_other_organization_hidden(api, "/api/v1/api-tokens/", token, update={"name": "x"})
    assert_error(api.post(f"/api/v1/api-tokens/{token.pk}/revoke/"), 404)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_number_series_of_another_organization_are_hidden(api, other_org):
    series = NumberSeries.objects.create(
        organization=other_org, doc_type="sales_order", pattern="XS{seq:5}"
    )
    assert_other_organization_hidden(
        api, "/api/v1/number-series/", series, update={"pattern": "HACK{seq}"}
    )


def test_audit_entries_of_another_organization_are_hidden(api, other_api, other_org):
    other_api.patch(
        f"/api/v1/organizations/{other_org.pk}/", {"name": "乙公司（新）"}, format="json"
    )
    entry = AuditLog.objects.filter(organization=other_org).latest("id")
    assert_other_organization_hidden(api, "/api/v1/audit-log/", entry)


def test_another_organizations_role_id_in_a_payload_is_unknown(api, other_org):
    foreign = Role.objects.create(organization=other_org, code="ops", name="运营")
    response = api.post(
        "/api/v1/users/",
        {
            "username": "newbie",
            "password": "a-long-password-1",
            "roles": [foreign.pk],
        },
        format="json",
    )
    assert_error(response, 400, "validation_error", field="roles")
    assert not Organization.objects.filter(memberships__user__username="newbie").exists()


def test_acting_in_an_organization_one_is_not_a_member_of_is_refused(admin_user, other_org):
    client = client_for(admin_user)
    response = client.get("/api/v1/users/", HTTP_X_ORGANIZATION=str(other_org.pk))
    assert_error(response, 403, "permission_denied")


def test_branch_parent_must_be_one_of_the_users_organizations(api, other_org):
    response = api.post(
        "/api/v1/organizations/",
        {"code": "SNEAK", "name": "分公司", "parent": other_org.pk},
        format="json",
    )
    assert_error(response, 400, field="parent")
    assert not Organization.objects.filter(code="SNEAK").exists()


# Every organization-scoped endpoint must have an isolation test above: adding an endpoint to the
# router without adding it here fails this test.
ISOLATION_TESTED = {
    "organization",
    "member",
    "user",
    "role",
    "api-token",
    "number-series",
    "audit-log",
    # master data: tests/masterdata/test_isolation.py
    "unit",
    "category",
    "tax-rate",
    "currency",
    "exchange-rate",
    "custom-field",
    "product",
    "partner",
    "warehouse",
    "location",
    "price-list",
    "import",
    # inventory: tests/inventory/test_api.py
    "stock-document",
    "stock-count",
    "stock",
    "stock-move",
    "lot",
    "reservation",
    "stock-freeze",
    "stock-ledger",
    "stock-summary",
    # tests/inventory/test_api_valuation.py
    "cost-adjustment",
    "stock-period",
    "revaluation",
    # tests/inventory/test_api_alerts.py
    "low-stock",
    "expiring-stock",
    # finance: tests/finance/test_api.py
    "account",
    "account-role",
    "posting-rule",
    "voucher",
    "accounting-period",
    "open-item",
    "allocation",
    "payment",
    "journal",
    "voucher-template",
    # workflow: tests/workflow/test_api.py
    "approval-rule",
    "approval-request",
    # tests/workflow/test_api_notifications.py, test_api_webhooks.py, test_api_alerts.py
    "notification",
    "notification-preference",
    "webhook",
    "webhook-delivery",
    "alert",
    "alert-kind",
    "warehouse-account",
    # purchasing: tests/purchasing/test_api.py
    "purchase-order",
    "purchase-request",
    "rfq",
    "goods-receipt",
    "supplier-invoice",
    "purchase-return",
    "receipt-tolerance",
    # tests/purchasing/test_api_landed_costs.py
    "landed-cost",
    # tests/purchasing/test_api_invoice_tolerances.py
    "invoice-tolerance",
    # tests/purchasing/test_api_payment_requests.py
    "payment-request",
    # supplier-invoices/<id>/reverse/ (an action of "supplier-invoice"): another organization's
    # invoice is not found, tests/purchasing/test_api_invoice_reversals.py
    # sales: tests/sales/test_api.py
    "sales-order",
    "delivery",
    "customer-invoice",
    "sales-return",
    "sales-policy-override",
    # tests/sales/test_api_quotations.py
    "sales-quotation",
    # tests/sales/test_api_channels.py
    "sales-channel",
    "sales-channel-quota",
    # tests/purchasing/test_api_suggestions.py
    "reorder-rule",
    "purchase-suggestion",
    # reports (no rows of their own to open): tests/sales/test_api_reports.py and
    # tests/purchasing/test_api_reports.py show another organization none of their figures
    "sales-summary",
    "sales-detail",
    "sales-gross-profit",
    "sales-order-execution",
    "sales-backorders",
    "sales-credit-usage",
    "purchase-summary",
    "purchase-detail",
    "purchase-order-execution",
    "purchase-open-orders",
    "supplier-performance",
    "purchase-price-trend",
}


def test_every_registered_endpoint_has_an_isolation_test():
    from jxc.api.urls import router

    registered = {basename for _prefix, _viewset, basename in router.registry}
    assert registered == ISOLATION_TESTED, registered ^ ISOLATION_TESTED


def test_members_lists_only_this_organizations_active_members(org, other_org, roles):
    from tests.conftest import client_for

    viewer = make_member(org, "vera", "viewer")
    make_member(other_org, "stranger", "viewer")
    names = [
        m["username"]
        for m in client_for(viewer, org)
        .get("/api/v1/members/", {"page_size": 100})
        .json()["results"]
    ]
    assert names == ["vera"]
