"""What purchasing adds to finance's month-end close: goods received before the period that
are still neither invoiced nor returned (their 暂估 has stayed unreversed for more than a
month), listed so the accountant chases the invoices before closing."""

from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.core.states import DocumentState as S
from jxc.finance.closing import CloseCheck, register_close_check
from jxc.purchasing.models import GoodsReceiptLine


def check_old_estimates(organization, period) -> list[dict]:
    lines = (
        GoodsReceiptLine.objects.filter(
            receipt__organization=organization,
            receipt__state=S.DONE,
            receipt__business_date__lt=period.start,
        )
        .filter(invoiced_quantity__lt=F("base_quantity") - F("returned_quantity"))
        .select_related("receipt", "product")
        .order_by("receipt__business_date", "receipt_id", "position")
    )
    return [
        {
            "message": _(
                "Receipt %(number)s of %(date)s: %(product)s is not invoiced yet (暂估 not reversed)."
            )
            % {
                "number": line.receipt.number,
                "date": line.receipt.business_date.isoformat(),
                "product": line.product.name,
            },
            "receipt": line.receipt_id,
        }
        for line in lines[:100]
    ]


def register_purchasing_close() -> None:
    register_close_check(
        CloseCheck(
            "purchase_estimates",
            gettext_lazy("No goods received before the period are left uninvoiced"),
            check_old_estimates,
        )
    )
