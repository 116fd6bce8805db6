"""A document e-mailed to a business partner with its PDF attached: the checks every app makes
before sending (is mail set up, are the addresses addresses) and the message itself.

Purchasing sends its orders in the request; sales sends its order confirmations and invoices
as background jobs. Both build and send the mail here, so both refuse the same bad input with
the same words.
"""

import smtplib
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed

MAX_RECIPIENTS = 20


def mail_configured() -> bool:
    """SMTP needs a host (EMAIL_HOST); another backend (files, the console, the tests' memory)
    needs none."""
    return bool(settings.EMAIL_HOST) or not settings.EMAIL_BACKEND.endswith(".smtp.EmailBackend")


def require_mail_configured() -> None:
    if not mail_configured():
        raise ValidationFailed(
            _("E-mail is not set up on this server: ask the administrator to set EMAIL_HOST."),
            code="email_not_configured",
        )


def addresses(values, field: str) -> list[str]:
    """The non-blank addresses of ``values``, each checked; an error names ``field.index``."""
    found = [value.strip() for value in values if value and value.strip()]
    if len(found) > MAX_RECIPIENTS:
        raise ValidationFailed(_("At most %(n)d addresses.") % {"n": MAX_RECIPIENTS}, field=field)
    for index, address in enumerate(found):
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationFailed(
                _("“%(address)s” is not an e-mail address.") % {"address": address},
                field=f"{field}.{index}",
            ) from None
    return found


def partner_email(partner) -> str:
    """A partner's address unless another is given: its primary contact's, else its first
    contact's that has one."""
    contact = partner.contacts.exclude(email="").order_by("-is_primary", "id").first()
    return contact.email if contact is not None else ""


@dataclass(frozen=True)
class DocumentMail:
    subject: str
    body: str
    to: list[str]
    cc: list[str]
    filename: str
    pdf: bytes
    reply_to: str = ""


def send_document(mail: DocumentMail) -> dict:
    """Send ``mail`` with its PDF attached; a server that refuses it is an error naming ``to``.
    Returns who it went to, as the document's history records it."""
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=mail.to,
        cc=mail.cc,
        reply_to=[mail.reply_to] if mail.reply_to else None,
    )
    message.attach(mail.filename, mail.pdf, "application/pdf")
    try:
        message.send()
    except (OSError, smtplib.SMTPException) as error:
        raise ValidationFailed(
            _("The e-mail could not be sent: %(error)s") % {"error": error}, field="to"
        ) from None
    return {"to": mail.to, "cc": mail.cc}
