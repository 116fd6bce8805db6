"""Channel orders (多渠道订单): idempotent intake, codes resolved or refused by line and field,
auto-confirm through the order's confirmation, channel quotas, uploads mapped per channel,
splitting across warehouses and merged deliveries."""

import io
from decimal import Decimal

import pytest

from jxc.core.errors import ValidationFailed
from jxc.inventory.errors import InsufficientStock
from jxc.inventory.models import WarehouseStock
from jxc.sales.models import ChannelQuota, Delivery, SalesChannel, SalesOrder
from jxc.sales.services import channels, deliveries, orders, splits
from tests.masterdata.conftest import make_partner

pytestmark = pytest.mark.django_db
D = Decimal


def make_channel(sales, code="TMALL", **data):
    data.setdefault("name", "天猫旗舰店")
    data.setdefault("default_customer", sales.customer)
    data.setdefault("default_warehouse", sales.wh1)
    return SalesChannel.objects.create(organization=sales.org, code=code, **data)


def receive(sales, channel, channel_order_id="T-1", lines=None, **data):
    lines = lines if lines is not None else [{"product_code": "P1", "quantity": D("2")}]
    return channels.receive_channel_order(
        organization=sales.org,
        user=sales.user,
        channel=channel,
        data={"channel_order_id": channel_order_id, "lines": lines, **data},
    )


def test_a_channel_order_is_received_once_and_a_retry_returns_it(sales):
    product = sales.product()
    channel = make_channel(sales)
    order, created = receive(sales, channel, shipping_address=" 上海市浦东新区张江路88号 ")
    assert created
    assert (order.channel, order.channel_order_id, order.customer, order.warehouse) == (
        channel, "T-1", sales.customer, sales.wh1)  # fmt: skip
    assert order.shipping_address == "上海市浦东新区张江路88号"
    assert (order.state, order.gross_amount) == ("draft", D("226.00"))
    assert order.lines.get().product == product
    # the same body (numbers and spaces written differently) is the same order
    again, created = receive(
        sales, channel, shipping_address="上海市浦东新区张江路88号",
        lines=[{"product_code": " P1 ", "quantity": D("2.000")}],
    )  # fmt: skip
    assert (again.pk, created) == (order.pk, False)
    assert SalesOrder.objects.count() == 1


def test_the_same_channel_order_id_with_another_body_is_refused(sales):
    sales.product()
    channel = make_channel(sales)
    receive(sales, channel)
    with pytest.raises(channels.ChannelOrderConflict) as refused:
        receive(sales, channel, lines=[{"product_code": "P1", "quantity": D("3")}])
    assert refused.value.field == "channel_order_id"
    assert refused.value.status_code == 409
    assert SalesOrder.objects.get().lines.get().quantity == 2
    # another channel may use the same order id
    other = make_channel(sales, code="JD", name="京东")
    assert receive(sales, other, lines=[{"product_code": "P1", "quantity": D("3")}])[1]


def test_an_unknown_product_code_names_the_line_and_nothing_is_written(sales):
    sales.product()
    channel = make_channel(sales)
    with pytest.raises(ValidationFailed) as refused:
        receive(sales, channel, lines=[{"product_code": "P1", "quantity": D("1")},
                                       {"product_code": "NOPE", "quantity": D("1")}])  # fmt: skip
    assert refused.value.field == "lines.1.product_code"
    assert "NOPE" in str(refused.value.message)
    with pytest.raises(ValidationFailed) as refused:
        receive(sales, channel, lines=[{"barcode": "000", "quantity": D("1")}])
    assert refused.value.field == "lines.0.barcode"
    with pytest.raises(ValidationFailed) as refused:
        receive(sales, channel, lines=[{"product_code": "P1", "quantity": D("-1")}])
    assert refused.value.field == "lines.0.quantity"
    with pytest.raises(ValidationFailed) as refused:
        receive(sales, channel, customer_code="C-NONE")
    assert refused.value.field == "customer_code"
    assert SalesOrder.objects.count() == 0


def test_a_product_is_found_by_barcode_and_the_customer_by_code(sales):
    product = sales.product(barcodes=[{"barcode": "6901234567892"}])
    other = make_partner(sales.org, "C2", "广州客户", is_customer=True, is_supplier=False)
    channel = make_channel(sales, default_customer=None)
    with pytest.raises(ValidationFailed) as refused:
        receive(sales, channel, lines=[{"barcode": "6901234567892", "quantity": D("1")}])
    assert refused.value.field == "customer_code"  # no default customer
    order, _created = receive(
        sales, channel, customer_code="C2", warehouse_code="WH2",
        lines=[{"barcode": "6901234567892", "quantity": D("1")}],
    )  # fmt: skip
    assert (order.customer, order.warehouse, order.lines.get().product) == (
        other, sales.wh2, product)  # fmt: skip


def test_auto_confirm_reserves_through_the_order_confirmation(sales):
    product = sales.product()
    sales.receive(product, 5, "50")
    channel = make_channel(sales, auto_confirm=True)
    order, _created = receive(sales, channel)
    assert order.state == "approved"
    assert order.lines.get().reserved_quantity == 2
    # beyond what is available (block policy): refused on the line, nothing written
    with pytest.raises(InsufficientStock) as refused:
        receive(sales, channel, "T-2", lines=[{"product_code": "P1", "quantity": D("4")}])
    assert refused.value.field == "lines.0.quantity"
    assert SalesOrder.objects.count() == 1
    assert WarehouseStock.objects.get(product=product).reserved == 2
    # confirm=False keeps a draft even on an auto-confirming channel
    draft, _created = receive(sales, channel, "T-3", confirm=False)
    assert draft.state == "draft"


def test_a_channel_takes_at_most_its_share_of_the_available_stock(sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    channel = make_channel(sales, auto_confirm=True, quota_percent=D("50"))
    with pytest.raises(ValidationFailed) as refused:
        receive(sales, channel, "T-1", lines=[{"product_code": "P1", "quantity": D("4")},
                                              {"product_code": "P1", "quantity": D("2")}])  # fmt: skip
    assert (refused.value.code, refused.value.field) == (
        "channel_quota_exceeded",
        "lines.0.quantity",
    )
    assert SalesOrder.objects.count() == 0
    order, _created = receive(
        sales, channel, "T-2", lines=[{"product_code": "P1", "quantity": D("5")}]
    )
    assert order.state == "approved"
    # half of what is left (5) now
    with pytest.raises(ValidationFailed):
        receive(sales, channel, "T-3", lines=[{"product_code": "P1", "quantity": D("3")}])
    # an order without a channel is not bound by it
    assert sales.confirmed([(product, 5)]).state == "approved"


def test_a_product_quota_caps_what_the_channels_open_orders_hold(sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    channel = make_channel(sales, auto_confirm=True)
    ChannelQuota.objects.create(organization=sales.org, channel=channel, product=product,
                                quantity=D("4"))  # fmt: skip
    first, _created = receive(
        sales, channel, "T-1", lines=[{"product_code": "P1", "quantity": D("3")}]
    )
    with pytest.raises(ValidationFailed) as refused:
        receive(sales, channel, "T-2", lines=[{"product_code": "P1", "quantity": D("2")}])
    assert refused.value.code == "channel_quota_exceeded"
    assert "1" in str(refused.value.message)  # what is left
    orders.close_sales_order(order=first)  # its reservation goes back
    assert receive(sales, channel, "T-2", lines=[{"product_code": "P1", "quantity": D("2")}])[1]


def test_a_draft_is_split_into_an_order_of_another_warehouse(sales):
    p1, p2 = sales.product(), sales.product("P2")
    channel = make_channel(sales)
    order, _created = receive(
        sales, channel, shipping_address="杭州",
        lines=[{"product_code": "P1", "quantity": D("5"), "unit_price": D("100")},
               {"product_code": "P2", "quantity": D("1")}],
    )  # fmt: skip
    first, second = order.lines.all()
    new = splits.split_sales_order(
        order=order, user=sales.user, warehouse=sales.wh2,
        lines=[{"line": first, "quantity": D("2")}, {"line": second, "quantity": D("1")}],
    )  # fmt: skip
    assert (new.warehouse, new.split_from, new.channel, new.shipping_address) == (
        sales.wh2, order, channel, "杭州")  # fmt: skip
    assert [(x.product, x.quantity, x.unit_price) for x in new.lines.all()] == [
        (p1, 2, 100), (p2, 1, D("113"))]  # fmt: skip
    order.refresh_from_db()
    assert [(x.product, x.quantity) for x in order.lines.all()] == [(p1, 3)]
    assert order.gross_amount == D("300.00")
    assert new.gross_amount == D("313.00")
    with pytest.raises(ValidationFailed) as refused:
        splits.split_sales_order(order=order, user=sales.user, warehouse=sales.wh2,
                                 lines=[{"line": order.lines.get(), "quantity": D("3")}])  # fmt: skip
    assert refused.value.field == "lines"  # nothing would stay
    with pytest.raises(ValidationFailed) as refused:
        splits.split_sales_order(order=order, user=sales.user, warehouse=sales.wh2,
                                 lines=[{"line": order.lines.get(), "quantity": D("4")}])  # fmt: skip
    assert refused.value.field == "lines.0.quantity"
    assert SalesOrder.objects.count() == 2


def test_orders_of_one_customer_and_address_are_delivered_together(sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    channel = make_channel(sales, auto_confirm=True)
    a = receive(sales, channel, "T-1", shipping_address="杭州西湖区")[0]
    b = receive(sales, channel, "T-2", shipping_address="杭州西湖区")[0]
    c = receive(sales, channel, "T-3", shipping_address="宁波")[0]
    with pytest.raises(ValidationFailed) as refused:
        deliveries.save_delivery(organization=sales.org, user=sales.user,
                                 data={"business_date": a.business_date, "orders": [a, c]})  # fmt: skip
    assert refused.value.field == "orders"
    assert Delivery.objects.count() == 0
    delivery = deliveries.save_delivery(
        organization=sales.org, user=sales.user,
        data={"business_date": a.business_date, "orders": [a, b]},
    )  # fmt: skip
    assert sorted(x.order_line.order_id for x in delivery.lines.all()) == [a.pk, b.pk]
    deliveries.post_delivery(delivery=delivery)
    assert set(SalesOrder.objects.filter(pk__in=[a.pk, b.pk]).values_list("state", flat=True)) == {
        "done"}  # fmt: skip


CSV = """订单号,商品编码,数量,单价,收货地址
T-100,P1,2,100,杭州
T-100,P2,1,,杭州
T-101,P1,1,,宁波
"""
MAPPING = {"channel_order_id": "订单号", "product_code": "商品编码", "quantity": "数量",
           "unit_price": "单价", "shipping_address": "收货地址"}  # fmt: skip


def upload(sales, channel, filename, content):
    return channels.upload_channel_orders(
        organization=sales.org, user=sales.user, channel=channel, filename=filename, content=content
    )


def test_an_upload_makes_one_order_per_channel_order_id_and_a_second_upload_none(sales):
    sales.product()
    sales.product("P2")
    channel = make_channel(sales, column_mapping=MAPPING)
    done = upload(sales, channel, "orders.csv", CSV.encode())
    assert [(o.channel_order_id, o.lines.count(), o.shipping_address, c) for o, c in done] == [
        ("T-100", 2, "杭州", True), ("T-101", 1, "宁波", True)]  # fmt: skip
    assert done[0][0].lines.first().unit_price == 100
    again = upload(sales, channel, "orders.csv", CSV.encode())
    assert [c for _o, c in again] == [False, False]
    assert SalesOrder.objects.count() == 2


def test_an_excel_upload_uses_the_channel_mapping(sales):
    from openpyxl import Workbook

    sales.product()
    channel = make_channel(sales, column_mapping=MAPPING)
    book = Workbook()
    sheet = book.active
    sheet.append(["订单号", "商品编码", "数量"])
    sheet.append([1001, "P1", 3])  # Excel gives numbers: the id is 1001, not 1001.0
    content = io.BytesIO()
    book.save(content)
    done = upload(sales, channel, "orders.xlsx", content.getvalue())
    assert [(o.channel_order_id, o.lines.get().quantity) for o, _c in done] == [("1001", 3)]


def test_a_bad_row_refuses_the_whole_file_listing_rows_and_columns(sales):
    sales.product()
    sales.product("P2")
    channel = make_channel(sales, column_mapping=MAPPING)
    bad = CSV + "T-102,NOPE,1,,宁波\nT-103,P1,abc,,宁波\nT-104,P1,-2,,宁波\n"
    with pytest.raises(channels.UploadRejected) as refused:
        upload(sales, channel, "orders.csv", bad.encode())
    assert [(e["row"], e["column"]) for e in refused.value.errors] == [
        (5, "商品编码"), (6, "数量"), (7, "数量")]  # fmt: skip
    assert "NOPE" in refused.value.errors[0]["message"]
    assert SalesOrder.objects.count() == 0
    with pytest.raises(channels.UploadRejected) as refused:
        upload(sales, channel, "orders.csv", "订单号,数量\nT-1,1\n".encode())
    assert refused.value.errors[0]["column"] == "商品编码"
    with pytest.raises(ValidationFailed) as refused:
        upload(sales, channel, "orders.xlsx", b"not a workbook")
    assert refused.value.field == "file"
