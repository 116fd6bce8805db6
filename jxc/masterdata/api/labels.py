"""Label printing requests shared by products and locations."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from jxc.core.errors import ValidationFailed
from jxc.masterdata.services.labels import LAYOUTS, Label, render_labels


class LabelRequestSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**62),
        min_length=1,
        max_length=1000,
        label=_("records"),
    )
    layout = serializers.ChoiceField(
        choices=[(k, v.name) for k, v in LAYOUTS.items()], default="a4-3x8", label=_("layout")
    )
    copies = serializers.IntegerField(min_value=1, max_value=100, default=1, label=_("copies"))
    show_price = serializers.BooleanField(default=True, label=_("show price"))


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def product_labels(request, products) -> HttpResponse:
    body = LabelRequestSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    chosen = {p.pk: p for p in products.filter(pk__in=data["ids"]).prefetch_related("barcodes")}
    missing = [pk for pk in data["ids"] if pk not in chosen]
    if missing:
        raise ValidationFailed(_("Unknown id %(id)s.") % {"id": missing[0]}, field="ids")
    labels = []
    for pk in data["ids"]:
        product = chosen[pk]
        codes = [b.barcode for b in product.barcodes.all()]
        labels.append(
            Label(
                title=f"{product.name} {product.specification}".strip(),
                code=product.code,
                barcode=codes[0] if codes else product.code,
                price=f"¥{product.sale_price:.2f}" if data["show_price"] else "",
            )
        )
    return pdf_response(
        render_labels(labels, layout_code=data["layout"], copies=data["copies"]), "labels.pdf"
    )
