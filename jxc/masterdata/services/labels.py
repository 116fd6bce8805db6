"""Barcode labels for products and locations as a PDF, sized for label sheets or printers."""

import base64
import io
from dataclasses import dataclass

import barcode
import segno
from barcode.writer import SVGWriter
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from jxc.core.errors import ValidationFailed
from jxc.masterdata.domain.codes import barcode_symbology


@dataclass(frozen=True)
class LabelLayout:
    """A page of ``columns`` × ``rows`` labels of ``width`` × ``height`` mm."""

    code: str
    name: str
    page_width: float
    page_height: float
    columns: int
    rows: int
    width: float
    height: float


LAYOUTS = {
    layout.code: layout
    for layout in [
        LabelLayout("a4-3x8", "A4 3×8 (70×37 mm)", 210, 297, 3, 8, 70, 37),
        LabelLayout("a4-4x10", "A4 4×10 (52.5×29.7 mm)", 210, 297, 4, 10, 52.5, 29.7),
        LabelLayout("roll-60x40", "Label printer 60×40 mm", 60, 40, 1, 1, 60, 40),
        LabelLayout("roll-50x30", "Label printer 50×30 mm", 50, 30, 1, 1, 50, 30),
    ]
}
MAX_LABELS = 5000


@dataclass(frozen=True)
class Label:
    title: str
    code: str
    barcode: str
    price: str = ""


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def barcode_svg(value: str) -> str:
    """EAN-13/UPC/EAN-8 when the value is one, else Code 128."""
    symbology = barcode_symbology(value) or "code128"
    name = {"ean13": "ean13", "upca": "upca", "ean8": "ean8"}.get(symbology, "code128")
    value_for_writer = value[:-1] if name in ("ean13", "upca", "ean8") else value
    buffer = io.BytesIO()
    barcode.get(name, value_for_writer, writer=SVGWriter()).write(
        buffer,
        options={
            "module_height": 8.0,
            "font_size": 6,
            "text_distance": 3,
            "quiet_zone": 2.0,
            "write_text": True,
        },
    )
    return _data_uri(buffer.getvalue())


def qr_svg(value: str) -> str:
    buffer = io.BytesIO()
    segno.make(value, micro=False).save(buffer, kind="svg", scale=4, border=1)
    return _data_uri(buffer.getvalue())


def render_labels(labels: list[Label], *, layout_code: str, copies: int = 1) -> bytes:
    layout = LAYOUTS.get(layout_code)
    if layout is None:
        raise ValidationFailed(_("Unknown label layout."), field="layout")
    if not 1 <= copies <= 100:
        raise ValidationFailed(_("Print between 1 and 100 copies."), field="copies")
    items = [label for label in labels for _copy in range(copies)]
    if not items:
        raise ValidationFailed(_("Choose at least one record to print."), field="ids")
    if len(items) > MAX_LABELS:
        raise ValidationFailed(
            _("At most %(n)d labels at once.") % {"n": MAX_LABELS}, field="copies"
        )
    rendered = [
        {"label": label, "barcode": barcode_svg(label.barcode), "qr": qr_svg(label.barcode)}
        for label in items
    ]
    html = render_to_string("masterdata/labels.html", {"layout": layout, "items": rendered})
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
