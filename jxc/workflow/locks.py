"""The one place approval rows are locked (``select_for_update``)."""

from jxc.core.errors import NotFound
from jxc.workflow.models import ApprovalRequest


def lock_request(request_id: int) -> ApprovalRequest:
    """Lock the request row for the rest of the transaction; every decision on a request takes
    this lock first, so two approvers acting at once are served one after the other."""
    found = ApprovalRequest.objects.select_for_update().filter(pk=request_id).first()
    if found is None:
        raise NotFound()
    return found
