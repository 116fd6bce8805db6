"""Column definitions for imports: which headers mean which field, and how to read a cell."""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

TRUE = {"1", "true", "yes", "y", "是", "对", "√", "启用", "允许"}
FALSE = {"0", "false", "no", "n", "否", "×", "停用", "不允许"}


@dataclass(frozen=True)
class Column:
    field: str
    labels: tuple[str, ...]  # the first is the Chinese header written in templates
    parse: Callable = field(default=lambda value, ctx: value)
    required: bool = False
    example: str = ""


def normalize(header: str) -> str:
    """Compare headers loosely: case, spaces, '*' marks and bracketed notes do not matter."""
    header = re.sub(r"[（(][^）)]*[）)]", "", str(header or ""))
    return re.sub(r"[\s*_\-:：]", "", header).lower()


def text(max_length: int):
    def parse(value, ctx):
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # spreadsheet numbers used as codes
        value = str(value).strip()
        if len(value) > max_length:
            raise ValueError(_("At most %(n)d characters.") % {"n": max_length})
        return value

    return parse


def decimal(places: int, minimum=0, maximum=10**12):
    def parse(value, ctx):
        raw = str(value).strip().replace(",", "").rstrip("%")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite() or number < minimum or number > maximum:
            raise ValueError(
                _("Enter a number between %(min)s and %(max)s.")
                % {"min": minimum, "max": f"{maximum:,}"}
            )
        return number.quantize(Decimal(1).scaleb(-places))

    return parse


def integer(minimum=0, maximum=10**9):
    def parse(value, ctx):
        number = decimal(0, minimum, maximum)(value, ctx)
        if number != int(number):
            raise ValueError(_("Enter a whole number."))
        return int(number)

    return parse


def boolean(value, ctx):
    if isinstance(value, bool):
        return value
    text_value = str(value).strip().lower()
    if text_value in TRUE:
        return True
    if text_value in FALSE:
        return False
    raise ValueError(_("Enter yes or no (是/否)."))


def choice(choices):
    """Accepts a choice's stored value or its label in any language."""

    def parse(value, ctx):
        wanted = str(value).strip().lower()
        for stored, label in choices:
            if wanted in (str(stored).lower(), str(label).lower()):
                return stored
        raise ValueError(
            _("Choose one of: %(choices)s.")
            % {"choices": ", ".join(str(label) for _s, label in choices)}
        )

    return parse


def reference(lookup_name: str, what):
    """A related record given by code or name, resolved from ``ctx[lookup_name]``."""

    def parse(value, ctx):
        key = str(value).strip().lower()
        if isinstance(value, float) and value.is_integer():
            key = str(int(value))
        found = ctx[lookup_name].get(key)
        if found is None:
            raise ValueError(_("Unknown %(what)s “%(value)s”.") % {"what": what, "value": value})
        return found

    return parse


def date(value, ctx):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise ValueError(_("Enter a date as YYYY-MM-DD.")) from None
