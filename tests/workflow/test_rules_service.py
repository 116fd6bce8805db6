"""Saving approval rules: only rules that can be evaluated, naming only this organization's
records, are stored; anything else is refused naming the field, and nothing changes."""

import pytest

from jxc.core.errors import ValidationFailed
from jxc.core.models import Role
from jxc.masterdata.models import Category
from jxc.workflow.models import ApprovalRule
from tests.conftest import make_member
from tests.masterdata.conftest import make_partner, make_warehouse
from tests.workflow.conftest import MANAGER, PURCHASE, level, role, rule, user

pytestmark = pytest.mark.django_db


def test_a_rule_is_stored_in_normal_form(org, roles, people, tray):
    partner = make_partner(org)
    saved = rule(
        org, " 大额采购 ",
        [level(MANAGER, role(roles["accountant"]), user(people.fiona), mode="all", name="财务")],
        conditions=[{"field": "amount", "operator": "between", "value": [50000, "100000.5"]},
                    {"field": "partner", "operator": "in", "value": [partner.pk]},
                    {"field": "currency", "operator": "in", "value": ["CNY"]}],
    )  # fmt: skip
    saved.refresh_from_db()
    assert saved.name == "大额采购"
    assert saved.conditions[0] == {"field": "amount", "operator": "between",
                                   "value": ["50000", "100000.5"]}  # fmt: skip
    assert saved.levels == [
        {
            "name": "财务",
            "mode": "all",
            "approvers": [
                {"type": "manager"},
                {"type": "role", "id": roles["accountant"].pk},
                {"type": "user", "id": people.fiona.pk},
            ],
        }
    ]


def refused(org, field, **data):
    base = {"name": "规则", "document_type": PURCHASE, "levels": [level(MANAGER)], **data}
    with pytest.raises(ValidationFailed) as caught:
        rule(org, base.pop("name"), base.pop("levels"), **base)
    assert caught.value.field == field, caught.value.fields
    assert not ApprovalRule.objects.exists()
    return caught.value


def test_another_organizations_records_are_unknown(org, other_org, roles, people, tray):
    foreign_partner = make_partner(other_org)
    foreign_warehouse = make_warehouse(other_org)
    foreign_category = Category.objects.create(organization=other_org, code="X", name="外")
    foreign_role = Role.objects.create(organization=other_org, code="r", name="外部角色")
    stranger = make_member(other_org, "stranger", "viewer", roles_by_code=roles)
    for name, record in (("partner", foreign_partner), ("warehouse", foreign_warehouse),
                         ("category", foreign_category)):  # fmt: skip
        refused(org, "conditions.0.value",
                conditions=[{"field": name, "operator": "in", "value": [record.pk]}])  # fmt: skip
    refused(org, "conditions.0.value",
            conditions=[{"field": "currency", "operator": "in", "value": ["XYZ"]}])  # fmt: skip
    refused(org, "levels.0.approvers.0.id", levels=[level(role(foreign_role))])
    refused(org, "levels.1.approvers.1.id",
            levels=[level(MANAGER), level(MANAGER, user(stranger))])  # fmt: skip


def test_rules_that_cannot_be_evaluated_are_refused(org, people, tray):
    refused(org, "document_type", document_type="spaceship")
    refused(org, "conditions.0.field",
            conditions=[{"field": "below_price_floor", "operator": "is", "value": True}])  # fmt: skip
    refused(org, "levels.1.approvers", levels=[level(MANAGER), level()])
    refused(org, "levels", levels=[])
    refused(org, "priority", priority=-1)
    refused(org, "priority", priority="first")
    refused(org, "description", description="说明" * 200)
    error = refused(org, "name", name="   ")
    assert error.code == "validation_error"


def test_a_bad_change_leaves_the_rule_as_it_was(org, people, tray):
    from jxc.workflow.services.rules import save_rule

    saved = rule(org, "经理", [level(MANAGER)])
    with pytest.raises(ValidationFailed):
        save_rule(organization=org, rule=saved, data={"levels": [level()], "name": "改名"})
    saved.refresh_from_db()
    assert (saved.name, saved.levels[0]["approvers"]) == ("经理", [{"type": "manager"}])


def test_rule_names_are_unique_in_an_organization(org, people, tray):
    rule(org, "经理", [level(MANAGER)])
    with pytest.raises(ValidationFailed) as caught:
        rule(org, "经理", [level(MANAGER)])
    assert caught.value.field == "name"
