"""Channel orders through the API: token auth, idempotent retries, 409 on another body, codes
refused by line and field, uploads with an error table, channels and quotas, split and merge,
other organizations' channels hidden."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from jxc.core.services.tokens import create_api_token
from jxc.sales.models import ChannelQuota, Delivery, SalesChannel, SalesOrder
from tests.conftest import client_for, make_member
from tests.helpers import assert_error, assert_other_organization_hidden
from tests.sales.test_channels import CSV, MAPPING, make_channel

pytestmark = pytest.mark.django_db
D = Decimal
URL = "/api/v1/sales/channel-orders/"


def body(channel_order_id="T-1", quantity="2", **extra):
    return {"channel": "TMALL", "channel_order_id": channel_order_id,
            "shipping_address": "上海市浦东新区", "lines": [{"product_code": "P1", "quantity": quantity}],
            **extra}  # fmt: skip


def token_client(sales) -> APIClient:
    _token, key = create_api_token(organization=sales.org, user=sales.user, name="shop")
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_a_retry_with_the_same_body_returns_the_order_and_another_body_is_409(sales):
    sales.product()
    make_channel(sales)
    client = token_client(sales)
    first = client.post(URL, body(), format="json")
    assert first.status_code == 201, first.content
    assert (first.json()["channel_code"], first.json()["channel_order_id"]) == ("TMALL", "T-1")
    assert first.json()["shipping_address"] == "上海市浦东新区"
    again = client.post(URL, body(), format="json")
    assert again.status_code == 200, again.content
    assert again["Channel-Order-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    changed = client.post(URL, body(quantity="3"), format="json")
    assert_error(changed, 409, code="channel_order_conflict", field="channel_order_id")
    assert SalesOrder.objects.count() == 1


def test_bad_channel_orders_name_the_line_and_field_and_write_nothing(api, sales):
    sales.product()
    make_channel(sales)
    bad = body()
    bad["lines"].append({"product_code": "NOPE", "quantity": "1"})
    assert_error(api.post(URL, bad, format="json"), 400, field="lines.1.product_code")
    assert_error(api.post(URL, body(quantity="-1"), format="json"), 400, field="lines.0.quantity")
    assert_error(api.post(URL, body(quantity="abc"), format="json"), 400, field="lines.0.quantity")
    assert_error(api.post(URL, body(quantity="1e30"), format="json"), 400, field="lines.0.quantity")
    assert_error(api.post(URL, {**body(), "lines": []}, format="json"), 400, field="lines")
    assert_error(api.post(URL, {**body(), "channel_order_id": ""}, format="json"), 400,
                 field="channel_order_id")  # fmt: skip
    assert_error(api.post(URL, {**body(), "channel": "NOPE"}, format="json"), 400, field="channel")
    assert_error(api.post(URL, body(customer_code="X"), format="json"), 400, field="customer_code")
    assert_error(api.post(URL, body(business_date="2026-13-01"), format="json"), 400,
                 field="business_date")  # fmt: skip
    assert_error(api.post(URL, [1, 2], format="json"), 400)
    assert SalesOrder.objects.count() == 0


def test_the_error_is_translated(sales):
    sales.product()
    make_channel(sales)
    client = client_for(sales.user, sales.org, language="zh-hans")
    bad = body()
    bad["lines"][0]["product_code"] = "NOPE"
    refused = assert_error(client.post(URL, bad, format="json"), 400, field="lines.0.product_code")
    assert "没有" in refused["fields"]["lines.0.product_code"][0], refused


def test_another_organizations_channel_is_refused_and_hidden(api, other_api, sales, other_org):
    sales.product()
    channel = make_channel(sales)
    quota = ChannelQuota.objects.create(organization=sales.org, channel=channel,
                                        product=sales.product("P2"), quantity=D("5"))  # fmt: skip
    # the other organization has no channel TMALL: its order is refused, nothing written
    assert_error(other_api.post(URL, body(), format="json"), 400, field="channel")
    assert_other_organization_hidden(other_api, "/api/v1/sales-channels/", channel)
    assert_other_organization_hidden(other_api, "/api/v1/sales-channel-quotas/", quota)
    theirs = other_api.post("/api/v1/sales-channel-quotas/",
                            {"channel": channel.pk, "product": quota.product_id, "quantity": "1"},
                            format="json")  # fmt: skip
    assert_error(theirs, 400, field="channel")
    assert SalesOrder.objects.count() == 0


def test_channels_and_quotas_are_configured_through_the_api(api, sales, org):
    product = sales.product()
    made = api.post("/api/v1/sales-channels/", {
        "code": "JD", "name": "京东自营", "default_warehouse": sales.wh1.pk,
        "default_customer": sales.customer.pk, "quota_percent": "40",
        "column_mapping": {"channel_order_id": "订单编号", "quantity": "数量"}}, format="json")  # fmt: skip
    assert made.status_code == 201, made.content
    assert made.json()["column_mapping"] == {"channel_order_id": "订单编号", "quantity": "数量"}
    bad = {"code": "X", "name": "X", "default_warehouse": sales.wh1.pk}
    assert_error(api.post("/api/v1/sales-channels/", {**bad, "quota_percent": "120"},
                          format="json"), 400, field="quota_percent")  # fmt: skip
    assert_error(api.post("/api/v1/sales-channels/", {**bad, "column_mapping": {"nope": "x"}},
                          format="json"), 400, field="column_mapping")  # fmt: skip
    assert_error(api.post("/api/v1/sales-channels/", {**bad, "code": "JD"}, format="json"), 400)
    quota = api.post("/api/v1/sales-channel-quotas/",
                     {"channel": made.json()["id"], "product": product.pk, "quantity": "-1"},
                     format="json")  # fmt: skip
    assert_error(quota, 400, field="quantity")
    quota = api.post("/api/v1/sales-channel-quotas/",
                     {"channel": made.json()["id"], "product": product.pk, "quantity": "8"},
                     format="json")  # fmt: skip
    assert quota.status_code == 201, quota.content
    assert SalesChannel.objects.count() == 1
    # a salesperson may send orders but not configure channels
    seller = client_for(make_member(org, "sally", "salesperson"), org)
    assert_error(seller.post("/api/v1/sales-channels/", {**bad, "code": "Y"}, format="json"), 403)
    assert seller.get("/api/v1/sales-channels/").status_code == 200


def test_the_quota_refuses_a_confirmation_through_the_api(api, sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    make_channel(sales, quota_percent=D("30"))
    refused = api.post(URL, body(quantity="4", confirm=True), format="json")
    assert_error(refused, 400, code="channel_quota_exceeded", field="lines.0.quantity")
    made = api.post(URL, body(quantity="3", confirm=True), format="json")
    assert made.status_code == 201, made.content
    assert made.json()["state"] == "approved"


def upload(client, content, name="orders.csv", channel="TMALL"):
    return client.post(
        f"{URL}upload/",
        {"channel": channel, "file": SimpleUploadedFile(name, content)},
        format="multipart",
    )


def test_upload_good_and_bad_files(api, sales):
    sales.product()
    sales.product("P2")
    make_channel(sales, column_mapping=MAPPING)
    bad = upload(api, (CSV + "T-102,NOPE,1,,宁波\n").encode())
    assert bad.status_code == 400, bad.content
    assert bad.json()["errors"] == [
        {"row": 5, "column": "商品编码", "message": bad.json()["errors"][0]["message"]}]  # fmt: skip
    assert bad.json()["fields"]["file"]
    assert SalesOrder.objects.count() == 0
    good = upload(api, CSV.encode())
    assert good.status_code == 200, good.content
    assert (good.json()["created"], good.json()["existing"]) == (2, 0)
    assert [o["channel_order_id"] for o in good.json()["orders"]] == ["T-100", "T-101"]
    again = upload(api, CSV.encode())
    assert (again.json()["created"], again.json()["existing"]) == (0, 2)
    assert_error(upload(api, b"\x00\x01garbage", name="x.xlsx"), 400, field="file")
    assert_error(upload(api, CSV.encode(), name="x.pdf"), 400, field="file")
    assert_error(upload(api, CSV.encode(), channel="NOPE"), 400, field="channel")
    listed = api.get("/api/v1/sales-orders/", {"channel": SalesChannel.objects.get().pk})
    assert listed.json()["count"] == 2
    assert api.get("/api/v1/sales-orders/", {"channel__isnull": "true"}).json()["count"] == 0
    assert api.get("/api/v1/sales-orders/", {"search": "T-101"}).json()["count"] == 1


def test_split_and_merged_delivery_through_the_api(api, sales):
    product = sales.product()
    sales.receive(product, 10, "50")
    make_channel(sales)
    order = api.post(URL, body(quantity="5"), format="json").json()
    line = order["lines"][0]["id"]
    split = api.post(f"/api/v1/sales-orders/{order['id']}/split/",
                     {"warehouse": sales.wh2.pk, "lines": [{"line": line, "quantity": "2"}]},
                     format="json")  # fmt: skip
    assert split.status_code == 201, split.content
    assert (split.json()["warehouse"], split.json()["split_from"]) == (sales.wh2.pk, order["id"])
    assert split.json()["lines"][0]["quantity"] == "2.0000"
    assert_error(api.post(f"/api/v1/sales-orders/{order['id']}/split/",
                          {"warehouse": sales.wh2.pk, "lines": [{"line": 999999, "quantity": "1"}]},
                          format="json"), 400, field="lines.0.line")  # fmt: skip
    line = api.get(f"/api/v1/sales-orders/{order['id']}/").json()["lines"][0]["id"]  # new ids
    assert_error(api.post(f"/api/v1/sales-orders/{order['id']}/split/",
                          {"warehouse": sales.wh2.pk, "lines": []}, format="json"),
                 400, field="lines")  # fmt: skip
    assert_error(api.post(f"/api/v1/sales-orders/{order['id']}/split/",
                          {"warehouse": sales.wh1.pk, "lines": [{"line": line, "quantity": "1"}]},
                          format="json"), 400, field="warehouse")  # fmt: skip
    other = api.post(URL, body("T-2", confirm=True), format="json").json()
    api.post(f"/api/v1/sales-orders/{order['id']}/submit/")
    merged = api.post("/api/v1/deliveries/",
                      {"business_date": order["business_date"], "orders": [order["id"], other["id"]]},
                      format="json")  # fmt: skip
    assert merged.status_code == 201, merged.content
    assert [x["quantity"] for x in merged.json()["lines"]] == ["3.0000", "2.0000"]
    third = api.post(URL, {**body("T-3", confirm=True), "shipping_address": "北京"}, format="json")
    refused = api.post("/api/v1/deliveries/",
                       {"business_date": order["business_date"],
                        "orders": [order["id"], third.json()["id"]]}, format="json")  # fmt: skip
    assert_error(refused, 400, field="orders")
    assert Delivery.objects.count() == 1


def test_a_second_quota_of_a_product_and_deleting_a_channel_with_orders_are_refused(api, sales):
    product = sales.product()
    channel = make_channel(sales)
    body_ = {"channel": channel.pk, "product": product.pk, "quantity": "3"}
    assert api.post("/api/v1/sales-channel-quotas/", body_, format="json").status_code == 201
    assert_error(api.post("/api/v1/sales-channel-quotas/", body_, format="json"), 400)
    assert ChannelQuota.objects.count() == 1
    assert api.post(URL, body(), format="json").status_code == 201
    assert_error(api.delete(f"/api/v1/sales-channels/{channel.pk}/"), 400)
    assert SalesChannel.objects.filter(pk=channel.pk).exists()
