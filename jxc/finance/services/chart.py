"""Writes on the chart of accounts, its account roles and the posting rules."""

from django.db import transaction
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.finance.charts import TEMPLATES, template_roles, template_rows
from jxc.finance.events import default_rules
from jxc.finance.models import Account, AccountRole, PostingRule, VoucherLine

DIMENSION_MODES = ("required", "optional")


def ensure_finance_defaults(organization, template: str = "small_business") -> None:
    """A new organization's chart (小企业会计准则), roles and posting rules; idempotent."""
    if not Account.objects.filter(organization=organization).exists():
        _create_chart(organization, template)
    seed_default_rules(organization)


def _create_chart(organization, template: str) -> None:
    created: dict[str, Account] = {}
    for row in template_rows(template):
        parent = next(
            (
                created[row.code[:n]]
                for n in range(len(row.code) - 1, 0, -1)
                if row.code[:n] in created
            ),
            None,
        )
        created[row.code] = Account.objects.create(
            organization=organization,
            code=row.code,
            name=row.name,
            parent=parent,
            type=row.type,
            direction=row.direction,
            dimensions=row.dimensions,
        )
        if parent is not None and parent.is_leaf:
            parent.is_leaf = False
            parent.save(update_fields=["is_leaf"])
    AccountRole.objects.bulk_create(
        [
            AccountRole(organization=organization, role=role, account=created[code])
            for role, code in template_roles(template).items()
            if code in created
        ]
    )


def seed_default_rules(organization, rules=None) -> int:
    """Add the registered default rules (or those of ``rules``) the organization does not have
    yet (by their keys)."""
    roles = {r.role: r.account for r in AccountRole.objects.filter(organization=organization)}
    existing = {
        (r.document_type, r.event, r.from_kind, r.to_kind, r.reason)
        for r in PostingRule.objects.filter(organization=organization, category=None, tax_rate=None)
    }
    new = [
        PostingRule(
            organization=organization,
            document_type=rule.document_type,
            event=rule.event,
            from_kind=rule.from_kind,
            to_kind=rule.to_kind,
            reason=rule.reason,
            debit_account=roles[rule.debit_role],
            credit_account=roles[rule.credit_role],
            summary=rule.summary,
        )
        for rule in (default_rules() if rules is None else rules)
        if (rule.document_type, rule.event, rule.from_kind, rule.to_kind, rule.reason)
        not in existing
        and rule.debit_role in roles
        and rule.credit_role in roles
    ]
    PostingRule.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def apply_template(*, organization, template: str) -> None:
    """Replace the chart by a template's, while nothing has been booked yet."""
    if template not in TEMPLATES:
        raise ValidationFailed(_("Unknown chart template."), field="template")
    if VoucherLine.objects.filter(organization=organization).exists():
        raise ValidationFailed(
            _("Vouchers have been made on this chart: it can no longer be replaced."),
            field="template",
        )
    PostingRule.objects.filter(organization=organization).delete()
    AccountRole.objects.filter(organization=organization).delete()
    accounts = Account.objects.filter(organization=organization)
    accounts.update(parent=None)
    accounts.delete()
    _create_chart(organization, template)
    seed_default_rules(organization)


def _check_account(organization, data: dict, account: Account | None) -> None:
    code = data.get("code", account.code if account else "")
    if not code.isdigit():
        raise ValidationFailed(_("An account code is made of digits."), field="code")
    clash = Account.objects.filter(organization=organization, code=code)
    if account is not None:
        clash = clash.exclude(pk=account.pk)
    if clash.exists():
        raise ValidationFailed(_("An account with this code already exists."), field="code")
    parent = data.get("parent", account.parent if account else None)
    if parent is not None:
        if parent.organization_id != organization.pk:
            raise ValidationFailed(_("Unknown account."), field="parent")
        if not code.startswith(parent.code) or len(code) <= len(parent.code):
            raise ValidationFailed(
                _("A sub-account's code starts with its parent's code %(code)s.")
                % {"code": parent.code},
                field="code",
            )
        if account is None and parent.is_leaf and parent.lines.exists():
            raise ValidationFailed(
                _("Account %(code)s has been booked to: it cannot get sub-accounts.")
                % {"code": parent.code},
                field="parent",
            )
    dimensions = data.get("dimensions", {})
    for name, mode in dimensions.items():
        if name not in Account.DIMENSIONS or mode not in DIMENSION_MODES:
            raise ValidationFailed(
                _("Unknown dimension “%(name)s” or mode “%(mode)s”.")
                % {"name": name, "mode": mode},
                field="dimensions",
            )


@transaction.atomic
def save_account(*, organization, data: dict, account: Account | None = None) -> Account:
    """Create a sub-account (type and direction follow the parent unless given) or change one."""
    _check_account(organization, data, account)
    parent = data.get("parent", account.parent if account else None)
    if account is None:
        account = Account(organization=organization)
        if parent is not None:
            account.type, account.direction = parent.type, parent.direction
    elif "parent" in data and data["parent"] != account.parent:
        raise ValidationFailed(_("An account cannot move to another parent."), field="parent")
    for field in ("code", "name", "type", "direction", "currency", "dimensions", "is_active"):
        if field in data:
            setattr(account, field, data[field])
    if not account.type or not account.direction:
        raise ValidationFailed(_("Choose the account's type and direction."), field="type")
    account.parent = parent
    account.save()
    if parent is not None and parent.is_leaf:
        parent.is_leaf = False
        parent.save(update_fields=["is_leaf"])
    return account


@transaction.atomic
def set_account_role(*, organization, role: str, account: Account) -> AccountRole:
    if role not in AccountRole.Role.values:
        raise ValidationFailed(_("Unknown account role."), field="role")
    if account.organization_id != organization.pk:
        raise ValidationFailed(_("Unknown account."), field="account")
    if not account.is_leaf:
        raise ValidationFailed(_("Choose a leaf account."), field="account")
    found, _created = AccountRole.objects.update_or_create(
        organization=organization, role=role, defaults={"account": account}
    )
    return found


def _check_rule(organization, data: dict) -> None:
    for field in ("debit_account", "credit_account"):
        account = data.get(field)
        if account is None:
            continue
        if account.organization_id != organization.pk:
            raise ValidationFailed(_("Unknown account."), field=field)
        if not account.is_leaf or not account.is_active:
            raise ValidationFailed(_("Choose an active leaf account."), field=field)
    for field in ("category", "tax_rate"):
        value = data.get(field)
        if value is not None and value.organization_id != organization.pk:
            raise ValidationFailed(_("Unknown record."), field=field)


@transaction.atomic
def save_rule(*, organization, data: dict, rule: PostingRule | None = None) -> PostingRule:
    _check_rule(organization, data)
    rule = rule or PostingRule(organization=organization)
    for field, value in data.items():
        setattr(rule, field, value)
    if not rule.event:
        raise ValidationFailed(_("Enter the event."), field="event")
    if rule.debit_account_id is None or rule.credit_account_id is None:
        raise ValidationFailed(_("Choose the debit and the credit account."), field="debit_account")
    if rule.debit_account_id == rule.credit_account_id:
        raise ValidationFailed(
            _("The debit and the credit account are the same."), field="credit_account"
        )
    rule.save()
    return rule
