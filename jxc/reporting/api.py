from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from jxc.core.api.permissions import IsMember
from jxc.core.api.views import JxcAPIView
from jxc.core.endpoints.audit import AuditLogSerializer
from jxc.reporting.selectors import dashboard


class DashboardSerializer(serializers.Serializer):
    class Figures(serializers.Serializer):
        users = serializers.IntegerField()
        organizations = serializers.IntegerField()
        roles = serializers.IntegerField()
        active_tokens = serializers.IntegerField()
        audit_events_today = serializers.IntegerField()

    class Day(serializers.Serializer):
        date = serializers.DateField()
        count = serializers.IntegerField()

    figures = Figures()
    activity = Day(many=True)
    recent = AuditLogSerializer(many=True)


class DashboardView(JxcAPIView):
    """Figures for the home page, from the database; any member may see them."""

    permission_classes = [IsMember]

    @extend_schema(responses=DashboardSerializer)
    def get(self, request):
        data = dashboard(organization=request.organization, user=request.user)
        return Response(DashboardSerializer(data, context={"request": request}).data)
