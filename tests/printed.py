"""Reading what a printed document (jxc.core.printing) lays out on its pages."""


def page_texts(html: str) -> list[str]:
    """The text laid out on each page (margin boxes included), from WeasyPrint's own layout."""
    from weasyprint import HTML
    from weasyprint.formatting_structure.boxes import TextBox

    document = HTML(string=html).render()
    return [
        "".join(box.text for box in page._page_box.descendants() if isinstance(box, TextBox))
        for page in document.pages
    ]
