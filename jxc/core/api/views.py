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
from jxc.core.services.records import delete_record, save_record


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


class RecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    OrganizationScopedViewSet,
):
    """Create, read, update and delete simple reference records through one service.

    ``save_instance`` may be overridden to call a richer service; ``check_instance`` adds rules
    beyond per-organization uniqueness.
    """

    def check_instance(self, instance) -> None:
        return None

    def save_instance(self, data: dict, instance=None):
        return save_record(
            model=self.get_queryset().model,
            organization=self.request.organization,
            data=data,
            instance=instance,
            check=self.check_instance,
        )

    def perform_create(self, serializer):
        serializer.instance = self.save_instance(dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self.save_instance(
            dict(serializer.validated_data), serializer.instance
        )

    def perform_destroy(self, instance):
        delete_record(instance=instance)


class ReadOnlyScopedViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, OrganizationScopedViewSet
):
    pass
