from jxc.inventory.models.documents import (
    StockCount,
    StockCountLine,
    StockDocument,
    StockDocumentLine,
    StockFreeze,
)
from jxc.inventory.models.ledger import (
    CostLayer,
    Lot,
    ProductValuation,
    Reservation,
    SerialNumber,
    StockBalance,
    StockMonthClose,
    StockMove,
    WarehouseStock,
)

__all__ = [
    "CostLayer",
    "Lot",
    "ProductValuation",
    "Reservation",
    "SerialNumber",
    "StockBalance",
    "StockCount",
    "StockCountLine",
    "StockDocument",
    "StockDocumentLine",
    "StockFreeze",
    "StockMonthClose",
    "StockMove",
    "WarehouseStock",
]
