from jxc.masterdata.models.custom_fields import CustomFieldDefinition
from jxc.masterdata.models.imports import ImportJob
from jxc.masterdata.models.locations import Location, Warehouse
from jxc.masterdata.models.partners import Partner, PartnerAddress, PartnerContact
from jxc.masterdata.models.prices import PriceList, PriceListItem
from jxc.masterdata.models.products import (
    Category,
    Product,
    ProductBarcode,
    ProductImage,
    ProductUnit,
)
from jxc.masterdata.models.reference import Currency, ExchangeRate, TaxRate, Unit

__all__ = [
    "Category",
    "Currency",
    "CustomFieldDefinition",
    "ExchangeRate",
    "ImportJob",
    "Location",
    "Partner",
    "PartnerAddress",
    "PartnerContact",
    "PriceList",
    "PriceListItem",
    "Product",
    "ProductBarcode",
    "ProductImage",
    "ProductUnit",
    "TaxRate",
    "Unit",
    "Warehouse",
]
