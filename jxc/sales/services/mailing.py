"""Sales documents e-mailed to the customer with their PDF: the order confirmation
(销售订单确认书) and the posted invoice (销售发票).

Rendering a PDF and talking to a mail server take seconds, so the request only checks what
it can (mail set up, the document's state, the addresses) and schedules a job; the job renders,
sends and records the send — or its failure — in the document's history. Each request is one
``send`` id, claimed before the mail goes (:func:`jxc.core.mail.send_once`): a job run twice
(a lost acknowledgement), even at the same moment, mails the customer once.
"""

import uuid

from django.utils.translation import gettext as _

from jxc.core import jobs
from jxc.core.errors import ValidationFailed
from jxc.core.mail import (
    DocumentMail,
    acting_sender,
    addresses,
    partner_email,
    require_mail_configured,
    send_once,
)
from jxc.core.states import DocumentState as S
from jxc.sales.models import CustomerInvoice, SalesOrder
from jxc.sales.services import printing

#: an order is confirmed to the customer once approved (stock reserved), not before nor after
#: it was cancelled
ORDER_SENDABLE = {S.APPROVED, S.PARTIALLY_DONE, S.DONE, S.CLOSED}


def _recipients(document, to, cc) -> tuple[list[str], list[str]]:
    recipients = addresses(to or [], "to") or addresses([partner_email(document.customer)], "to")
    if not recipients:
        raise ValidationFailed(
            _("The customer has no contact with an e-mail address: enter one."), field="to"
        )
    return recipients, addresses(cc or [], "cc")


def _schedule(job: str, document, *, user, to, cc, message: str) -> dict:
    require_mail_configured()
    recipients, copies = _recipients(document, to, cc)
    send = uuid.uuid4().hex
    jobs.enqueue(
        job,
        document_id=document.pk,
        send=send,
        to=recipients,
        cc=copies,
        message=message.strip(),
        user_id=getattr(user, "pk", None),
    )
    return {"job": send, "to": recipients, "cc": copies}


def email_order(*, order: SalesOrder, user, to=None, cc=(), message: str = "") -> dict:
    """Schedule the order confirmation's e-mail to the customer (``to`` defaults to its
    contact's address); returns the job's id and the addresses. Only a confirmed order is confirmed."""
    if order.state not in ORDER_SENDABLE:
        raise ValidationFailed(
            _("Only a confirmed sales order is sent to the customer."), field="state"
        )
    return _schedule("sales.email_order", order, user=user, to=to, cc=cc, message=message)


def email_invoice(*, invoice: CustomerInvoice, user, to=None, cc=(), message: str = "") -> dict:
    """Schedule the invoice's e-mail to the customer; returns the job's id and the addresses. Only a posted
    invoice is sent: a draft may still change."""
    if invoice.state != S.DONE:
        raise ValidationFailed(_("Only a posted invoice is sent to the customer."), field="state")
    return _schedule("sales.email_invoice", invoice, user=user, to=to, cc=cc, message=message)


# --- the jobs --------------------------------------------------------------------------------


@jobs.job("sales.email_order")
def email_order_job(*, document_id: int, send: str, to, cc, message: str, user_id=None) -> None:
    order = SalesOrder.objects.select_related("customer", "organization").get(pk=document_id)
    _send(
        order,
        send=send,
        user_id=user_id,
        mail=lambda sender: DocumentMail(
            subject=_("Order confirmation %(number)s from %(organization)s")
            % {"number": order.number, "organization": order.organization.name},
            body=message
            or _("Please find attached the confirmation of your order %(number)s.")
            % {"number": order.number},
            to=to,
            cc=cc,
            filename=f"sales-order-{order.number or order.pk}.pdf",
            pdf=printing.order_pdf(order),
            reply_to=getattr(sender, "email", ""),
        ),
    )


@jobs.job("sales.email_invoice")
def email_invoice_job(*, document_id: int, send: str, to, cc, message: str, user_id=None) -> None:
    invoice = CustomerInvoice.objects.select_related("customer", "organization").get(pk=document_id)
    _send(
        invoice,
        send=send,
        user_id=user_id,
        mail=lambda sender: DocumentMail(
            subject=_("Invoice %(number)s from %(organization)s")
            % {"number": invoice.number, "organization": invoice.organization.name},
            body=message
            or _("Please find attached our invoice %(number)s.") % {"number": invoice.number},
            to=to,
            cc=cc,
            filename=f"invoice-{invoice.number or invoice.pk}.pdf",
            pdf=printing.invoice_pdf(invoice),
            reply_to=getattr(sender, "email", ""),
        ),
    )


def _send(document, *, send: str, user_id, mail) -> None:
    """Render and send once; the history records who it went to, or why it did not go.
    Attributed to the user who asked, in the document's organization."""
    with acting_sender(user_id, document.organization) as user:
        send_once(document, send=send, mail=lambda: mail(user))
