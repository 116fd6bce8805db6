"""``GET <document>/<id>/pdf/``: a document printed as a PDF, for any document viewset."""

import re

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.decorators import action

PDF = "application/pdf"


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """The PDF shown in the browser (inline), named for saving; the name is kept ASCII."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", filename).strip("-") or "document.pdf"
    response = HttpResponse(content, content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="{safe}"'
    return response


class PdfMixin:
    """Adds the ``pdf`` action, with the view permission of the viewset's module.

    ``pdf_renderer`` turns one document into PDF bytes; ``pdf_name`` starts the file name.
    """

    pdf_renderer = None
    pdf_name = "document"

    @extend_schema(
        summary="Print the document (打印) as a PDF",
        request=None,
        responses={(200, PDF): OpenApiResponse(OpenApiTypes.BINARY, description="PDF")},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        document = self.get_object()
        content = type(self).pdf_renderer(document)
        return pdf_response(content, f"{self.pdf_name}-{document.number or document.pk}.pdf")
