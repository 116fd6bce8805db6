from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from jxc.core.services.tokens import find_active_token, touch_api_token


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Token <key>`` (or ``Bearer <key>``); the token fixes the organization."""

    keywords = ("token", "bearer")

    def authenticate(self, request):
        parts = authentication.get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Invalid token header."))
        token = find_active_token(parts[1].decode(errors="replace"))
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        touch_api_token(token)
        request._jxc_token = token
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class SessionAuthentication(authentication.SessionAuthentication):
    """Session authentication for the web UI; unsafe methods need the CSRF token."""


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "jxc.core.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "Session cookie from `auth/login/`; writes need `X-CSRFToken`.",
        }


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "jxc.core.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`",
        }
