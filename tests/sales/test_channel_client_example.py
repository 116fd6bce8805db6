"""examples/channel_client.py against a running server: token auth, the order created, the
same order answered on a retry, a changed body refused."""

import importlib.util
from pathlib import Path

import pytest

from jxc.core.services.tokens import create_api_token
from jxc.sales.models import SalesOrder
from tests.sales.test_channels import make_channel

pytestmark = pytest.mark.django_db(transaction=True)
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "channel_client.py"


def test_the_example_client_sends_a_channel_order_once(live_server, sales, capsys):
    spec = importlib.util.spec_from_file_location("channel_client", EXAMPLE)
    client = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(client)
    product = sales.product("P-1001", barcodes=[{"barcode": "6901234567892"}])
    sales.receive(product, 10, "50")
    make_channel(sales)
    _token, key = create_api_token(organization=sales.org, user=sales.user, name="shop")
    client.BASE, client.TOKEN = live_server.url, key
    first = client.send(client.ORDER)
    again = client.send(client.ORDER)
    assert first["id"] == again["id"]
    assert first["state"] == "approved"
    assert "already received" in capsys.readouterr().out
    with pytest.raises(SystemExit, match="409"):
        client.send({**client.ORDER, "shipping_address": "北京"})
    assert SalesOrder.objects.count() == 1
