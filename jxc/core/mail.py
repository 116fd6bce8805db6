"""A document e-mailed to a business partner with its PDF attached: the checks every app makes
before sending (is mail set up, are the addresses addresses) and the message itself.

Purchasing sends its orders in the request; sales sends its order confirmations and invoices,
and purchasing its requests for quotation, as background jobs. All build and send the mail here,
so all refuse the same bad input with the same words; the jobs send through :func:`send_once`,
which claims each mail before sending it and records the outcome in the document's history.
"""

import smtplib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from jxc.core import audit
from jxc.core.errors import ValidationFailed
from jxc.core.models import MailSend, User

MAX_RECIPIENTS = 20
#: the keys of the document's history that record a send and a failed one
SENT, FAILED = "emailed_to", "email_failed"


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


@contextmanager
def acting_sender(user_id: int | None, organization) -> Iterator[User | None]:
    """In a mail job: the user who asked for the mail (None when gone), the history's entries
    attributed to them in the document's ``organization``."""
    user = User.objects.filter(pk=user_id).first() if user_id else None
    with audit.acting_as(user, organization):
        yield user


def claim_send(document, send: str, part: str = "") -> bool:
    """Claim the mail ``send`` (``part``) of ``document``: True for the one caller that may
    send it, False for any other (it was claimed before, or another job is sending it now).

    A unique row is inserted rather than the history read, so that two runs of one job at the
    same moment cannot both find nothing and both send: the second insert waits for the first
    and fails. A claimed mail is never sent again, even if its run dies before sending: a
    customer mailed twice is worse than one asked to press 发送 again."""
    try:
        with transaction.atomic():
            MailSend.objects.create(
                send=send, part=part, document=f"{document._meta.label_lower}:{document.pk}"
            )
    except IntegrityError:
        return False
    return True


def send_once(
    document, *, send: str, mail: Callable[[], DocumentMail], part: str = "", note=None
) -> bool:
    """Send the mail ``mail()`` builds unless this send (``part``) was claimed already, and
    record in ``document``'s history who it went to, or why it did not go (``note`` adds to
    either entry). True when it went."""
    if not claim_send(document, send, part):
        return False
    prepared = mail()
    entry = {"send": send, **(note or {})}
    try:
        sent = send_document(prepared)
    except ValidationFailed as error:
        failure = {**entry, "to": prepared.to, "cc": prepared.cc, "error": str(error)}
        audit.record(action="update", instance=document, changes={FAILED: [None, failure]})
        return False
    audit.record(action="update", instance=document, changes={SENT: [None, {**entry, **sent}]})
    return True
