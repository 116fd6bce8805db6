import pytest

from jxc.masterdata.models import Unit, Warehouse
from jxc.masterdata.services.locations import save_warehouse
from jxc.masterdata.services.partners import save_partner
from jxc.masterdata.services.products import save_product


def unit(org, code):
    return Unit.objects.get(organization=org, code=code)


@pytest.fixture
def pcs(org):
    return unit(org, "PCS")


@pytest.fixture
def box(org):
    return unit(org, "BOX")


def make_product(org, code="P1", name="螺丝刀", **data):
    data.setdefault("base_unit", unit(org, "PCS"))
    return save_product(organization=org, data={"code": code, "name": name, **data})


def make_partner(org, code="S1", name="上海供应商有限公司", **data):
    data.setdefault("is_supplier", True)
    return save_partner(organization=org, data={"code": code, "name": name, **data})


def make_warehouse(org, code="WH1", name="一号仓") -> Warehouse:
    return save_warehouse(organization=org, data={"code": code, "name": name})
