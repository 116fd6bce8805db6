"""Webhook signatures: HMAC-SHA256 of the exact body bytes with the endpoint's secret, sent as
``X-JXC-Signature: sha256=<hex>``. A receiver recomputes it over the raw body it received and
compares in constant time."""

import hashlib
import hmac

PREFIX = "sha256="


def signature(secret: str, body: bytes) -> str:
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def is_valid_signature(secret: str, body: bytes, header: str) -> bool:
    return hmac.compare_digest(signature(secret, body), header or "")
