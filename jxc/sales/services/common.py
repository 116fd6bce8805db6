"""What the sales services share: settings, the availability policy, amounts of a line."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils.translation import gettext as _

from jxc.core.batch import column_types, instances, row_source, update_statement
from jxc.core.errors import ValidationFailed
from jxc.finance.domain.tax import TaxedAmount, line_tax
from jxc.sales.models import PolicyOverride, SalesSettings

ZERO = Decimal(0)
UNIT = Decimal("0.000001")
MAX_LINES = 1000
ORDER_LINE = "sales.salesorderline"  # what reservations point to
QUOTATION_LINE = "sales.salesquotationline"  # what soft reservations of quotations point to
DELIVERY_LINE = "sales.deliveryline"  # what delivery moves point to
RETURN_LINE = "sales.salesreturnline"  # what return moves point to
INVOICE = "sales.customerinvoice"
CREDIT_NOTE = "sales.creditnote"


def sales_settings(organization) -> SalesSettings:
    return SalesSettings.objects.get_or_create(organization=organization)[0]


def settings_statement(connection, organization_id: int) -> tuple:
    """The read of the organization's settings, as (SQL, parameters) to run with a hot path's
    other reads (see :mod:`jxc.core.batch`); :func:`read_settings` makes them of its rows."""
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in SalesSettings._meta.concrete_fields)
    return (
        f"SELECT {columns} FROM {quote(SalesSettings._meta.db_table)} "
        f"WHERE {quote(SalesSettings._meta.get_field('organization').column)} = %s",
        [organization_id],
    )


def read_settings(connection, organization, rows) -> SalesSettings:
    """The settings :func:`settings_statement` read (made now if the organization has none)."""
    if not rows:
        return sales_settings(organization)
    names = [f.attname for f in SalesSettings._meta.concrete_fields]
    return instances(connection, SalesSettings, names, rows)[0]


def availability_policies(organization, products, warehouse, default: str) -> dict[int, str]:
    """``availability_policy`` of each of ``products`` (by id), in one read."""
    overrides = PolicyOverride.objects.filter(
        Q(product__in=[p.pk for p in products]) | Q(warehouse=warehouse), organization=organization
    ).values_list("product_id", "availability_policy")
    return chosen_policies(overrides, products, default)


def policies_statement(connection, organization_id: int, products, warehouse_id: int) -> tuple:
    """The read of :func:`availability_policies` as (SQL, parameters), to run with a hot
    path's other statements (a confirmation's locks); :func:`chosen_policies` reads its rows."""
    quote, meta = connection.ops.quote_name, PolicyOverride._meta
    product = meta.get_field("product")
    source, params = row_source(
        connection, column_types(connection, [product]), [[p.pk] for p in products]
    )
    column = {name: quote(meta.get_field(name).column)
              for name in ("organization", "product", "warehouse", "availability_policy")}  # fmt: skip
    return (
        f"SELECT {column['product']}, {column['availability_policy']} "
        f"FROM {quote(meta.db_table)} WHERE {column['organization']} = %s "
        f"AND ({column['product']} IN ({source}) OR {column['warehouse']} = %s) "
        f"ORDER BY {quote(meta.pk.column)}",
        [organization_id, *params, warehouse_id],
    )


def chosen_policies(overrides, products, default: str) -> dict[int, str]:
    """Each product's policy from the (product_id, policy) ``overrides`` of its own and of the
    warehouse: the product's wins, then the warehouse's, then ``default``."""
    by_product = {product_id: policy for product_id, policy in overrides if product_id}
    for_warehouse = next((policy for product_id, policy in overrides if not product_id), None)
    return {p.pk: by_product.get(p.pk) or for_warehouse or default for p in products}


def line_updates(connection, model, rows: list, fields: list[str]) -> list[tuple]:
    """Statements writing ``fields`` of a document's ``rows`` (already locked or new in this
    transaction), for :func:`jxc.core.batch.run_statements`: one, or on SQLite, which binds a
    bounded number of parameters, one per few hundred rows."""
    size = (len(rows) if connection.vendor == "postgresql" else LINES_PER_STATEMENT) or 1
    return [
        update_statement(connection, model, rows[start : start + size], fields)
        for start in range(0, len(rows), size)
    ]


LINES_PER_STATEMENT = 500


def unit_price(value: Decimal) -> Decimal:
    return value.quantize(UNIT, ROUND_HALF_UP)


def positive(value, field: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value <= 0:
        raise ValidationFailed(_("The quantity must be greater than zero."), field=field)
    return value


def prorated(amount: Decimal, part: Decimal, whole: Decimal) -> Decimal:
    return (amount * part / whole).quantize(Decimal("0.01"), ROUND_HALF_UP)


def taxed_part(line, quantity: Decimal) -> TaxedAmount:
    """The amounts of ``quantity`` base units of an order line: the line's own when all of it,
    else its entered amount (inclusive or not) prorated and taxed again."""
    if quantity == line.base_quantity:
        return TaxedAmount(net=line.net_amount, tax=line.tax_amount, gross=line.gross_amount)
    basis = line.gross_amount if line.tax_included else line.net_amount
    return line_tax(
        prorated(basis, quantity, line.base_quantity), line.tax_percent, inclusive=line.tax_included
    )
