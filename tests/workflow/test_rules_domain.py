"""Rule conditions, matching and levels in pure code (no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jxc.core.errors import ValidationFailed
from jxc.workflow.domain.levels import (
    APPROVED,
    PENDING,
    REJECTED,
    SKIPPED,
    level_outcome,
    parse_levels,
)
from jxc.workflow.domain.rules import (
    CONDITION_FIELDS,
    DocumentFacts,
    RuleSpec,
    matching_rule,
    parse_conditions,
)

ALL_FIELDS = tuple(CONDITION_FIELDS)


def conditions(*items):
    return parse_conditions(
        [dict(zip(("field", "operator", "value"), i, strict=True)) for i in items], ALL_FIELDS
    )


def holds(facts, *items) -> bool:
    return all(c.holds(facts) for c in conditions(*items))


@pytest.mark.parametrize(
    ("item", "facts", "expected"),
    [
        (("amount", "lte", "50000"), DocumentFacts(amount=Decimal("50000")), True),
        (("amount", "lte", "50000"), DocumentFacts(amount=Decimal("50000.01")), False),
        (("amount", "gt", "50000"), DocumentFacts(amount=Decimal("50000.01")), True),
        (("amount", "gte", 100), DocumentFacts(amount=Decimal("99.99")), False),
        (("amount", "lt", 100.5), DocumentFacts(amount=Decimal("100.49")), True),
        (("amount", "between", ["100", "200"]), DocumentFacts(amount=Decimal("200")), True),
        (("amount", "between", ["100", "200"]), DocumentFacts(amount=Decimal("99")), False),
        (("amount", "gte", "0"), DocumentFacts(), False),  # no amount: not satisfied
        (("currency", "in", ["USD", "EUR"]), DocumentFacts(currency="USD"), True),
        (("currency", "not_in", ["CNY"]), DocumentFacts(currency="CNY"), False),
        (("currency", "not_in", ["CNY"]), DocumentFacts(currency=""), False),
        (("partner", "in", [3, 4]), DocumentFacts(partner=4), True),
        (("partner", "not_in", [3, 4]), DocumentFacts(partner=5), True),
        (("partner", "in", [3]), DocumentFacts(), False),
        (("warehouse", "in", [1]), DocumentFacts(warehouse=1), True),
        (("category", "in", [7, 8]), DocumentFacts(categories=frozenset({1, 8})), True),
        (("category", "in", [7]), DocumentFacts(categories=frozenset({1, 8})), False),
        (("category", "not_in", [7]), DocumentFacts(categories=frozenset({1, 8})), True),
        (("category", "not_in", [8]), DocumentFacts(categories=frozenset({1, 8})), False),
        (("discount_rate", "lt", "85"), DocumentFacts(discount_rate=Decimal("80")), True),
        (("discount_rate", "lt", "85"), DocumentFacts(discount_rate=Decimal("85")), False),
        (("below_price_floor", "is", True), DocumentFacts(below_price_floor=True), True),
        (("below_price_floor", "is", True), DocumentFacts(), False),
        (("credit_limit_exceeded", "is", False), DocumentFacts(), True),
    ],
)
def test_a_condition_holds_exactly_when_the_document_meets_it(item, facts, expected):
    assert holds(facts, item) is expected


@pytest.mark.parametrize(
    ("raw", "offered", "path"),
    [
        ("amount > 5", ALL_FIELDS, "conditions"),
        ([{"field": "colour", "operator": "in", "value": ["red"]}], ALL_FIELDS, "conditions.0.field"),
        ([{"field": "discount_rate", "operator": "lt", "value": "5"}], ("amount",),
         "conditions.0.field"),
        ([{"field": "amount", "operator": "in", "value": [1]}], ALL_FIELDS, "conditions.0.operator"),
        ([{"field": "amount", "operator": "gt", "value": "lots"}], ALL_FIELDS, "conditions.0.value"),
        ([{"field": "amount", "operator": "gt", "value": True}], ALL_FIELDS, "conditions.0.value"),
        ([{"field": "amount", "operator": "gt", "value": "NaN"}], ALL_FIELDS, "conditions.0.value"),
        ([{"field": "amount", "operator": "gt", "value": "1e30"}], ALL_FIELDS, "conditions.0.value"),
        ([{"field": "amount", "operator": "gt"}], ALL_FIELDS, "conditions.0.value"),
        ([{"field": "amount", "operator": "between", "value": ["9", "1"]}], ALL_FIELDS,
         "conditions.0.value"),
        ([{"field": "amount", "operator": "between", "value": ["1", "x"]}], ALL_FIELDS,
         "conditions.0.value.1"),
        ([{"field": "partner", "operator": "in", "value": []}], ALL_FIELDS, "conditions.0.value"),
        ([{"field": "partner", "operator": "in", "value": ["3"]}], ALL_FIELDS,
         "conditions.0.value.0"),
        ([{"field": "currency", "operator": "in", "value": [3]}], ALL_FIELDS,
         "conditions.0.value.0"),
        ([{"field": "below_price_floor", "operator": "is", "value": "yes"}], ALL_FIELDS,
         "conditions.0.value"),
        ([{"field": "amount", "operator": "gt", "value": 1, "unit": "万"}], ALL_FIELDS,
         "conditions.0.unit"),
        ([{"field": "amount", "operator": "gt", "value": 1}, "x"], ALL_FIELDS, "conditions.1"),
    ],
)  # fmt: skip
def test_a_condition_that_cannot_be_evaluated_is_refused_naming_its_path(raw, offered, path):
    with pytest.raises(ValidationFailed) as caught:
        parse_conditions(raw, offered)
    assert caught.value.field == path
    assert str(caught.value.message)


def test_conditions_are_stored_in_a_plain_normal_form():
    parsed = conditions(("amount", "between", [1, "2.50"]), ("partner", "in", [5, 3, 5]),
                        ("currency", "in", [" USD "]))  # fmt: skip
    assert [c.as_data() for c in parsed] == [
        {"field": "amount", "operator": "between", "value": ["1", "2.50"]},
        {"field": "partner", "operator": "in", "value": [3, 5]},
        {"field": "currency", "operator": "in", "value": ["USD"]},
    ]
    again = parse_conditions([c.as_data() for c in parsed], ALL_FIELDS)
    assert again == parsed


def spec(key, priority, *items):
    return RuleSpec(key=key, priority=priority, order=key, conditions=conditions(*items))


def test_the_first_matching_rule_by_priority_applies_and_none_matches_otherwise():
    rules = [
        spec(3, 20, ("amount", "gt", "50000")),
        spec(1, 10, ("amount", "lte", "50000")),
        spec(2, 10, ("amount", "lte", "100000")),  # same priority: the older (lower id) first
    ]
    assert matching_rule(rules, DocumentFacts(amount=Decimal(100))).key == 1
    assert matching_rule(rules, DocumentFacts(amount=Decimal(60000))).key == 2
    assert matching_rule(rules, DocumentFacts(amount=Decimal(200000))).key == 3
    assert matching_rule(rules, DocumentFacts()) is None
    assert matching_rule([*rules, spec(9, 999)], DocumentFacts()).key == 9  # a catch-all


amounts = st.decimals(min_value=-(10**9), max_value=10**9, places=2)


@given(amount=amounts, low=amounts, high=amounts)
def test_between_is_gte_low_and_lte_high(amount, low, high):
    low, high = min(low, high), max(low, high)
    facts = DocumentFacts(amount=amount)
    assert holds(facts, ("amount", "between", [str(low), str(high)])) == holds(
        facts, ("amount", "gte", str(low)), ("amount", "lte", str(high))
    )


@given(amount=amounts, limit=amounts)
def test_a_threshold_splits_documents_between_two_complementary_rules(amount, limit):
    rules = [spec(1, 1, ("amount", "lte", str(limit))), spec(2, 2, ("amount", "gt", str(limit)))]
    found = matching_rule(rules, DocumentFacts(amount=amount))
    assert found.key == (1 if amount <= limit else 2)


@given(
    priorities=st.lists(st.integers(0, 5), min_size=1, max_size=8),
    partner=st.integers(1, 4),
    wanted=st.lists(st.sets(st.integers(1, 4), min_size=1), min_size=8, max_size=8),
)
def test_the_matched_rule_is_the_lowest_priority_rule_among_those_that_hold(
    priorities, partner, wanted
):
    rules = [
        spec(index, priority, ("partner", "in", sorted(wanted[index])))
        for index, priority in enumerate(priorities)
    ]
    facts = DocumentFacts(partner=partner)
    holding = [r for r in rules if r.matches(facts)]
    found = matching_rule(rules, facts)
    if not holding:
        assert found is None
    else:
        assert found == min(holding, key=lambda r: (r.priority, r.order))


# --- levels --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mode", "decisions", "outcome"),
    [
        ("any", [PENDING, PENDING], PENDING),
        ("any", [PENDING, APPROVED], APPROVED),
        ("any", [APPROVED, REJECTED], REJECTED),
        ("all", [APPROVED, PENDING], PENDING),
        ("all", [APPROVED, APPROVED], APPROVED),
        ("all", [APPROVED, REJECTED], REJECTED),
        ("all", [], PENDING),
        ("any", [SKIPPED, APPROVED], APPROVED),
    ],
)
def test_a_level_is_decided_by_one_approval_or_by_all(mode, decisions, outcome):
    assert level_outcome(mode, decisions) == outcome


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ([], "levels"),
        ({"mode": "any"}, "levels"),
        ([{"mode": "any", "approvers": []}], "levels.0.approvers"),
        ([{"mode": "any", "approvers": [{"type": "manager"}]}, {"mode": "all"}],
         "levels.1.approvers"),
        ([{"mode": "most", "approvers": [{"type": "manager"}]}], "levels.0.mode"),
        ([{"approvers": [{"type": "boss"}]}], "levels.0.approvers.0.type"),
        ([{"approvers": [{"type": "role"}]}], "levels.0.approvers.0.id"),
        ([{"approvers": [{"type": "user", "id": "7"}]}], "levels.0.approvers.0.id"),
        ([{"approvers": [{"type": "manager", "id": 3}]}], "levels.0.approvers.0.id"),
        ([{"approvers": [{"type": "manager"}], "name": "x" * 65}], "levels.0.name"),
        ([{"approvers": [{"type": "manager"}], "deadline": 3}], "levels.0.deadline"),
        ([{"approvers": [{"type": "manager"}]}] * 11, "levels"),
    ],
)  # fmt: skip
def test_a_level_without_approvers_or_with_bad_ones_is_refused_naming_its_path(raw, path):
    with pytest.raises(ValidationFailed) as caught:
        parse_levels(raw)
    assert caught.value.field == path


def test_levels_default_to_any_one_of_and_drop_repeated_approvers():
    (parsed,) = parse_levels([{"approvers": [{"type": "user", "id": 2}, {"type": "user", "id": 2},
                                             {"type": "manager"}]}])  # fmt: skip
    assert parsed.as_data() == {
        "name": "",
        "mode": "any",
        "approvers": [{"type": "user", "id": 2}, {"type": "manager"}],
    }
