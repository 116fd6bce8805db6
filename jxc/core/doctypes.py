"""Document types that take numbers from a number series.

Modules register the documents they own; the catalogue below holds the standard Chinese
documents so an organization can configure their series before the module ships.
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class DocumentType:
    code: str
    name: str | Promise
    default_pattern: str


_types: dict[str, DocumentType] = {}


def register_document_type(code: str, name, default_pattern: str) -> DocumentType:
    doc_type = DocumentType(code, name, default_pattern)
    _types[code] = doc_type
    return doc_type


def get_document_type(code: str) -> DocumentType | None:
    return _types.get(code)


def document_types() -> list[DocumentType]:
    return list(_types.values())


for _code, _name, _pattern in [
    ("purchase_request", _("Purchase request"), "QG{yyyyMMdd}-{seq:4}"),
    ("purchase_order", _("Purchase order"), "CG{yyyyMMdd}-{seq:4}"),
    ("goods_receipt", _("Goods receipt"), "RK{yyyyMMdd}-{seq:4}"),
    ("purchase_return", _("Purchase return"), "CT{yyyyMMdd}-{seq:4}"),
    ("supplier_invoice", _("Supplier invoice"), "JP{yyyyMMdd}-{seq:4}"),
    ("sales_quote", _("Sales quotation"), "BJ{yyyyMMdd}-{seq:4}"),
    ("sales_order", _("Sales order"), "XS{yyyyMMdd}-{seq:4}"),
    ("delivery", _("Delivery"), "CK{yyyyMMdd}-{seq:4}"),
    ("sales_return", _("Sales return"), "XT{yyyyMMdd}-{seq:4}"),
    ("customer_invoice", _("Customer invoice"), "KP{yyyyMMdd}-{seq:4}"),
    ("transfer", _("Stock transfer"), "DB{yyyyMMdd}-{seq:4}"),
    ("stock_count", _("Stock count"), "PD{yyyyMMdd}-{seq:4}"),
    ("payment", _("Payment"), "FK{yyyyMMdd}-{seq:4}"),
    ("receipt", _("Receipt"), "SK{yyyyMMdd}-{seq:4}"),
]:
    register_document_type(_code, _name, _pattern)
