"""Organizations, users, roles, memberships, number series, audit trail, API tokens."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.audit import AuditedModel
from jxc.core.permissions import BUILTIN_ROLES


class Organization(AuditedModel):
    """A company or one of its branches; organizations form a tree."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        BRANCH = "branch", _("Branch")

    audit_module = "settings"

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=128)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMPANY)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    tax_id = models.CharField(_("unified social credit code"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser, AuditedModel):
    class Language(models.TextChoices):
        ZH_HANS = "zh-hans", "简体中文"
        EN = "en", "English"

    audit_module = "settings"
    audit_exclude = ("password", "last_login")

    display_name = models.CharField(_("display name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ZH_HANS
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.username


class Role(AuditedModel):
    """A named set of ``module.action`` permissions plus the cost-visibility flag.

    Built-in roles have no organization and are shared by all; custom roles belong to one.
    """

    audit_module = "settings"

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.CASCADE, related_name="roles"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True)
    is_builtin = models.BooleanField(_("built-in"), default=False)
    permissions = models.JSONField(_("permissions"), default=list)
    can_see_costs = models.BooleanField(_("may see costs and margins"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["-is_builtin", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="role_code_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=models.Q(organization__isnull=True),
                name="builtin_role_code_unique",
            ),
        ]

    def __str__(self) -> str:
        return str(self.display_name)

    @property
    def display_name(self):
        """Built-in roles show their translated name; custom roles their own."""
        if self.is_builtin and self.code in BUILTIN_ROLES:
            return BUILTIN_ROLES[self.code][0]
        return self.name


class Membership(models.Model):
    """A user's membership of one organization, with the roles they hold there and their
    manager (直属上级) there."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    roles = models.ManyToManyField(Role, blank=True, related_name="memberships")
    # whom approvals addressed to "the submitter's manager" go to, in this organization
    manager = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("manager"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class NumberSeries(AuditedModel):
    """How one organization numbers one document type, e.g. ``CG{yyyyMMdd}-{seq:4}``."""

    audit_module = "settings"

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="number_series"
    )
    doc_type = models.CharField(_("document type"), max_length=32)
    pattern = models.CharField(_("pattern"), max_length=64)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("number series")
        verbose_name_plural = _("number series")
        ordering = ["doc_type"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "doc_type"], name="number_series_unique_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.doc_type}: {self.pattern}"


class NumberSequence(models.Model):
    """The last number issued by a series within one reset period ('' when it never resets)."""

    series = models.ForeignKey(NumberSeries, on_delete=models.CASCADE, related_name="sequences")
    period_key = models.CharField(max_length=8, blank=True)
    last_value = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "period_key"], name="number_sequence_unique")
        ]


class AuditLog(models.Model):
    """Who changed what and when. Rows are only ever inserted."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        STATE = "state", _("State changed")

    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    model = models.CharField(_("model"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    changes = models.JSONField(_("changes"), default=dict)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["model", "object_id"], name="audit_object_idx"),
            models.Index(fields=["organization", "at"], name="audit_org_time_idx"),
        ]


class ApiToken(AuditedModel):
    """A token for integrations, scoped to one user in one organization.

    Only a SHA-256 hash of the key is stored; the key itself is shown once, at creation.
    """

    audit_module = "settings"
    audit_exclude = ("key_hash", "last_used_at")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="api_tokens"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=64)
    prefix = models.CharField(_("prefix"), max_length=16)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotencyRecord(models.Model):
    """The first response to a POST carrying an ``Idempotency-Key``, replayed on retries."""

    principal = models.CharField(max_length=64)
    key = models.CharField(max_length=128)
    request_hash = models.CharField(max_length=64)
    completed = models.BooleanField(default=False)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(null=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["principal", "key"], name="idempotency_key_unique")
        ]


class MailSend(models.Model):
    """One e-mail of a document, claimed before it is sent: ``send`` is the id a request gave
    its job, ``part`` tells apart the mails of one send (the supplier of an RFQ). The row is
    inserted before the mail goes, so of two runs of one job (a retry, a lost
    acknowledgement) only the one whose insert succeeds sends; the document's history then
    records what happened to it."""

    send = models.CharField(max_length=64)
    part = models.CharField(max_length=64, blank=True)
    document = models.CharField(max_length=100)
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["send", "part"], name="mail_send_claimed_once")
        ]


class OrganizationScopedModel(AuditedModel):
    """Base of every business row: it belongs to one organization and is audited."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )

    class Meta:
        abstract = True
