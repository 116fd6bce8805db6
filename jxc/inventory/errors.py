from django.utils.translation import gettext as _

from jxc.core.errors import DomainError


class InsufficientStock(DomainError):
    """Availability would go negative: names the product, what was asked and what is there."""

    code = "insufficient_stock"

    def __init__(self, *, product, requested, available, field: str | None = None):
        self.product, self.requested, self.available = product, requested, available
        super().__init__(
            _(
                "Insufficient stock for %(product)s: requested %(requested)s, available "
                "%(available)s."
            )
            % {
                "product": f"{product.code} {product.name}",
                "requested": _plain(requested),
                "available": _plain(available),
            },
            field=field,
            code=self.code,
        )


def _plain(number) -> str:
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
