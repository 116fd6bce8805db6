"""The sales channel as a dimension of the sales reports: the summary and the gross profit
grouped by channel (orders taken directly together, with a blank name), the channel of each
line in the detail, and both through the API."""

from decimal import Decimal

import pytest

from jxc.sales.models import SalesOrder
from jxc.sales.reports import Filters, gross_profit, sales_detail, sales_summary
from tests.sales.test_channels import make_channel

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def channelled(sales):
    """2 delivered through the 天猫 channel's order, 3 through a direct order, at 113."""
    product = sales.product()
    sales.receive(product, 10, "50")
    channel = make_channel(sales)
    online = sales.confirmed([(product, 2)])
    SalesOrder.objects.filter(pk=online.pk).update(channel=channel, channel_order_id="T-1")
    direct = sales.confirmed([(product, 3)])
    sales.deliver([(online.lines.get(), 2)])
    sales.deliver([(direct.lines.get(), 3)])
    return channel


def test_summary_and_profit_group_by_channel(sales, channelled):
    rows = {row["code"]: row for row in sales_summary(sales.org, Filters(), group_by="channel")}
    assert set(rows) == {"", "TMALL"}
    assert (rows["TMALL"]["name"], rows["TMALL"]["quantity"], rows["TMALL"]["total"]) == (
        "天猫旗舰店", D("2"), D("226.00"))  # fmt: skip
    assert (rows[""]["quantity"], rows[""]["total"]) == (D("3"), D("339.00"))
    profit = {row["code"]: row for row in gross_profit(sales.org, Filters(), group_by="channel")}
    assert profit["TMALL"]["cost"] == D("100.00")
    assert profit["TMALL"]["profit"] == D("100.00")  # 200 before tax − 2 × 50


def test_detail_names_each_lines_channel(sales, channelled):
    names = sorted(row["channel_name"] for row in sales_detail(sales.org, Filters()))
    assert names == ["", "天猫旗舰店"]


def test_channel_grouping_through_the_api(api, sales, channelled):
    summary = api.get("/api/v1/sales-summary/", {"group_by": "channel"})
    assert summary.status_code == 200, summary.content
    assert {row["name"] for row in summary.json()["rows"]} == {"", "天猫旗舰店"}
    detail = api.get("/api/v1/sales-detail/")
    assert {row["channel_name"] for row in detail.json()["rows"]} == {"", "天猫旗舰店"}
    refused = api.get("/api/v1/sales-summary/", {"group_by": "galaxy"})
    assert refused.status_code == 400
    assert "group_by" in refused.json()["fields"]


# --- the channel filter ------------------------------------------------------------------------


def test_every_report_narrows_to_one_channel(sales, channelled):
    from jxc.sales.reports import backorders, order_execution

    only = Filters(channel_id=channelled.pk)
    [row] = sales_summary(sales.org, only, group_by="customer")
    assert (row["quantity"], row["total"]) == (D("2"), D("226.00"))
    assert [r["channel_name"] for r in sales_detail(sales.org, only)] == ["天猫旗舰店"]
    [profit] = gross_profit(sales.org, only, group_by="product")
    assert (profit["quantity"], profit["cost"]) == (D("2"), D("100.00"))
    [line] = order_execution(sales.org, only)
    assert (line["ordered"], line["delivered"]) == (D("2"), D("2"))
    assert backorders(sales.org, only) == []
    # everything, without the filter
    assert len(order_execution(sales.org, Filters())) == 2


@pytest.mark.parametrize(
    "url", ["sales-summary", "sales-detail", "sales-gross-profit", "sales-order-execution",
            "sales-backorders"],
)  # fmt: skip
def test_the_channel_filter_through_the_api(api, sales, channelled, url):
    answer = api.get(f"/api/v1/{url}/", {"channel": channelled.pk})
    assert answer.status_code == 200, answer.content
    rows = answer.json()["rows"]
    everything = api.get(f"/api/v1/{url}/").json()["rows"]
    if url == "sales-backorders":
        assert rows == everything == []
    elif url in ("sales-summary", "sales-gross-profit"):  # one customer, one product
        assert [r["quantity"] for r in rows] == ["2.0000"]
        assert [r["quantity"] for r in everything] == ["5.0000"]
    else:
        assert (len(rows), len(everything)) == (1, 2)


def test_an_unknown_or_foreign_channel_is_refused_naming_it(api, sales, channelled, other_org):
    from tests.conftest import client_for, make_member
    from tests.helpers import assert_error
    from tests.sales.conftest import Sales

    foreign = make_channel(Sales(other_org, None))
    for value in (foreign.pk, 999999999, "x", "-1", "1.5"):
        for url in ("sales-summary", "sales-detail", "sales-gross-profit",
                    "sales-order-execution"):  # fmt: skip
            assert_error(api.get(f"/api/v1/{url}/", {"channel": value}), 400, field="channel")
    zh = client_for(make_member(sales.org, "zoe", "admin"), sales.org, language="zh-hans")
    refused = assert_error(zh.get("/api/v1/sales-summary/", {"channel": foreign.pk}), 400,
                           field="channel")  # fmt: skip
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(refused["fields"]["channel"]))
