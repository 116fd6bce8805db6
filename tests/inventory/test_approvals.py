"""Stock documents through approval: submitting, posting only what is approved or needs no
approval, the decisions of workflow moving the document, and the facts rules read."""

from decimal import Decimal

import pytest
from django.utils import translation

from jxc.core.errors import ValidationFailed
from jxc.finance.models import Voucher
from jxc.inventory.models import StockDocument, StockMove
from jxc.inventory.selectors import stock_document_facts
from jxc.inventory.services import documents
from jxc.masterdata.models import Category, Unit
from jxc.workflow.errors import AwaitingApproval
from jxc.workflow.models import ApprovalRequest
from jxc.workflow.selectors import document_history
from jxc.workflow.services import approvals
from jxc.workflow.services.rules import save_rule
from tests.conftest import client_for, make_member
from tests.helpers import assert_error
from tests.inventory.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(org, roles):
    return make_member(org, "kate", "warehouse_keeper", roles_by_code=roles)


@pytest.fixture
def manager(org, roles):
    return make_member(org, "mary", "manager", roles_by_code=roles)


def issue_rule(org, roles, conditions=(), doc_type="other_issue"):
    """Other issues (by default all of them) need one manager."""
    return save_rule(
        organization=org,
        data={
            "name": f"{doc_type} needs a manager",
            "document_type": doc_type,
            "conditions": list(conditions),
            "levels": [
                {"name": "经理", "mode": "any",
                 "approvers": [{"type": "role", "id": roles["manager"].pk}]},
            ],
        },
    )  # fmt: skip


def draft(stock, user, kind="issue", quantity="4", **header):
    product = header.pop("product", None) or stock.product()
    header.setdefault("reason", "damage" if kind == "issue" else "other")
    if kind == "transfer":
        header.setdefault("to_warehouse", stock.wh2)
    return documents.save_stock_document(
        organization=stock.org,
        user=user,
        data={
            "kind": kind,
            "business_date": DAY,
            "warehouse": stock.wh1,
            "lines": [{"product": product, "quantity": Decimal(quantity)}],
            **header,
        },
    )


def request_of(doc) -> ApprovalRequest:
    return ApprovalRequest.objects.get(document_type="other_issue", document_id=doc.pk)


def nothing_posted(doc) -> bool:
    doc.refresh_from_db()
    moves = StockMove.objects.filter(origin_type=documents.ORIGIN,
                                     origin_id__in=doc.lines.values("pk"))  # fmt: skip
    vouchers = Voucher.objects.filter(origin_id=doc.pk, origin_type=documents.SOURCE)
    return doc.number == "" and not moves.exists() and not vouchers.exists()


def test_without_rules_a_draft_posts_at_once_as_before(stock, keeper):
    product = stock.product()
    stock.receive(product, 10, "2")
    doc = documents.post_stock_document(document=draft(stock, keeper, product=product))
    assert doc.state == "done"


def test_a_draft_a_rule_applies_to_is_refused_and_nothing_is_written(stock, roles, keeper):
    product = stock.product()
    stock.receive(product, 10, "2")
    issue_rule(stock.org, roles)
    doc = draft(stock, keeper, product=product)
    with pytest.raises(ValidationFailed) as refused:
        documents.post_stock_document(document=doc)
    assert (refused.value.field, refused.value.code) == ("state", "approval_required")
    assert nothing_posted(doc)
    assert doc.state == "draft"


def test_submitted_approved_then_posted(stock, roles, keeper, manager):
    product = stock.product()
    stock.receive(product, 10, "2")
    issue_rule(stock.org, roles)
    doc = documents.submit_stock_document(document=draft(stock, keeper, product=product),
                                          user=keeper)  # fmt: skip
    assert doc.state == "submitted"
    request = request_of(doc)
    assert (request.state, request.base_amount) == ("pending", Decimal("8.00"))
    with pytest.raises(AwaitingApproval):
        documents.post_stock_document(document=doc)
    with pytest.raises(ValidationFailed) as refused:
        documents.save_stock_document(organization=stock.org, user=keeper, data={"note": "x"},
                                      document=doc)  # fmt: skip
    assert refused.value.field == "state"
    with pytest.raises(ValidationFailed) as refused:
        documents.cancel_stock_document(document=doc)
    assert refused.value.code == "invalid_state"
    assert nothing_posted(doc)
    assert doc.state == "submitted"
    approvals.approve(request=request, user=manager, comment="同意")
    doc.refresh_from_db()
    assert doc.state == "approved"
    assert documents.post_stock_document(document=doc).state == "done"
    assert StockMove.objects.filter(reference=doc.number).count() == 1


def test_rejected_returns_to_draft_with_the_reason_in_the_history(stock, roles, keeper, manager):
    issue_rule(stock.org, roles)
    doc = draft(stock, keeper, note="月底报损")
    documents.submit_stock_document(document=doc, user=keeper)
    approvals.reject(request=request_of(doc), user=manager, comment="数量不对")
    doc.refresh_from_db()
    assert (doc.state, doc.note) == ("draft", "月底报损")  # the user's note left alone
    history = list(document_history(stock.org, "other_issue", doc.pk))
    assert [(r.state, r.reason) for r in history] == [("rejected", "数量不对")]
    documents.submit_stock_document(document=doc, user=keeper)  # corrected and sent again
    assert StockDocument.objects.get(pk=doc.pk).state == "submitted"


def test_withdrawn_returns_to_draft(stock, roles, keeper, manager):
    issue_rule(stock.org, roles)
    doc = documents.submit_stock_document(document=draft(stock, keeper), user=keeper)
    approvals.withdraw(request=request_of(doc), user=keeper, comment="改一下")
    doc.refresh_from_db()
    assert doc.state == "draft"


def test_a_rule_that_does_not_match_lets_the_draft_post_and_submit_approves_at_once(
    stock, roles, keeper
):
    product = stock.product()
    stock.receive(product, 10, "2")
    issue_rule(stock.org, roles, [{"field": "amount", "operator": "gte", "value": "1000"}])
    assert (
        documents.post_stock_document(document=draft(stock, keeper, product=product)).state
        == "done"
    )  # ¥8 is below ¥1,000
    doc = documents.submit_stock_document(document=draft(stock, keeper, product=product),
                                          user=keeper)  # fmt: skip
    assert doc.state == "approved"
    assert not ApprovalRequest.objects.exists()
    assert documents.post_stock_document(document=doc).state == "done"


def test_a_rule_of_another_type_does_not_hold_up_posting(stock, roles, keeper, manager):
    issue_rule(stock.org, roles, doc_type="other_receipt")
    product = stock.product()
    stock.receive(product, 10, "2")
    assert documents.post_stock_document(document=draft(stock, keeper, product=product)).state == (
        "done"
    )


def test_an_approved_two_step_transfer_is_shipped(stock, roles, keeper, manager):
    product = stock.product()
    stock.receive(product, 10, "2")
    issue_rule(stock.org, roles, doc_type="transfer")
    doc = draft(stock, keeper, kind="transfer", product=product, two_step=True)
    with pytest.raises(ValidationFailed) as refused:
        documents.post_stock_document(document=doc)
    assert refused.value.code == "approval_required"
    documents.submit_stock_document(document=doc, user=keeper)
    request = ApprovalRequest.objects.get(document_type="transfer", document_id=doc.pk)
    approvals.approve(request=request, user=manager)
    doc.refresh_from_db()
    assert documents.post_stock_document(document=doc).state == "in_transit"


def test_submitting_needs_a_draft_with_lines(stock, keeper):
    empty = documents.save_stock_document(
        organization=stock.org, user=keeper,
        data={"kind": "issue", "business_date": DAY, "warehouse": stock.wh1, "lines": []},
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        documents.submit_stock_document(document=empty, user=keeper)
    assert refused.value.field == "lines"
    empty.refresh_from_db()
    assert empty.state == "draft"
    product = stock.product()
    stock.receive(product, 10, "2")
    done = documents.post_stock_document(document=draft(stock, keeper, product=product))
    with pytest.raises(ValidationFailed) as refused:
        documents.submit_stock_document(document=done, user=keeper)
    assert refused.value.code == "invalid_state"


# --- facts ------------------------------------------------------------------------------------


def test_facts_of_a_receipt_value_its_lines_at_the_unit_costs_entered(stock, keeper):
    tools = Category.objects.create(organization=stock.org, code="T", name="工具")
    boxed = stock.product("P1", category=tools)
    box = Unit.objects.get(organization=stock.org, code="BOX")
    boxed.units.create(unit=box, factor=Decimal(12))
    costed = stock.product("P2")
    stock.receive(costed, 4, "2.5")  # a line without a cost counts at the current cost
    doc = documents.save_stock_document(
        organization=stock.org, user=keeper,
        data={"kind": "receipt", "business_date": DAY, "warehouse": stock.wh2, "reason": "other",
              "lines": [
                  {"product": boxed, "unit": box, "quantity": Decimal(2),
                   "unit_cost": Decimal("1.5")},
                  {"product": costed, "quantity": Decimal(3)},
              ]},
    )  # fmt: skip
    facts = stock_document_facts(doc)
    assert facts.amount == Decimal("43.50")  # 24 × 1.5 + 3 × 2.5
    assert (facts.warehouse, facts.categories, facts.currency) == (
        stock.wh2.pk,
        frozenset({tools.pk}),
        "CNY",
    )
    with translation.override("zh-hans"):
        assert stock_document_facts(doc).summary == "其他 · 二号仓 · 商品P1 等 2 种商品"
    assert facts.number == ""  # numbered when posted: approvers see the type and the id


def test_facts_of_an_issue_and_a_transfer_value_the_goods_at_their_average_cost(stock, keeper):
    product = stock.product()
    stock.receive(product, 10, "2")
    stock.receive(product, 10, "3")  # average 2.5
    assert stock_document_facts(draft(stock, keeper, product=product)).amount == Decimal("10.00")
    transfer = draft(stock, keeper, kind="transfer", quantity="6", product=product)
    facts = stock_document_facts(transfer)
    assert (facts.amount, facts.warehouse) == (Decimal("15.00"), stock.wh1.pk)
    assert "一号仓 → 二号仓" in facts.summary


# --- API --------------------------------------------------------------------------------------


def test_submit_through_the_api_and_its_bad_input(stock, roles, keeper, manager, other_api):
    product = stock.product()
    stock.receive(product, 10, "2")
    issue_rule(stock.org, roles)
    client = client_for(keeper, stock.org)
    doc = draft(stock, keeper, product=product)
    url = f"/api/v1/stock-documents/{doc.pk}/"
    body = assert_error(client.post(f"{url}post/", {}, format="json"), 400,
                        "approval_required", field="state")  # fmt: skip
    assert "submit it first" in body["message"]
    chinese = client_for(keeper, stock.org, language="zh-hans")
    assert (
        "提交审批" in assert_error(chinese.post(f"{url}post/", {}, format="json"), 400)["message"]
    )
    assert_error(other_api.post(f"{url}submit/"), 404)
    assert StockDocument.objects.get(pk=doc.pk).state == "draft"
    submitted = client.post(f"{url}submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["state"] == "submitted"
    assert_error(client.post(f"{url}submit/"), 400, "invalid_state", field="state")
    assert_error(client.post(f"{url}post/", {}, format="json"), 400, "awaiting_approval")
    assert_error(client.patch(url, {"note": "x"}, format="json"), 400, field="state")
    history = client.get("/api/v1/approval-requests/history/",
                         {"document_type": "other_issue", "document_id": doc.pk})  # fmt: skip
    assert history.status_code == 200, history.content
    assert ApprovalRequest.objects.get().state == "pending"


def test_submitting_an_empty_document_through_the_api(stock, keeper):
    client = client_for(keeper, stock.org)
    doc = client.post(
        "/api/v1/stock-documents/",
        {"kind": "issue", "business_date": "2026-11-26", "warehouse": stock.wh1.pk, "lines": []},
        format="json",
    ).json()
    assert_error(client.post(f"/api/v1/stock-documents/{doc['id']}/submit/"), 400, field="lines")
    assert client.get(f"/api/v1/stock-documents/{doc['id']}/").json()["state"] == "draft"


def test_without_rules_submit_approves_and_the_document_types_are_offered(api, stock):
    types = {t["code"]: t for t in api.get("/api/v1/approval-rules/document-types/").json()}
    assert {"other_receipt", "other_issue", "transfer"} <= set(types)
    assert [f["code"] for f in types["other_issue"]["fields"]] == ["amount", "warehouse",
                                                                   "category"]  # fmt: skip
    doc = draft(stock, None)
    assert api.post(f"/api/v1/stock-documents/{doc.pk}/submit/").json()["state"] == "approved"
