"""Receipt tolerances through the API: a second default, or a second tolerance for the same
product or supplier, is refused with a message naming what clashes, never "None"."""

import pytest
from django.utils import translation

from jxc.purchasing.models import InvoiceTolerance, ReceiptTolerance
from tests.conftest import client_for
from tests.helpers import assert_error

pytestmark = pytest.mark.django_db

URL = "/api/v1/receipt-tolerances/"


def test_a_second_default_names_the_default(api, world):
    assert api.post(URL, {"percent": "5"}, format="json").status_code == 201
    body = assert_error(api.post(URL, {"percent": "7"}, format="json"), 400, field="supplier")
    assert body["message"] == "The default over-receipt tolerance exists already."
    assert "None" not in str(body)
    assert ReceiptTolerance.objects.get().percent == 5


def test_a_second_tolerance_of_a_supplier_or_product_names_them(api, world):
    product = world.product()
    for data in (
        {"supplier": world.vendor.pk},
        {"product": product.pk},
        {"supplier": world.vendor.pk, "product": product.pk},
    ):
        assert api.post(URL, {**data, "percent": "5"}, format="json").status_code == 201
    supplier_only = api.post(URL, {"supplier": world.vendor.pk, "percent": "9"}, format="json")
    assert assert_error(supplier_only, 400, field="supplier")["message"] == (
        "The over-receipt tolerance for supplier “S1 上海供应商有限公司” exists already."
    )
    product_only = assert_error(
        api.post(URL, {"product": product.pk, "percent": "9"}, format="json"), 400, field="product"
    )
    assert (
        product_only["message"]
        == "The over-receipt tolerance for product “P1 商品P1” exists already."
    )
    both = api.post(
        URL, {"product": product.pk, "supplier": world.vendor.pk, "percent": "9"}, format="json"
    )
    assert assert_error(both, 400, field="supplier")["message"] == (
        "The over-receipt tolerance for product “P1 商品P1” and supplier “S1 上海供应商有限公司”"
        " exists already."
    )
    assert sorted(ReceiptTolerance.objects.values_list("percent", flat=True)) == [5, 5, 5]


@translation.override("zh-hans")
def test_the_clash_is_translated(api, world, org, admin_user):
    assert api.post(URL, {"percent": "5"}, format="json").status_code == 201
    assert (
        api.post(URL, {"supplier": world.vendor.pk, "percent": "5"}, format="json").status_code
        == 201
    )
    zh = client_for(admin_user, org, language="zh-hans")
    default = zh.post(URL, {"percent": "7"}, format="json")
    assert assert_error(default, 400)["message"] == "默认的超收容差已存在。"
    supplier = zh.post(URL, {"supplier": world.vendor.pk, "percent": "7"}, format="json")
    assert (
        assert_error(supplier, 400)["message"] == "供应商“S1 上海供应商有限公司”的超收容差已存在。"
    )


def test_a_second_default_invoice_tolerance_names_the_default(api, world):
    url = "/api/v1/invoice-tolerances/"
    assert api.post(url, {"price_percent": "2"}, format="json").status_code == 201
    body = assert_error(api.post(url, {"price_percent": "3"}, format="json"), 400, field="supplier")
    assert body["message"] == "The default invoice tolerance exists already."
    assert InvoiceTolerance.objects.count() == 1
