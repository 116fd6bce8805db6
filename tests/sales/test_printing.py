"""Printed sales documents: the order confirmation, the delivery note with its pick list and
the invoice (PDF), and the 数电票 export of posted invoices."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jxc.core.printing import render_html
from jxc.masterdata.services.locations import save_location, warehouse_root
from jxc.sales.models import CustomerInvoice
from jxc.sales.services import deliveries, einvoice, invoices, printing
from tests.printed import page_texts
from tests.sales.conftest import D

pytestmark = pytest.mark.django_db


def texts(document) -> list[str]:
    return page_texts(render_html(document))


@pytest.fixture
def company(sales):
    org = sales.org
    org.tax_id = "91310000MA1K000001"
    org.address = "上海市浦东新区世纪大道1号"
    org.save()
    customer = sales.customer
    customer.credit_code = "91110000MA00000002"
    customer.bank_name = "工商银行北京分行"
    customer.bank_account = "0200001234567890"
    customer.save()
    return org


def test_the_order_confirmation_shows_lines_totals_and_the_total_in_capitals(sales, company):
    product = sales.product("P1", specification="500ml")
    other = sales.product("P2")
    sales.receive(product, 20, "50")
    sales.receive(other, 20, "50")
    order = sales.confirmed([(product, 10), (other, 2, {"unit_price": D("56.5")})])
    assert order.gross_amount == D("1243.00")  # 10 × 113 + 2 × 56.5, prices with tax

    (text,) = texts(printing.order_document(order))
    for expected in ("销售订单确认书", order.number, "2026年11月26日", "北京客户有限公司",
                     "91110000MA00000002", company.name, "91310000MA1K000001", "500ml",
                     "1,100.00", "143.00", "1,243.00",
                     "价税合计（大写）：壹仟贰佰肆拾叁元整", "¥1,243.00", "13%"):  # fmt: skip
        assert expected in text, expected
    assert printing.order_pdf(order).startswith(b"%PDF")


def test_a_long_order_continues_on_pages_that_repeat_the_header(sales, company):
    product = sales.product("P1")
    sales.receive(product, 100, "50")
    order = sales.order([(product, 1)] * 45)
    pages = texts(printing.order_document(order))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "销售订单确认书" in page
        assert "商品名称" in page
        assert "价税合计" in page
        assert f"第 {number}/{len(pages)} 页" in page
        assert "草稿" in page  # a draft has no number yet
    assert "合计" in pages[-1]
    assert "伍仟零捌拾伍元整" in pages[-1]
    assert "伍仟零捌拾伍元整" not in pages[0]


def test_the_pick_list_sorts_by_bin_and_shows_lots_and_serials(sales):
    from jxc.inventory.services.lots import get_or_create_lot

    root = warehouse_root(sales.wh1)
    shelf_b = save_location(organization=sales.org, data={"code": "WH1-B-09", "name": "B-09",
                                                          "kind": "bin", "parent": root})  # fmt: skip
    shelf_c = save_location(organization=sales.org, data={"code": "WH1-C-01", "name": "C-01",
                                                          "kind": "bin", "parent": root})  # fmt: skip
    tea = sales.product("TEA", tracking="lot")
    lot = get_or_create_lot(product=tea, code="LOT-2611")
    cups = sales.product("CUP")
    sales.receive(tea, 5, "10", location=shelf_c, lot=lot)
    sales.receive(cups, 3, "10", location=shelf_b)
    sales.receive(cups, 2, "10", location=sales.bin1)  # WH1-A-01
    order = sales.confirmed([(tea, 4), (cups, 5)])
    tea_line, cup_line = order.lines.order_by("position")
    delivery = deliveries.save_delivery(
        organization=sales.org, user=sales.user,
        data={"business_date": order.business_date, "customer": sales.customer,
              "warehouse": sales.wh1,
              "lines": [{"order_line": tea_line, "quantity": D(4)},
                        {"order_line": cup_line, "quantity": D(5)}]},
    )  # fmt: skip

    def picks(document):
        return [row.cells[1:8] for row in document.rows if not row.group]

    expected = [
        ["WH1-A-01", "CUP", "商品CUP", "", "个", "2", ""],
        ["WH1-B-09", "CUP", "商品CUP", "", "个", "3", ""],
        ["WH1-C-01", "TEA", "商品TEA", "", "个", "4", "LOT-2611"],
    ]
    draft = printing.delivery_document(delivery)
    assert picks(draft) == expected  # where posting will take the stock from
    assert draft.rows[0].group == "仓库：WH1 一号仓"
    posted = deliveries.post_delivery(delivery=delivery)
    document = printing.delivery_document(posted)
    assert picks(document) == expected  # where it was taken from
    (text,) = texts(document)
    for expected_text in ("销售出库单", posted.number, order.number, "发货人：", "收货人：",
                          "仓库：WH1 一号仓", "LOT-2611", "9"):  # fmt: skip
        assert expected_text in text, expected_text
    assert text.index("WH1-A-01") < text.index("WH1-B-09") < text.index("WH1-C-01")
    assert printing.delivery_pdf(posted).startswith(b"%PDF")


def test_the_invoice_prints_buyer_seller_tax_and_the_total_in_capitals(sales, company):
    product = sales.product("P1", specification="A4")
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 3)])
    delivery = sales.deliver([(order.lines.get(), 3)])
    invoice = sales.invoice([(delivery.lines.get(), 3)])
    assert (invoice.net_amount, invoice.tax_amount, invoice.gross_amount) == (
        D("300.00"), D("39.00"), D("339.00"))  # fmt: skip

    (text,) = texts(printing.invoice_document(invoice))
    for expected in ("销售发票", "购买方", "销售方", "91110000MA00000002", "91310000MA1K000001",
                     "工商银行北京分行 0200001234567890", "增值税专用发票", "100.00", "300.00",
                     "13%", "39.00", "价税合计（大写）：叁佰叁拾玖元整", "¥339.00",
                     "开票人："):  # fmt: skip
        assert expected in text, expected
    assert printing.invoice_pdf(invoice).startswith(b"%PDF")


def test_a_credit_note_prints_in_red_figures(sales):
    product = sales.product("P1")
    sales.receive(product, 10, "50")
    order = sales.confirmed([(product, 2)])
    delivery = sales.deliver([(order.lines.get(), 2)])
    invoice = sales.invoice([(delivery.lines.get(), 2)])
    note = CustomerInvoice(organization=sales.org, kind=CustomerInvoice.Kind.CREDIT_NOTE,
                           customer=sales.customer, business_date=invoice.business_date,
                           currency=invoice.currency, net_amount=D("200"), tax_amount=D("26"),
                           gross_amount=D("226"))  # fmt: skip
    note.save()
    (text,) = texts(printing.invoice_document(note))
    assert "销售发票（红字）" in text
    assert "负贰佰贰拾陆元整" in text
    assert "-226.00" in text


def _invoiced(sales, code, quantity, post=True, **product_data):
    product = sales.product(code, **product_data)
    sales.receive(product, quantity, "50")
    order = sales.confirmed([(product, quantity)])
    delivery = sales.deliver([(order.lines.get(), quantity)])
    if post:
        return sales.invoice([(delivery.lines.get(), quantity)])
    return invoices.save_invoice(
        organization=sales.org, user=sales.user,
        data={"business_date": delivery.business_date, "customer": sales.customer,
              "invoice_type": "special",
              "lines": [{"delivery_line": delivery.lines.get(), "quantity": D(quantity)}]},
    )  # fmt: skip


def test_the_einvoice_export_has_the_import_template_columns(sales, company):
    from jxc.masterdata.models import CustomFieldDefinition

    CustomFieldDefinition.objects.create(organization=sales.org, target="product",
                                         key="tax_code", label="税收分类编码",
                                         field_type="text")  # fmt: skip
    taxed = _invoiced(sales, "P1", 3, specification="500ml",
                      custom={"tax_code": "1030201010000000000"})  # fmt: skip
    plain = _invoiced(sales, "P2", 2)
    _invoiced(sales, "P3", 1, post=False)  # a draft: not exported
    content = einvoice.einvoice_workbook(CustomerInvoice.objects.filter(organization=sales.org))

    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["1-发票基本信息", "2-发票明细信息"]
    headers = [[cell.value for cell in row] for row in book["1-发票基本信息"].iter_rows()]
    assert headers[0] == einvoice.HEADER_COLUMNS
    assert [row[0] for row in headers[1:]] == sorted([taxed.number, plain.number])
    assert len(headers) == 3  # not the draft
    first = headers[1 + sorted([taxed.number, plain.number]).index(taxed.number)]
    assert first[1:5] == ["增值税专用发票", "否", "北京客户有限公司", "91110000MA00000002"]
    lines = [[cell.value for cell in row] for row in book["2-发票明细信息"].iter_rows()]
    assert lines[0] == ["发票流水号", "项目名称", "商品和服务税收分类编码", "规格型号", "单位",
                        "数量", "单价", "金额", "税率", "税额"]  # fmt: skip
    by_number = {row[0]: row for row in lines[1:]}
    assert by_number[taxed.number] == [taxed.number, "商品P1", "1030201010000000000", "500ml",
                                       "个", 3, 100, 300, 0.13, 39]  # fmt: skip
    assert by_number[plain.number][2] is None  # no tax code in master data: left blank
    assert by_number[plain.number][5:] == [2, 100, 200, 0.13, 26]


def test_the_einvoice_export_refuses_when_nothing_is_posted(sales):
    from jxc.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as caught:
        einvoice.einvoice_workbook(CustomerInvoice.objects.filter(organization=sales.org))
    assert caught.value.code == "nothing_to_export"


def test_amounts_print_in_figures_and_words():
    from jxc.core.printing import format_percent, format_price, format_quantity
    from jxc.finance.printing import total_in_words

    assert format_quantity(Decimal("12.5000")) == "12.5"
    assert format_quantity(D("10")) == "10"
    assert format_price(Decimal("113.000000")) == "113.00"
    assert format_price(Decimal("1234.567800")) == "1,234.5678"
    assert format_percent(Decimal("13.00")) == "13%"
    assert total_in_words(D("1680.32"), "CNY") == ("壹仟陆佰捌拾元零叁角贰分", "¥1,680.32")
    assert total_in_words(D("5"), "USD") == ("", "USD 5.00")
