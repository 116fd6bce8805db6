"""A sent request for quotation (询价单) e-mailed to the suppliers asked, each with its own PDF.

Rendering the PDFs and talking to a mail server take seconds, so the request only checks what it
can (mail set up, the request sent, the suppliers chosen among those asked, each with an
address) and schedules one job; the job renders and sends one mail per supplier and records
each send — or its failure — in the request's history. Each request is one ``send`` id, and
each supplier's mail is claimed before it goes (:func:`jxc.core.mail.send_once`): a job run
twice (a lost acknowledgement), even at the same moment, mails each supplier once.
"""

import functools
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
from jxc.masterdata.models import Partner
from jxc.purchasing.models import RequestForQuotation
from jxc.purchasing.services import printing

JOB = "purchasing.email_rfq"


def asked_supplier(rfq: RequestForQuotation, supplier, field: str = "supplier") -> Partner:
    """``supplier`` (an id) among the suppliers the request asks; any other id — unknown,
    another organization's, not asked — is refused naming ``field``."""
    try:
        key = int(supplier)
    except (TypeError, ValueError):
        raise ValidationFailed(_("Choose a supplier of the request."), field=field) from None
    found = rfq.suppliers.filter(pk=key, organization_id=rfq.organization_id).first()
    if found is None:
        raise ValidationFailed(_("The supplier was not asked by this request."), field=field)
    return found


def _chosen(rfq: RequestForQuotation, suppliers) -> list[Partner]:
    if not suppliers:
        return list(rfq.suppliers.order_by("code", "id"))
    if not isinstance(suppliers, list | tuple):
        raise ValidationFailed(_("Choose a supplier of the request."), field="suppliers")
    chosen, seen = [], set()
    for index, supplier in enumerate(suppliers):
        partner = asked_supplier(rfq, supplier, f"suppliers.{index}")
        if partner.pk in seen:
            raise ValidationFailed(_("The supplier is listed twice."), field=f"suppliers.{index}")
        seen.add(partner.pk)
        chosen.append(partner)
    return chosen


def email_rfq(
    *, rfq: RequestForQuotation, user, suppliers=None, to=None, cc=(), message: str = ""
) -> dict:
    """Schedule the request's e-mail to each chosen supplier (all it asks when none is chosen),
    to its contact's address; ``to`` replaces that address and is taken only for one supplier.
    Returns the job's id, the addresses and, per supplier, where its mail goes. Only a sent
    request (发出询价) goes out: a draft may still change, and quotes are over once ordered."""
    require_mail_configured()
    if rfq.state != S.SUBMITTED:
        raise ValidationFailed(
            _("Only a sent request for quotation is e-mailed to the suppliers."), field="state"
        )
    chosen = _chosen(rfq, suppliers)
    given = addresses(to or [], "to")
    if given and len(chosen) > 1:
        raise ValidationFailed(
            _(
                "Enter addresses only when sending to one supplier: the others go to their contacts."
            ),
            field="to",
        )
    copies = addresses(cc or [], "cc")
    sends = []
    for index, supplier in enumerate(chosen):
        recipients = given or addresses([partner_email(supplier)], "to")
        if not recipients:
            raise ValidationFailed(
                _("The supplier %(supplier)s has no contact with an e-mail address: enter one.")
                % {"supplier": supplier.name},
                field="to" if len(chosen) == 1 else f"suppliers.{index}",
            )
        sends.append({"supplier": supplier.pk, "supplier_name": supplier.name, "to": recipients})
    send = uuid.uuid4().hex
    jobs.enqueue(
        JOB,
        rfq_id=rfq.pk,
        send=send,
        sends=[{"supplier": item["supplier"], "to": item["to"]} for item in sends],
        cc=copies,
        message=message.strip(),
        user_id=getattr(user, "pk", None),
    )
    return {
        "job": send,
        "to": [address for item in sends for address in item["to"]],
        "cc": copies,
        "suppliers": sends,
    }


@jobs.job(JOB)
def email_rfq_job(*, rfq_id: int, send: str, sends, cc, message: str, user_id=None) -> None:
    """Render and send the request to each supplier, once; the history records who each mail
    went to, or why it did not go. Attributed to the user who asked, in the request's
    organization."""
    rfq = RequestForQuotation.objects.select_related("organization", "warehouse", "created_by").get(
        pk=rfq_id
    )
    suppliers = Partner.objects.in_bulk([item["supplier"] for item in sends])
    with acting_sender(user_id, rfq.organization) as user:
        for item in sends:
            supplier = suppliers.get(item["supplier"])
            if supplier is None:
                continue
            send_once(
                rfq,
                send=send,
                part=str(supplier.pk),
                note={"supplier": supplier.pk, "supplier_name": supplier.name},
                mail=functools.partial(_rfq_mail, rfq, supplier, item["to"], cc, message, user),
            )


def _rfq_mail(rfq, supplier, to, cc, message: str, user) -> DocumentMail:
    return DocumentMail(
        subject=_("Request for quotation %(number)s from %(organization)s")
        % {"number": rfq.number, "organization": rfq.organization.name},
        body=message
        or _(
            "Please find attached our request for quotation %(number)s. Kindly reply "
            "with your prices, lead times and the validity of your quote."
        )
        % {"number": rfq.number},
        to=to,
        cc=cc,
        filename=printing.rfq_filename(rfq, supplier),
        pdf=printing.rfq_pdf(rfq, supplier),
        reply_to=getattr(user, "email", ""),
    )
