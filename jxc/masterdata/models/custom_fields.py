"""Custom fields that admins add to products and partners without code.

Values live in the record's ``custom`` JSON object under the field's ``key``; the definition
says how to validate, show, filter, export and import them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jxc.core.models import OrganizationScopedModel


class CustomFieldDefinition(OrganizationScopedModel):
    class Target(models.TextChoices):
        PRODUCT = "product", _("Product")
        PARTNER = "partner", _("Partner")

    class FieldType(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")
        BOOLEAN = "boolean", _("Yes/no")

    audit_module = "masterdata"

    target = models.CharField(_("applies to"), max_length=16, choices=Target.choices)
    key = models.CharField(_("key"), max_length=32)
    label = models.CharField(_("label"), max_length=64)
    field_type = models.CharField(_("type"), max_length=16, choices=FieldType.choices)
    choices = models.JSONField(_("choices"), default=list, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["target", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "target", "key"], name="custom_field_key_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.label
