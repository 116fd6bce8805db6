"""Printed purchasing documents (采购订单, 采购入库单) and the purchase order e-mailed to the
supplier: the service, then the API (content type, permissions, bad input, isolation)."""

import pytest
from django.core import mail

from jxc.core.errors import ValidationFailed
from jxc.core.models import AuditLog
from jxc.core.printing import render_html
from jxc.masterdata.models import PartnerContact
from jxc.purchasing.services import printing
from tests.conftest import client_for, make_member
from tests.helpers import assert_error
from tests.printed import page_texts
from tests.purchasing.conftest import qty

pytestmark = pytest.mark.django_db


def _order(world, code="PO-P1", **header):
    product = world.product(code, specification="10kg")
    return world.order([{"product": product, "quantity": qty(10), "unit_price": qty("12.5")}],
                       **header)  # fmt: skip


def _contact(world, email="sales@supplier.example", primary=True):
    return PartnerContact.objects.create(partner=world.vendor, name="王经理", email=email,
                                         is_primary=primary)  # fmt: skip


def test_the_purchase_order_prints_supplier_lines_and_the_total_in_capitals(world):
    world.vendor.credit_code = "91310000MA1S000003"
    world.vendor.save()
    order = _order(world, note="请按时送货")
    assert order.gross_amount == qty("141.25")  # 10 × 12.5 + 13 %
    (text,) = page_texts(render_html(printing.order_document(order)))
    for expected in ("采购订单", order.number, "上海供应商有限公司", "91310000MA1S000003",
                     "收货仓库：WH1 一号仓", "10kg", "12.50", "125.00", "16.25", "141.25",
                     "价税合计（大写）：壹佰肆拾壹元贰角伍分", "采购员：", "供应商确认（盖章）",
                     "备注：请按时送货"):  # fmt: skip
        assert expected in text, expected
    assert printing.order_pdf(order).startswith(b"%PDF")


def test_the_goods_receipt_prints_bins_and_lots_without_values(world):
    order = _order(world)
    receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(4)}])
    (text,) = page_texts(render_html(printing.receipt_document(receipt)))
    for expected in ("采购入库单", receipt.number, order.number, "WH1-A-01", "入库仓库：WH1 一号仓",
                     "验收：", "送货人："):  # fmt: skip
        assert expected in text, expected
    assert "50.00" not in text  # no value: a cost
    assert printing.receipt_pdf(receipt).startswith(b"%PDF")


def test_the_order_is_emailed_to_the_suppliers_contact_with_its_pdf(world):
    _contact(world, "other@supplier.example", primary=False)
    _contact(world)
    order = _order(world)
    sent = printing.email_order(order=order, user=world.user, cc=["boss@us.example"],
                                message="请确认交期。")  # fmt: skip
    assert sent == {"to": ["sales@supplier.example"], "cc": ["boss@us.example"]}
    (message,) = mail.outbox
    assert message.to == ["sales@supplier.example"]
    assert message.cc == ["boss@us.example"]
    assert order.number in message.subject
    assert message.body == "请确认交期。"
    ((name, content, kind),) = message.attachments
    assert name == f"purchase-order-{order.number}.pdf"
    assert kind == "application/pdf"
    assert content.startswith(b"%PDF")
    entry = AuditLog.objects.filter(model="purchasing.purchaseorder", object_id=str(order.pk))
    assert entry.first().changes == {"emailed_to": [None, sent]}


def test_an_order_is_not_emailed_without_an_address_nor_as_a_draft(world):
    order = _order(world)
    with pytest.raises(ValidationFailed) as caught:
        printing.email_order(order=order, user=world.user)
    assert caught.value.field == "to"
    draft = _order(world, "PO-P2", submit=False)
    _contact(world)
    with pytest.raises(ValidationFailed) as caught:
        printing.email_order(order=draft, user=world.user)
    assert caught.value.field == "state"
    with pytest.raises(ValidationFailed) as caught:
        printing.email_order(order=order, user=world.user, to=["ok@x.example", "not-an-address"])
    assert caught.value.field == "to.1"
    assert mail.outbox == []


# --- the API ------------------------------------------------------------------------------------


def test_purchase_orders_and_receipts_print_through_the_api(api, world):
    order = _order(world)
    receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(4)}])
    for url, document in (("purchase-orders", order), ("goods-receipts", receipt)):
        response = api.get(f"/api/v1/{url}/{document.pk}/pdf/")
        assert response.status_code == 200, response.content[:300]
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert document.number in response["Content-Disposition"]


def test_printing_and_emailing_need_purchasing_permissions(org, roles, world):
    _contact(world)
    order = _order(world)
    seller = client_for(make_member(org, "sally", "salesperson", roles_by_code=roles), org)
    assert_error(seller.get(f"/api/v1/purchase-orders/{order.pk}/pdf/"), 403)
    viewer = client_for(make_member(org, "vic", "viewer", roles_by_code=roles), org)
    assert viewer.get(f"/api/v1/purchase-orders/{order.pk}/pdf/").status_code == 200
    assert_error(viewer.post(f"/api/v1/purchase-orders/{order.pk}/email/", {}, format="json"), 403)
    buyer = client_for(make_member(org, "bob", "purchaser", roles_by_code=roles), org)
    sent = buyer.post(f"/api/v1/purchase-orders/{order.pk}/email/", {}, format="json")
    assert sent.status_code == 200, sent.content
    assert sent.json() == {"to": ["sales@supplier.example"], "cc": []}
    assert len(mail.outbox) == 1


def test_the_email_endpoint_names_the_field_at_fault(api, world):
    order = _order(world)
    url = f"/api/v1/purchase-orders/{order.pk}/email/"
    detail = api.get(f"/api/v1/purchase-orders/{order.pk}/").json()
    assert detail["supplier_email"] is None
    assert_error(api.post(url, {}, format="json"), 400, field="to")
    assert_error(api.post(url, {"to": ["nope"]}, format="json"), 400, field="to.0")
    assert_error(api.post(url, {"to": "a@b.example"}, format="json"), 400, field="to")
    assert_error(api.post(url, {"to": ["a@b.example"], "cc": ["x"]}, format="json"), 400,
                 field="cc.0")  # fmt: skip
    assert_error(api.post(url, {"to": ["a@b.example"], "message": "x" * 2001}, format="json"),
                 400, field="message")  # fmt: skip
    assert mail.outbox == []
    sent = api.post(url, {"to": ["a@b.example"], "message": "您好"}, format="json")
    assert sent.status_code == 200, sent.content
    assert mail.outbox[0].to == ["a@b.example"]
    history = api.get("/api/v1/audit-log/", {"model": "purchasing.purchaseorder",
                                             "object_id": order.pk}).json()["results"]  # fmt: skip
    (entry,) = [row for row in history if "emailed_to" in row["changes"]]
    assert entry["changes"]["emailed_to"] == [None, {"to": ["a@b.example"], "cc": []}]
    assert entry["field_labels"] == {"emailed_to": "e-mailed to the supplier"}
    _contact(world)
    assert api.get(f"/api/v1/purchase-orders/{order.pk}/").json()["supplier_email"] == (
        "sales@supplier.example")  # fmt: skip


def test_another_organizations_orders_are_neither_printed_nor_emailed(other_api, world):
    _contact(world)
    order = _order(world)
    receipt = world.receipt([{"order_line": order.lines.get(), "quantity": qty(1)}])
    assert_error(other_api.get(f"/api/v1/purchase-orders/{order.pk}/pdf/"), 404, "not_found")
    assert_error(other_api.get(f"/api/v1/goods-receipts/{receipt.pk}/pdf/"), 404, "not_found")
    emailed = other_api.post(f"/api/v1/purchase-orders/{order.pk}/email/", {}, format="json")
    assert_error(emailed, 404, "not_found")
    assert mail.outbox == []


def test_an_order_is_not_emailed_when_the_server_has_no_mail_set_up(world, settings):
    _contact(world)
    order = _order(world)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = ""
    with pytest.raises(ValidationFailed) as caught:
        printing.email_order(order=order, user=world.user)
    assert caught.value.code == "email_not_configured"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    with pytest.raises(ValidationFailed) as caught:  # nothing listens there: refused
        printing.email_order(order=order, user=world.user)
    assert caught.value.field == "to"
    history = AuditLog.objects.filter(model="purchasing.purchaseorder", object_id=str(order.pk))
    assert not [entry for entry in history if "emailed_to" in entry.changes]
