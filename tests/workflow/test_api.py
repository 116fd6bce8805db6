"""The approvals API: rules (CRUD, document types), the inbox, approve / reject / withdraw,
history; permissions, bad input, Idempotency-Key and organization isolation; the manager of a
member in the users API."""

import pytest

from jxc.core.models import Membership
from jxc.workflow.models import ApprovalRequest, ApprovalRule
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.masterdata.conftest import make_partner
from tests.workflow.conftest import MANAGER, PURCHASE, SALE, level, role, rule, user

pytestmark = pytest.mark.django_db

RULES = "/api/v1/approval-rules/"
REQUESTS = "/api/v1/approval-requests/"


def rule_body(**extra):
    return {
        "name": "采购 > 5万",
        "document_type": PURCHASE,
        "priority": 20,
        "conditions": [{"field": "amount", "operator": "gt", "value": "50000"}],
        "levels": [
            {"name": "直属上级", "mode": "any", "approvers": [{"type": "manager"}]},
            {"name": "财务", "mode": "any", "approvers": [{"type": "role", "id": None}]},
        ],
        **extra,
    }


@pytest.fixture
def body(roles):
    data = rule_body()
    data["levels"][1]["approvers"][0]["id"] = roles["accountant"].pk
    return data


def test_an_administrator_configures_rules_without_code(api, body, people, tray):
    created = api.post(RULES, body, format="json")
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["document_type_label"] == "Test purchase order"
    assert data["levels"][0]["approvers"] == [
        {"type": "manager", "name": "The submitter's manager"}
    ]
    assert data["levels"][1]["approvers"][0]["name"] == "Accountant"
    assert data["allow_self_approval"] is False
    changed = api.patch(f"{RULES}{data['id']}/", {"allow_self_approval": True, "priority": 5},
                        format="json")  # fmt: skip
    assert changed.status_code == 200, changed.content
    assert (changed.json()["priority"], changed.json()["allow_self_approval"]) == (5, True)
    listed = api.get(RULES, {"document_type": PURCHASE}).json()
    assert [r["name"] for r in listed["results"]] == ["采购 > 5万"]
    assert api.delete(f"{RULES}{data['id']}/").status_code == 204
    assert not ApprovalRule.objects.exists()


def test_the_document_types_list_the_condition_fields_they_offer(api, tray):
    types = {t["code"]: t for t in api.get(f"{RULES}document-types/").json()}
    assert {PURCHASE, SALE} <= set(types)
    purchase = {f["code"]: f for f in types[PURCHASE]["fields"]}
    assert set(purchase) == {"amount", "currency", "partner", "warehouse", "category"}
    assert purchase["amount"]["operators"] == ["gte", "gt", "lte", "lt", "between"]
    assert purchase["partner"]["kind"] == "record"
    sale = {f["code"] for f in types[SALE]["fields"]}
    assert {"discount_rate", "below_price_floor", "credit_limit_exceeded"} <= sale


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"conditions": [{"field": "colour", "operator": "in", "value": ["red"]}]},
         "conditions.0.field"),
        ({"conditions": [{"field": "amount", "operator": "like", "value": "1"}]},
         "conditions.0.operator"),
        ({"conditions": [{"field": "amount", "operator": "gt", "value": {"a": 1}}]},
         "conditions.0.value"),
        ({"conditions": [{"field": "partner", "operator": "in", "value": [999999]}]},
         "conditions.0.value"),
        ({"conditions": "amount > 50000"}, "conditions"),
        ({"levels": [{"mode": "any", "approvers": [{"type": "manager"}]},
                     {"mode": "all", "approvers": []}]}, "levels.1.approvers"),
        ({"levels": [{"mode": "any", "approvers": [{"type": "role", "id": 999999}]}]},
         "levels.0.approvers.0.id"),
        ({"levels": [{"mode": "any", "approvers": [{"type": "user", "id": "abc"}]}]},
         "levels.0.approvers.0.id"),
        ({"levels": [{"mode": "some", "approvers": [{"type": "manager"}]}]}, "levels.0.mode"),
        ({"levels": []}, "levels"),
        ({"document_type": "spaceship"}, "document_type"),
        ({"name": ""}, "name"),
        ({"priority": -1}, "priority"),
        ({"priority": "first"}, "priority"),
    ],
)  # fmt: skip
def test_a_bad_rule_is_refused_naming_the_field_and_nothing_is_stored(
    api, body, people, tray, change, field
):
    assert_error(api.post(RULES, {**body, **change}, format="json"), 400, field=field)
    assert not ApprovalRule.objects.exists()


def test_a_bad_change_to_a_rule_leaves_it_unchanged(api, body, people, tray):
    created = api.post(RULES, body, format="json").json()
    response = api.patch(f"{RULES}{created['id']}/", {"levels": [{"approvers": []}]}, format="json")
    assert_error(response, 400, field="levels.0.approvers")
    assert len(ApprovalRule.objects.get().levels) == 2


def test_only_those_who_configure_workflow_may_change_rules(org, body, people, tray):
    manager = client_for(people.mary, org)
    assert manager.get(RULES).status_code == 200
    assert_error(manager.post(RULES, body, format="json"), 403, "permission_denied")
    assert_error(client_for(people.sam, org).get(RULES), 403, "permission_denied")
    assert not ApprovalRule.objects.exists()


def test_creating_a_rule_twice_with_one_idempotency_key_stores_one(api, body, people, tray):
    first = api.post(RULES, body, format="json", HTTP_IDEMPOTENCY_KEY="rule-1")
    again = api.post(RULES, body, format="json", HTTP_IDEMPOTENCY_KEY="rule-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert ApprovalRule.objects.count() == 1


# --- requests ------------------------------------------------------------------------------


@pytest.fixture
def submitted(org, people, tray, purchase_rules):
    """A ¥90,000 purchase order Peter submitted: his manager Mary, then finance."""
    ref = tray.new(amount="90000", summary="钢材 3 吨", currency="CNY")
    return ref, tray.submit(org, ref, people.peter).request


def test_the_inbox_shows_what_the_approver_may_decide_now(org, people, submitted):
    _ref, request = submitted
    mary = client_for(people.mary, org)
    rows = mary.get(f"{REQUESTS}inbox/").json()["results"]
    assert len(rows) == 1
    row = rows[0]
    assert row["id"] == request.pk
    assert (row["document_type"], row["document_number"], row["summary"]) == (
        PURCHASE, "T-0001", "钢材 3 吨")  # fmt: skip
    assert (row["base_amount"], row["currency"]) == ("90000.00", "CNY")
    assert (row["submitted_by_name"], row["level_name"], row["current_level"]) == (
        "Peter", "直属上级", 0)  # fmt: skip
    assert row["waiting_since"]
    assert row["can_decide"]
    assert not row["can_withdraw"]
    assert client_for(people.fiona, org).get(f"{REQUESTS}inbox/").json()["results"] == []


def test_approvers_approve_level_by_level_through_the_api(org, people, tray, submitted):
    ref, request = submitted
    approved = client_for(people.mary, org).post(
        f"{REQUESTS}{request.pk}/approve/", {"comment": "同意", "level": 0}, format="json"
    )
    assert approved.status_code == 200, approved.content
    assert (approved.json()["current_level"], approved.json()["state"]) == (1, "pending")
    fiona = client_for(people.fiona, org)
    assert [r["id"] for r in fiona.get(f"{REQUESTS}inbox/").json()["results"]] == [request.pk]
    final = fiona.post(f"{REQUESTS}{request.pk}/approve/", {}, format="json")
    assert final.status_code == 200, final.content
    assert final.json()["state"] == "approved"
    assert [s["decision"] for s in final.json()["steps"]] == ["approved", "approved", "skipped"]
    assert tray.paper(ref).state == "approved"


def test_the_same_approval_sent_twice_is_refused_or_replayed_never_applied_twice(
    org, people, tray, submitted
):
    ref, request = submitted
    mary = client_for(people.mary, org)
    url = f"{REQUESTS}{request.pk}/approve/"
    first = mary.post(url, {"level": 0}, format="json", HTTP_IDEMPOTENCY_KEY="click-1")
    retry = mary.post(url, {"level": 0}, format="json", HTTP_IDEMPOTENCY_KEY="click-1")
    assert first.status_code == retry.status_code == 200
    assert retry["Idempotent-Replayed"] == "true"
    assert retry.json() == first.json()
    double = mary.post(url, {"level": 0}, format="json", HTTP_IDEMPOTENCY_KEY="click-2")
    assert_error(double, 400, "already_decided")
    fiona = client_for(people.fiona, org)
    assert fiona.post(url, {}, format="json").status_code == 200
    assert_error(client_for(people.frank, org).post(url, {}, format="json"), 400, "already_decided")
    assert tray.paper(ref).approvals == 1


def test_someone_not_entitled_gets_a_clear_refusal(org, people, submitted):
    _ref, request = submitted
    url = f"{REQUESTS}{request.pk}/approve/"
    body = assert_error(client_for(people.sam, org).post(url, {}, format="json"), 403,
                        "not_an_approver")  # fmt: skip
    assert "not an approver" in body["message"]
    body = assert_error(client_for(people.peter, org).post(url, {}, format="json"), 403,
                        "own_document")  # fmt: skip
    assert "own document" in body["message"]
    chinese = client_for(people.sam, org, language="zh-hans").post(url, {}, format="json")
    assert assert_error(chinese, 403)["message"] == "您不是该审批单当前级别的审批人。"
    request.refresh_from_db()
    assert request.state == "pending"


def test_rejecting_needs_a_reason_and_returns_the_document_to_draft(org, people, tray, submitted):
    ref, request = submitted
    mary = client_for(people.mary, org)
    url = f"{REQUESTS}{request.pk}/reject/"
    assert_error(mary.post(url, {"comment": ""}, format="json"), 400, field="comment")
    assert_error(mary.post(url, {"comment": "x" * 501}, format="json"), 400, field="comment")
    assert_error(mary.post(url, {"level": "one"}, format="json"), 400, field="level")
    rejected = mary.post(url, {"comment": "供应商不在合格名录"}, format="json")
    assert rejected.status_code == 200, rejected.content
    assert (rejected.json()["state"], rejected.json()["reason"]) == (
        "rejected",
        "供应商不在合格名录",
    )
    assert tray.paper(ref).state == "draft"


def test_the_submitter_withdraws_through_the_api(org, people, tray, submitted):
    ref, request = submitted
    url = f"{REQUESTS}{request.pk}/withdraw/"
    assert_error(client_for(people.mary, org).post(url, {}, format="json"), 403, "not_submitter")
    peter = client_for(people.peter, org)
    assert peter.get(f"{REQUESTS}{request.pk}/").json()["can_withdraw"] is True
    withdrawn = peter.post(url, {"comment": "改数量"}, format="json")
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["state"] == "withdrawn"
    assert tray.paper(ref).state == "draft"
    assert_error(peter.post(url, {}, format="json"), 400, "already_decided")


def test_the_history_of_a_document_lists_every_submission(org, people, tray, submitted):
    ref, request = submitted
    peter = client_for(people.peter, org)
    peter.post(f"{REQUESTS}{request.pk}/withdraw/", {}, format="json")
    second = tray.submit(org, ref, people.peter).request
    params = {"document_type": ref.type, "document_id": ref.id}
    history = peter.get(f"{REQUESTS}history/", params)
    assert history.status_code == 200, history.content
    assert [(r["id"], r["state"]) for r in history.json()] == [
        (request.pk, "withdrawn"), (second.pk, "pending")]  # fmt: skip
    assert history.json()[0]["steps"][0]["approver_name"] == "Mary"
    # a salesperson may not read purchase documents, so not their approvals either
    assert_error(client_for(people.sam, org).get(f"{REQUESTS}history/", params), 403)
    assert_error(peter.get(f"{REQUESTS}history/", {**params, "document_type": "x"}), 400,
                 field="document_type")  # fmt: skip
    assert_error(peter.get(f"{REQUESTS}history/", {**params, "document_id": "x"}), 400,
                 field="document_id")  # fmt: skip


def test_members_see_the_requests_they_submitted_or_approve_and_admins_all(
    org, api, people, submitted
):
    _ref, request = submitted

    def ids(client):
        return [r["id"] for r in client.get(REQUESTS).json()["results"]]

    assert ids(client_for(people.peter, org)) == [request.pk]
    assert ids(client_for(people.fiona, org)) == [request.pk]  # a later level's approver
    assert ids(client_for(people.sam, org)) == []
    assert_error(client_for(people.sam, org).get(f"{REQUESTS}{request.pk}/"), 404)
    assert ids(api) == [request.pk]
    assert ids(client_for(people.mary, org)) == [request.pk]
    assert api.get(f"{REQUESTS}export/").status_code == 200


# --- organization isolation ------------------------------------------------------------------


def test_another_organizations_rules_and_requests_are_hidden(api, other_org, roles, tray):
    outsider = make_member(other_org, "otto", "purchaser", roles_by_code=roles)
    boss = make_member(other_org, "olga", "manager", roles_by_code=roles)
    foreign_rule = rule(other_org, "外部规则", [level(user(boss))])
    assert_other_organization_hidden(api, RULES, foreign_rule, update={"name": "hacked"})
    ref = tray.new(amount="10")
    request = tray.submit(other_org, ref, outsider).request
    assert_other_organization_hidden(api, REQUESTS, request)
    for verb in ("approve", "reject", "withdraw"):
        response = api.post(f"{REQUESTS}{request.pk}/{verb}/", {"comment": "x"}, format="json")
        assert_error(response, 404, "not_found")
    assert ApprovalRequest.objects.get(pk=request.pk).state == "pending"
    history = api.get(f"{REQUESTS}history/", {"document_type": ref.type, "document_id": ref.id})
    assert history.json() == []


def test_a_rule_cannot_name_another_organizations_role_or_user(api, other_org, roles, people, tray):
    stranger = make_member(other_org, "stranger", "viewer", roles_by_code=roles)
    body = rule_body(levels=[level(MANAGER), level(user(stranger))])
    assert_error(api.post(RULES, body, format="json"), 400, field="levels.1.approvers.0.id")
    body = rule_body(levels=[level(role(roles["manager"]))],
                     conditions=[{"field": "partner", "operator": "in",
                                  "value": [make_partner(other_org).pk]}])  # fmt: skip
    assert_error(api.post(RULES, body, format="json"), 400, field="conditions.0.value")
    assert not ApprovalRule.objects.exists()


# --- the manager of a member -----------------------------------------------------------------


def test_the_manager_of_a_member_is_set_and_shown_in_the_users_and_members_apis(
    api, org, other_org, roles, people
):
    url = f"/api/v1/users/{people.sam.pk}/"
    changed = api.patch(url, {"manager": people.mary.pk}, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["manager"], changed.json()["manager_name"]) == (people.mary.pk, "Mary")
    members = {
        m["username"]: m for m in api.get("/api/v1/members/", {"page_size": 50}).json()["results"]
    }
    assert members["sam"]["manager"] == people.mary.pk
    assert members["mary"]["manager"] is None
    assert_error(api.patch(url, {"manager": people.sam.pk}, format="json"), 400, field="manager")
    stranger = make_member(other_org, "stranger", "viewer", roles_by_code=roles)
    assert_error(api.patch(url, {"manager": stranger.pk}, format="json"), 400, field="manager")
    assert Membership.objects.get(organization=org, user=people.sam).manager == people.mary
    cleared = api.patch(url, {"manager": None}, format="json")
    assert cleared.json()["manager"] is None
    created = api.post("/api/v1/users/", {"username": "newbie", "password": "long-password-9",
                                          "roles": [], "manager": people.mary.pk}, format="json")  # fmt: skip
    assert created.status_code == 201, created.content
    assert created.json()["manager"] == people.mary.pk
