"""The purchasing documents' lifecycles (see ``jxc.core.states.transition``)."""

from jxc.core.states import DocumentState as S

# draft → submitted → approved → partially received → received; closed releases what is still
# open; a submitted order goes back to draft when its approval is rejected or withdrawn
ORDER_TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.APPROVED, S.DRAFT},
    S.APPROVED: {S.PARTIALLY_DONE, S.DONE, S.CLOSED, S.CANCELLED},
    S.PARTIALLY_DONE: {S.PARTIALLY_DONE, S.DONE, S.CLOSED},
    S.DONE: {S.DONE, S.CLOSED},
}
# receipts, invoices and returns are drafted and then posted in one step
POSTED_TRANSITIONS = {
    S.DRAFT: {S.DONE, S.CANCELLED},
}
# a receipt beyond its over-receipt tolerance, where the tolerance asks for approval, waits
# submitted until workflow approves it (then it posts) or returns it (draft again)
RECEIPT_TRANSITIONS = {
    S.DRAFT: {S.DONE, S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.DONE, S.DRAFT},
}
# a supplier invoice beyond its price or quantity tolerance waits submitted until workflow
# approves it (then it posts) or returns it (draft again); a posted invoice nothing was paid or
# offset against is reversed in red (红字冲销: ``reversed``), never edited nor cancelled
INVOICE_TRANSITIONS = {**RECEIPT_TRANSITIONS, S.DONE: {S.REVERSED}}
OPEN_ORDER_STATES = (S.APPROVED, S.PARTIALLY_DONE)
# an order received in full still takes what its tolerance allows beyond the quantity ordered
RECEIVABLE_ORDER_STATES = (S.APPROVED, S.PARTIALLY_DONE, S.DONE)
# purchase requests (请购单): draft → submitted → approved → partially ordered (partially_done)
# → ordered (done); closed stops ordering the rest; a submitted request goes back to draft when
# its approval is rejected or withdrawn
REQUEST_TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.APPROVED, S.DRAFT},
    S.APPROVED: {S.PARTIALLY_DONE, S.DONE, S.CLOSED, S.CANCELLED},
    S.PARTIALLY_DONE: {S.APPROVED, S.PARTIALLY_DONE, S.DONE, S.CLOSED},
    S.DONE: {S.PARTIALLY_DONE, S.APPROVED, S.DONE, S.CLOSED},
}
ORDERABLE_REQUEST_STATES = (S.APPROVED, S.PARTIALLY_DONE)
# requests for quotation (询价单): draft → submitted (sent to the suppliers, quotes recorded)
# → done (orders made from the chosen quotes); closed without an order; cancelled
RFQ_TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.DONE, S.CLOSED, S.CANCELLED},
}
# an order is revised (修订) while approved and not received in full
REVISABLE_ORDER_STATES = (S.APPROVED, S.PARTIALLY_DONE)
# payment requests (付款申请单): draft → submitted → approved → done (paid); cancelled while
# unpaid (a submitted request is withdrawn to draft first); a submitted request goes back to
# draft when its approval is rejected or withdrawn
PAYMENT_REQUEST_TRANSITIONS = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.APPROVED, S.DRAFT},
    S.APPROVED: {S.DONE, S.CANCELLED},
}
# what a request asks of an invoice while it is open (not paid, not cancelled)
OPEN_PAYMENT_REQUEST_STATES = (S.DRAFT, S.SUBMITTED, S.APPROVED)
