"""The active organization of a request, and the access the user has there."""

from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import exceptions

from jxc.core import audit
from jxc.core.models import Organization
from jxc.core.selectors import NO_ACCESS, access_for, member_access, user_organizations

SESSION_KEY = "jxc_organization_id"


def _requested_organization_id(request):
    token = getattr(request, "_jxc_token", None)
    if token is not None:
        header = request.headers.get("X-Organization")
        if header and header != str(token.organization_id):
            raise exceptions.PermissionDenied(_("This API token belongs to another organization."))
        return token.organization_id
    header = request.headers.get("X-Organization")
    if header:
        if not header.isdigit():
            raise exceptions.ValidationError({"X-Organization": [_("Must be an organization id.")]})
        return int(header)
    return request.session.get(SESSION_KEY) if hasattr(request, "session") else None


def resolve_access(request):
    """Set ``request.organization`` and ``request.access`` for an authenticated request.

    An explicit organization (header or token) the user is not a member of is refused; a stale
    session value falls back to the user's first organization.
    """
    user = request.user
    if not user or not user.is_authenticated:
        request.organization, request.access = None, NO_ACCESS
        return
    wanted = _requested_organization_id(request)
    explicit = bool(request.headers.get("X-Organization")) or hasattr(request, "_jxc_token")
    # the organization asked for, with the user's roles there, in one query
    access = member_access(user, wanted) if wanted else None
    if access is None and wanted and explicit:
        raise exceptions.PermissionDenied(_("You are not a member of this organization."))
    if access is None:
        access = access_for(user, user_organizations(user).first())
    organization = access.organization
    request.organization = organization
    request.access = access
    audit.set_actor(user, organization)
    if "HTTP_ACCEPT_LANGUAGE" not in request.META and user.language:
        # integrations that name no language get the one the user chose in the UI
        translation.activate(user.language)
        request.LANGUAGE_CODE = user.language


def remember_organization(request, organization: Organization) -> None:
    request.session[SESSION_KEY] = organization.pk
