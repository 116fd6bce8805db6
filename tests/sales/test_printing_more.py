"""Printed quotations (销售报价单), sales returns (销售退货单) and red credit notes, in the
layout family of the other sales documents, and their PDFs through the API."""

import datetime

import pytest

from jxc.core.printing import render_html
from jxc.sales.services import printing, quotations, returns
from tests.conftest import client_for, make_member
from tests.helpers import assert_error
from tests.inventory.conftest import DAY
from tests.printed import page_texts
from tests.sales.conftest import D

pytestmark = pytest.mark.django_db


def texts(document) -> list[str]:
    return page_texts(render_html(document))


def quotation(sales, product):
    return quotations.save_quotation(
        organization=sales.org, user=sales.user,
        data={"business_date": DAY, "customer": sales.customer, "warehouse": sales.wh1,
              "valid_until": DAY + datetime.timedelta(days=7),
              "lines": [{"product": product, "quantity": D(3), "discount_percent": D(10)}]},
    )  # fmt: skip


@pytest.fixture
def returned(sales):
    """3 delivered and invoiced, 1 of them returned (posted, with its red credit note)."""
    product = sales.product("PRN-R", specification="1L")
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 3)])
    delivery = sales.deliver([(order.lines.get(), 3)])
    sales.invoice([(delivery.lines.get(), 3)])
    draft = returns.save_sales_return(
        organization=sales.org, user=sales.user,
        data={"business_date": DAY, "delivery": delivery, "location": sales.bin1,
              "reason": "包装破损", "lines": [{"delivery_line": delivery.lines.get(),
                                             "quantity": D(1)}]},
    )  # fmt: skip
    return delivery, returns.post_sales_return(sales_return=draft)


def test_the_quotation_shows_its_prices_validity_and_the_total_in_capitals(sales):
    product = sales.product("P1", specification="500ml")
    quote = quotation(sales, product)
    # 3 × 113 less 10 % = 305.10 with tax
    (text,) = texts(printing.quotation_document(quote))
    for expected in ("销售报价单", "草稿", "北京客户有限公司", "有效期至", "2026年12月3日",
                     "500ml", "折扣 10%", "305.10", "价税合计（大写）：叁佰零伍元壹角 "):  # fmt: skip
        assert expected in text, expected
    assert printing.quotation_pdf(quote).startswith(b"%PDF")


def test_the_return_shows_what_came_back_from_which_delivery(sales, returned):
    delivery, sales_return = returned
    (text,) = texts(printing.return_document(sales_return))
    for expected in ("销售退货单", sales_return.number, delivery.number, "PRN-R", "1L",
                     sales.bin1.code, "退货原因：包装破损", sales_return.credit_note.number):  # fmt: skip
        assert expected in text, expected
    assert "草稿" not in text
    assert printing.return_pdf(sales_return).startswith(b"%PDF")


def test_the_credit_note_prints_red_with_negative_amounts(sales, returned):
    _delivery, sales_return = returned
    (text,) = texts(printing.invoice_document(sales_return.credit_note))
    for expected in ("销售发票（红字）", "-1", "-113.00", "红字冲销"):
        assert expected in text, expected


def test_quotations_returns_and_credit_notes_print_through_the_api(api, other_api, org, roles,
                                                                   sales, returned):  # fmt: skip
    _delivery, sales_return = returned
    quote = quotation(sales, sales.product("P1"))
    documents = (("sales-quotations", quote), ("sales-returns", sales_return),
                 ("customer-invoices", sales_return.credit_note))  # fmt: skip
    buyer = client_for(make_member(org, "bob", "purchaser", roles_by_code=roles), org)
    for url, document in documents:
        response = api.get(f"/api/v1/{url}/{document.pk}/pdf/")
        assert response.status_code == 200, (url, response.content[:300])
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert_error(other_api.get(f"/api/v1/{url}/{document.pk}/pdf/"), 404, "not_found")
        assert_error(buyer.get(f"/api/v1/{url}/{document.pk}/pdf/"), 403)
