"""Approval errors with stable codes: the UI tells "already decided" from "not yours"."""

from django.utils.translation import gettext_lazy as _

from jxc.core.errors import PermissionDenied, ValidationFailed


class AlreadyDecided(ValidationFailed):
    """The request, or this approver's part of it, is already decided (a double click, a
    retry, or another approver of an any-of level was first)."""

    code = "already_decided"
    default_message = _("This approval request has already been decided.")


class NotAnApprover(PermissionDenied):
    code = "not_an_approver"
    default_message = _("You are not an approver of the current level of this request.")


class OwnDocument(PermissionDenied):
    code = "own_document"
    default_message = _(
        "You cannot approve or reject your own document: the approval rule does not allow it."
    )


class AwaitingApproval(ValidationFailed):
    code = "awaiting_approval"
    default_message = _("This document is waiting for approval.")
