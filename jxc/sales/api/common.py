"""What the sales API's serializers and viewsets share."""

from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response

from jxc.core.api.fields import DisplayNameField
from jxc.core.api.views import OrganizationScopedViewSet

QUANTITY = {"max_digits": 18, "decimal_places": 4, "max_value": 10**12}
PRICE = {"max_digits": 20, "decimal_places": 6, "max_value": 10**12}


class HeaderFields(serializers.ModelSerializer):
    customer_name = serializers.CharField(source="customer.name", read_only=True)
    created_by_name = DisplayNameField(source="created_by", label=_("created by"))

    HEADER = ["id", "number", "state", "business_date", "customer", "customer_name", "note",
              "created_by_name", "created_at", "posted_at"]  # fmt: skip
    READ_ONLY = ["number", "state", "created_at", "posted_at"]


class DocumentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    OrganizationScopedViewSet,
):
    module = "sales"
    ordering = ["-business_date", "-id"]
    ordering_fields = ["business_date", "number", "created_at"]
    save_service = None  # (organization=, user=, data=, <document>=) -> document
    document_argument = "document"

    def _save(self, serializer, instance=None):
        arguments = {
            "organization": self.request.organization,
            "user": self.request.user,
            "data": serializer.validated_data,
        }
        if instance is not None:
            arguments[self.document_argument] = instance
        document = type(self).save_service(**arguments)
        # read back with the lines' products and units joined, not one query per line
        serializer.instance = self.get_queryset().get(pk=document.pk)

    def perform_create(self, serializer):
        self._save(serializer)

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance)

    def action_target(self):
        """The document an action works on, read plainly: the service reads it again under
        its lock, so the joins and prefetches of the list would be wasted."""
        document = get_object_or_404(
            self.get_queryset().select_related(None).prefetch_related(None), pk=self.kwargs["pk"]
        )
        self.check_object_permissions(self.request, document)
        return document

    def _done(self, document):
        return Response(self.get_serializer(self.get_queryset().get(pk=document.pk)).data)

    def _email(self, request, service):
        """Check the request and schedule the e-mail: 202, the job's id and its addresses."""
        body = EmailDocumentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        queued = service(
            self.action_target(),
            user=request.user,
            to=data.get("to"),
            cc=data.get("cc", []),
            message=data.get("message", ""),
        )
        return Response(EmailQueuedSerializer(queued).data, status=status.HTTP_202_ACCEPTED)


class EmailDocumentSerializer(serializers.Serializer):
    """发送邮件: a sales document's PDF to the customer, sent in the background."""

    to = serializers.ListField(
        child=serializers.EmailField(),
        required=False,
        max_length=20,
        label=_("to"),
        help_text=_("Blank: the customer's contact's e-mail address."),
    )
    cc = serializers.ListField(
        child=serializers.EmailField(), required=False, max_length=20, label=_("cc")
    )
    message = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, label=_("message")
    )


class EmailQueuedSerializer(serializers.Serializer):
    job = serializers.CharField(label=_("job"), help_text=_("The send's id in the history."))
    to = serializers.ListField(child=serializers.EmailField(), label=_("to"))
    cc = serializers.ListField(child=serializers.EmailField(), label=_("cc"))
