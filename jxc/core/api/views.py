"""Base classes for every app's API views.

``JxcAPIView``/``JxcViewSet`` resolve the active organization right after authentication, check
``<module>.<action>`` permissions and render errors in the one error body. ``OrganizationScopedViewSet``
filters every query by the active organization, so another organization's ids answer 404.
"""

from django.db.models import QuerySet
from rest_framework import mixins, viewsets
from rest_framework.views import APIView

from jxc.core.api.context import resolve_access
from jxc.core.api.export import ExportMixin
from jxc.core.api.permissions import ModulePermission


class OrganizationContextMixin:
    module = "settings"
    permission_classes = [ModulePermission]

    def check_permissions(self, request):
        # Runs right after authentication: the active organization must be known before any
        # permission is checked.
        resolve_access(request)
        super().check_permissions(request)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["organization"] = getattr(self.request, "organization", None)
        context["access"] = getattr(self.request, "access", None)
        return context


class JxcAPIView(OrganizationContextMixin, APIView):
    def get_serializer_context(self):
        return {
            "request": self.request,
            "view": self,
            "organization": getattr(self.request, "organization", None),
            "access": getattr(self.request, "access", None),
        }


class JxcViewSet(OrganizationContextMixin, viewsets.GenericViewSet):
    pass


class OrganizationScopedViewSet(ExportMixin, JxcViewSet):
    """A viewset whose rows all belong to the request's organization."""

    organization_field = "organization"

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        return queryset.filter(**{self.organization_field: self.request.organization})


class ReadOnlyScopedViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationScopedViewSet
):
    pass
