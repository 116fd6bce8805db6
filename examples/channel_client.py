#!/usr/bin/env python3
"""Send one channel order (多渠道订单) to JXC, idempotently, with only the standard library.

    JXC_URL=http://127.0.0.1:8000 JXC_TOKEN=jxc_... python3 examples/channel_client.py

The token comes from 设置 → API 令牌 (``POST /api/v1/api-tokens/`` answers it once); it fixes the
organization, so no ``X-Organization`` header is needed. The channel (``TMALL`` here) is set up
under 销售 → 销售渠道 with its default customer and warehouse.

Safe to run again: the same ``channel_order_id`` with the same body answers the order made the
first time (200, header ``Channel-Order-Replayed: true``); a changed body under the same id is
refused with 409 naming ``channel_order_id``. A network error or a 5xx is therefore retried with
the very same body. Errors always have the body ``{"code", "message", "fields"}``, ``fields``
naming the line and field at fault, e.g. ``lines.0.product_code``.
"""

import json
import os
import sys
import time
import urllib.error
import urllib.request

BASE = os.environ.get("JXC_URL", "http://127.0.0.1:8000").rstrip("/")
TOKEN = os.environ.get("JXC_TOKEN", "")

ORDER = {
    "channel": "TMALL",
    "channel_order_id": "T20261127-000123",
    "shipping_address": "上海市浦东新区张江路 88 号 王小姐 13800000000",
    "confirm": True,  # reserve the stock now (within the channel's quota)
    "lines": [
        {"product_code": "P-1001", "quantity": "2"},
        {"barcode": "6901234567892", "quantity": "1", "unit_price": "59.90"},
    ],
}


def post(path: str, body: dict) -> tuple[int, dict, dict]:
    request = urllib.request.Request(
        f"{BASE}/api/v1/{path}",
        data=json.dumps(body).encode(),
        method="POST",
        headers={
            "Authorization": f"Token {TOKEN}",
            "Content-Type": "application/json",
            "Accept-Language": "zh-hans",  # errors in Chinese; "en" for English
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.load(error)


def send(order: dict, attempts: int = 5) -> dict:
    """The order's sales order; retries what may not have arrived, with the same body."""
    for attempt in range(attempts):
        try:
            status, headers, body = post("sales/channel-orders/", order)
        except (urllib.error.URLError, TimeoutError) as error:
            print(f"no answer ({error}), retrying", file=sys.stderr)
        else:
            if status in (200, 201):
                replayed = headers.get("Channel-Order-Replayed") == "true"
                print(
                    ("already received: " if replayed else "created: ")
                    + (body["number"] or f"#{body['id']}")
                )
                return body
            if status < 500:  # 400 bad input, 409 another body under this id: do not retry
                raise SystemExit(f"refused ({status}): {body['message']} {body['fields']}")
            print(f"server error {status}, retrying", file=sys.stderr)
        time.sleep(2**attempt)
    raise SystemExit("gave up")


if __name__ == "__main__":
    if not TOKEN:
        raise SystemExit("set JXC_TOKEN (设置 → API 令牌)")
    order = send(ORDER)
    print(
        json.dumps(
            {k: order[k] for k in ("id", "number", "state", "channel_order_id")}, ensure_ascii=False
        )
    )
