"""API tokens for integrations: created, listed and revoked by their owners or admins."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.core.models import ApiToken, Organization, User

TOKEN_PREFIX = "jxc_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def create_api_token(
    *, organization: Organization, user: User, name: str, expires_at=None
) -> tuple[ApiToken, str]:
    """Create a token; returns it with the plaintext key, which is never stored."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationFailed(_("The expiry time must be in the future."), field="expires_at")
    key = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organization=organization,
        user=user,
        name=name,
        prefix=key[:10],
        key_hash=hash_key(key),
        expires_at=expires_at,
    )
    return token, key


@transaction.atomic
def revoke_api_token(*, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save()
    return token


def find_active_token(key: str) -> ApiToken | None:
    token = (
        ApiToken.objects.select_related("user", "organization")
        .filter(key_hash=hash_key(key), revoked_at__isnull=True)
        .first()
    )
    if token is None or (token.expires_at and token.expires_at <= timezone.now()):
        return None
    if not token.user.is_active or not token.organization.is_active:
        return None
    return token


def touch_api_token(token: ApiToken) -> None:
    """Record use at most once a minute, without an audit entry (it is not a change)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
