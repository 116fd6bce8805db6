"""What each importable list reads from a row, and how it writes the checked rows.

An importer turns mapped cell values into field data (``parse_row``), checks a row against the
rest of the organization and the file (``prepare``), and writes all prepared rows at once
(``write``). Lookups are loaded once per run, so checking 100,000 rows costs no query per row.
"""

from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jxc.core.errors import ValidationFailed
from jxc.masterdata.domain.codes import barcode_symbology
from jxc.masterdata.imports.columns import (
    Column,
    boolean,
    choice,
    date,
    decimal,
    integer,
    reference,
    text,
)
from jxc.masterdata.models import (
    Category,
    Currency,
    CustomFieldDefinition,
    ExchangeRate,
    Partner,
    Product,
    ProductBarcode,
    ProductUnit,
    TaxRate,
    Unit,
)
from jxc.masterdata.services.custom_fields import clean_value
from jxc.masterdata.services.partners import prepare_partner
from jxc.masterdata.services.products import PRODUCT_FIELDS, prepare_product


class RowError(Exception):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


def _by_code_and_name(queryset, *names):
    lookup = {}
    for obj in queryset:
        for name in names:
            value = getattr(obj, name, "")
            if value:
                lookup.setdefault(str(value).strip().lower(), obj)
    return lookup


class Importer:
    target = ""
    model = None
    label = gettext_lazy("records")
    columns: list[Column] = []
    custom_target: str | None = None

    def __init__(self, organization):
        self.organization = organization
        self.custom_definitions = (
            list(
                CustomFieldDefinition.objects.filter(
                    organization=organization, target=self.custom_target, is_active=True
                )
            )
            if self.custom_target
            else []
        )
        self.ctx: dict = {}

    def all_columns(self) -> list[Column]:
        custom = [Column(f"custom.{d.key}", (d.label, d.key)) for d in self.custom_definitions]
        return [*self.columns, *custom]

    def load(self) -> None:
        """Read the lookups the rows need (once per run)."""
        self.ctx["existing"] = {
            obj.code.lower(): obj
            for obj in self.model.objects.filter(organization=self.organization)
        }

    def parse_row(self, raw: dict) -> dict:
        data, custom = {}, {}
        definitions = {f"custom.{d.key}": d for d in self.custom_definitions}
        for column in self.all_columns():
            if column.field not in raw:
                continue
            value = raw[column.field]
            if value is None:
                if column.required:
                    raise RowError(column.field, _("This field is required."))
                continue
            try:
                if column.field in definitions:
                    custom[column.field[7:]] = clean_value(definitions[column.field], value)
                else:
                    data[column.field] = column.parse(value, self.ctx)
            except ValueError as exc:
                raise RowError(column.field, str(exc)) from None
        if custom:
            data["custom"] = custom
        return data

    def prepare(self, data: dict, seen: dict):
        raise NotImplementedError

    def check_all(self, prepared: list) -> list[tuple[int, str, str]]:
        """Rules across rows, after every row was prepared: (row, field, message) errors."""
        return []

    def write(self, prepared: list) -> tuple[list, list]:
        """Write the prepared items; returns (created, updated)."""
        raise NotImplementedError

    def _claim_code(self, data: dict, seen: dict):
        code = data.get("code")
        if not code:
            raise RowError("code", _("This field is required."))
        if code.lower() in seen:
            raise RowError(
                "code",
                _("Code “%(code)s” appears twice in the file (row %(row)s).")
                % {"code": code, "row": seen[code.lower()]},
            )
        seen[code.lower()] = seen["__row__"]
        return self.ctx["existing"].get(code.lower())


def _units_cell(value, ctx):
    """``箱=12; 盒=6`` → [{"unit": Unit, "factor": Decimal}]."""
    lines = []
    for part in str(value).replace("；", ";").replace(",", ";").split(";"):
        if not part.strip():
            continue
        name, sep, factor = part.partition("=")
        if not sep:
            raise ValueError(_("Write alternative units as 箱=12; 盒=6."))
        unit = ctx["units"].get(name.strip().lower())
        if unit is None:
            raise ValueError(_("Unknown unit “%(value)s”.") % {"value": name.strip()})
        lines.append({"unit": unit, "factor": decimal(6, Decimal("0.000001"), 10**9)(factor, ctx)})
    return lines


def _barcodes_cell(value, ctx):
    if isinstance(value, float | int):
        value = str(int(value))
    codes = [c.strip() for c in str(value).replace("；", ";").replace(",", ";").split(";")]
    return [c for c in codes if c]


class ProductImporter(Importer):
    target = "products"
    model = Product
    label = gettext_lazy("products")
    custom_target = "product"
    columns = [
        Column(
            "code", ("商品编码", "编码", "code", "sku", "product code"), text(40), True, "SP0001"
        ),
        Column(
            "name", ("商品名称", "名称", "name", "product name"), text(128), True, "可口可乐 330ml"
        ),
        Column(
            "specification",
            ("规格型号", "规格", "specification", "spec", "model"),
            text(128),
            example="330ml×24",
        ),
        Column(
            "category",
            ("商品分类", "分类", "类别", "category", "分类名称", "category name"),
            reference("categories", gettext_lazy("category")),
            example="饮料",
        ),
        Column("brand", ("品牌", "brand"), text(64), example="可口可乐"),
        Column(
            "base_unit",
            ("基本单位", "单位", "base unit", "unit", "基本单位名称", "base unit name"),
            reference("units", gettext_lazy("unit")),
            True,
            "个",
        ),
        Column("units", ("辅助单位", "alternative units"), _units_cell, example="箱=24"),
        Column(
            "barcodes",
            ("条码", "条形码", "barcode", "barcodes"),
            _barcodes_cell,
            example="6901234567892",
        ),
        Column("pinyin", ("助记码", "mnemonic code", "pinyin"), text(128)),
        Column(
            "tax_rate",
            ("税率", "tax rate"),
            reference("tax_rates", gettext_lazy("tax rate")),
            example="13%",
        ),
        Column(
            "costing_method",
            ("计价方法", "costing method"),
            choice(Product.CostingMethod.choices),
            example="移动加权平均",
        ),
        Column(
            "tracking",
            ("跟踪方式", "批次序列号管理", "tracking"),
            choice(Product.Tracking.choices),
            example="无",
        ),
        Column(
            "shelf_life_days",
            ("保质期(天)", "保质期", "shelf life (days)", "shelf life"),
            integer(0, 36500),
        ),
        Column("safety_stock", ("安全库存", "safety stock"), decimal(4)),
        Column("reorder_point", ("再订货点", "reorder point"), decimal(4)),
        Column("reorder_quantity", ("再订货量", "reorder quantity"), decimal(4)),
        Column("max_stock", ("最高库存", "maximum stock"), decimal(4)),
        Column(
            "default_supplier",
            ("默认供应商", "default supplier", "默认供应商名称", "default supplier name"),
            reference("suppliers", gettext_lazy("supplier")),
        ),
        Column("purchase_price", ("采购价", "进价", "purchase price"), decimal(6), example="2.10"),
        Column(
            "sale_price", ("销售价", "售价", "零售价", "sale price"), decimal(6), example="3.50"
        ),
        Column("price_floor", ("最低售价", "price floor"), decimal(6), example="3.00"),
        Column("allow_negative_stock", ("允许负库存", "allow negative stock"), boolean),
        Column("is_active", ("启用", "是否启用", "active"), boolean),
    ]

    def load(self):
        super().load()
        org = self.organization
        self.ctx["units"] = _by_code_and_name(Unit.objects.filter(organization=org), "code", "name")
        self.ctx["categories"] = _by_code_and_name(
            Category.objects.filter(organization=org), "code", "name"
        )
        taxes = TaxRate.objects.filter(organization=org)
        self.ctx["tax_rates"] = _by_code_and_name(taxes, "code", "name")
        for tax in taxes.filter(is_levy_rate=False):
            rate = f"{tax.rate.normalize():f}"
            self.ctx["tax_rates"].setdefault(f"{rate}%", tax)
            self.ctx["tax_rates"].setdefault(rate, tax)
            self.ctx["tax_rates"].setdefault(f"{(tax.rate / 100).normalize():f}", tax)
        self.ctx["suppliers"] = _by_code_and_name(
            Partner.objects.filter(organization=org, is_supplier=True), "code", "name"
        )
        self.ctx["barcodes"] = dict(
            ProductBarcode.objects.filter(organization=org).values_list("barcode", "product__code")
        )

    def prepare(self, data, seen):
        existing = self._claim_code(data, seen)
        product = existing or Product(organization=self.organization)
        barcodes = data.pop("barcodes", None)
        units = data.pop("units", None)
        code = data["code"].lower()
        for barcode in barcodes or []:
            if barcode_symbology(barcode) is None:
                raise RowError(
                    "barcodes", _("“%(code)s” is not a valid barcode.") % {"code": barcode[:48]}
                )
            owner = self.ctx["barcodes"].get(barcode)
            if owner is not None and owner.lower() != code:
                raise RowError(
                    "barcodes",
                    _("Barcode “%(code)s” already belongs to product %(owner)s.")
                    % {"code": barcode, "owner": owner},
                )
            self.ctx["barcodes"][barcode] = data["code"]
        for line in units or []:
            if line["unit"] == data.get("base_unit", getattr(product, "base_unit", None)):
                raise RowError("units", _("The base unit cannot also be an alternative unit."))
        try:
            prepare_product(
                product, data, definitions=self.custom_definitions, barcodes=barcodes or []
            )
        except ValidationFailed as exc:
            raise RowError(exc.field or "code", str(exc.message)) from None
        return product, barcodes, units

    def write(self, prepared):
        new = [p for p, _b, _u in prepared if p.pk is None]
        old = [p for p, _b, _u in prepared if p.pk is not None]
        Product.objects.bulk_create(new, batch_size=1000)
        fields = [f for f in PRODUCT_FIELDS if f != "code"] + ["custom", "search_text"]
        Product.objects.bulk_update(old, fields, batch_size=1000)
        with_barcodes = [(p, b) for p, b, _u in prepared if b is not None]
        ProductBarcode.objects.filter(
            product__in=[p.pk for p, _b in with_barcodes if p in old]
        ).delete()
        ProductBarcode.objects.bulk_create(
            [
                ProductBarcode(
                    organization=self.organization,
                    product=p,
                    barcode=code,
                    symbology=barcode_symbology(code),
                )
                for p, codes in with_barcodes
                for code in codes
            ],
            batch_size=2000,
        )
        with_units = [(p, u) for p, _b, u in prepared if u is not None]
        ProductUnit.objects.filter(product__in=[p.pk for p, _u in with_units if p in old]).delete()
        ProductUnit.objects.bulk_create(
            [
                ProductUnit(product=p, unit=line["unit"], factor=line["factor"])
                for p, lines in with_units
                for line in lines
            ],
            batch_size=2000,
        )
        return new, old


class PartnerImporter(Importer):
    target = "partners"
    model = Partner
    label = gettext_lazy("partners")
    custom_target = "partner"
    columns = [
        Column("code", ("往来单位编码", "编码", "code"), text(40), True, "KH0001"),
        Column("name", ("往来单位名称", "名称", "name"), text(128), True, "上海示例商贸有限公司"),
        Column("short_name", ("简称", "short name"), text(64), example="示例商贸"),
        Column("is_supplier", ("供应商", "是否供应商", "supplier"), boolean, example="否"),
        Column("is_customer", ("客户", "是否客户", "customer"), boolean, example="是"),
        Column("customer_group", ("客户分组", "customer group"), text(32)),
        Column("credit_code", ("统一社会信用代码", "信用代码", "credit code"), text(18)),
        Column("invoice_address", ("开票地址", "invoice address"), text(255)),
        Column("invoice_phone", ("开票电话", "invoice phone"), text(32)),
        Column("bank_name", ("开户银行", "bank"), text(128)),
        Column("bank_account", ("银行账号", "bank account"), text(64)),
        Column(
            "payment_terms", ("付款条件", "payment terms"), choice(Partner.PaymentTerms.choices)
        ),
        Column("payment_days", ("账期天数", "payment days"), integer(0, 365)),
        Column("credit_limit", ("信用额度", "credit limit"), decimal(2)),
        Column("opening_receivable", ("期初应收", "opening receivable"), decimal(2, -(10**12))),
        Column("opening_payable", ("期初应付", "opening payable"), decimal(2, -(10**12))),
        Column("is_active", ("启用", "active"), boolean),
    ]

    def prepare(self, data, seen):
        existing = self._claim_code(data, seen)
        partner = existing or Partner(organization=self.organization)
        try:
            prepare_partner(partner, data, definitions=self.custom_definitions)
        except ValidationFailed as exc:
            raise RowError(exc.field or "code", str(exc.message)) from None
        return partner

    def write(self, prepared):
        new = [p for p in prepared if p.pk is None]
        old = [p for p in prepared if p.pk is not None]
        Partner.objects.bulk_create(new, batch_size=1000)
        fields = [c.field for c in self.columns if c.field != "code"] + [
            "custom",
            "search_text",
            "pinyin",
        ]
        Partner.objects.bulk_update(old, sorted(set(fields)), batch_size=1000)
        return new, old


class CategoryImporter(Importer):
    target = "categories"
    model = Category
    label = gettext_lazy("product categories")
    columns = [
        Column("code", ("分类编码", "编码", "code"), text(32), True, "YL"),
        Column("name", ("分类名称", "名称", "name"), text(64), True, "饮料"),
        Column("parent", ("上级分类", "parent category", "parent"), text(32)),
        Column("is_active", ("启用", "active"), boolean),
    ]

    def prepare(self, data, seen):
        existing = self._claim_code(data, seen)
        category = existing or Category(organization=self.organization)
        parent = data.pop("parent", None)
        for field, value in data.items():
            setattr(category, field, value)
        category._import_parent = parent
        return category

    def check_all(self, prepared):
        known = set(self.ctx["existing"]) | {c.code.lower() for _row, c in prepared}
        return [
            (row, "parent", _("Unknown parent category “%(code)s”.") % {"code": c._import_parent})
            for row, c in prepared
            if c._import_parent
            and (
                c._import_parent.lower() not in known or c._import_parent.lower() == c.code.lower()
            )
        ]

    def write(self, prepared):
        new = [c for c in prepared if c.pk is None]
        old = [c for c in prepared if c.pk is not None]
        Category.objects.bulk_create(new)
        Category.objects.bulk_update(old, ["name", "is_active"])
        by_code = {
            c.code.lower(): c for c in Category.objects.filter(organization=self.organization)
        }
        for category in prepared:
            parent_code = getattr(category, "_import_parent", None)
            if parent_code:
                parent = by_code.get(parent_code.lower())
                category.parent = parent  # existence was checked by check_all
        Category.objects.bulk_update(
            [c for c in prepared if getattr(c, "_import_parent", None)], ["parent"]
        )
        return new, old


class ExchangeRateImporter(Importer):
    """Rates by currency and date; a rate already entered for that day is replaced."""

    target = "exchange_rates"
    model = ExchangeRate
    label = gettext_lazy("exchange rates")
    columns = [
        Column(
            "currency",
            ("币种", "currency"),
            reference("currencies", gettext_lazy("currency")),
            True,
            "USD",
        ),
        Column("date", ("日期", "date"), date, True, "2026-11-26"),
        Column("rate", ("汇率", "rate"), decimal(8, Decimal("0.00000001"), 10**9), True, "7.1234"),
    ]

    def load(self):
        self.ctx["currencies"] = _by_code_and_name(
            Currency.objects.filter(organization=self.organization, is_base=False), "code", "name"
        )
        self.ctx["existing"] = {
            (r.currency_id, r.date): r
            for r in ExchangeRate.objects.filter(organization=self.organization)
        }

    def prepare(self, data, seen):
        key = (data["currency"].pk, data["date"])
        if key in seen:
            raise RowError(
                "date",
                _("This currency and date appear twice in the file (row %(row)s).")
                % {"row": seen[key]},
            )
        seen[key] = seen["__row__"]
        rate = self.ctx["existing"].get(key) or ExchangeRate(
            organization=self.organization, currency=data["currency"], date=data["date"]
        )
        rate.rate = data["rate"]
        return rate

    def write(self, prepared):
        new = [r for r in prepared if r.pk is None]
        old = [r for r in prepared if r.pk is not None]
        ExchangeRate.objects.bulk_create(new, batch_size=2000)
        ExchangeRate.objects.bulk_update(old, ["rate"], batch_size=2000)
        return new, old


IMPORTERS = {
    cls.target: cls
    for cls in (ProductImporter, PartnerImporter, CategoryImporter, ExchangeRateImporter)
}
