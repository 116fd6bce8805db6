"""Pure checks and conversions for codes: barcodes, credit codes, pinyin mnemonics."""

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# 统一社会信用代码 (GB 32100-2015): 18 characters from this alphabet, the last a check character
_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_is_valid(code: str) -> bool:
    code = code.strip().upper()
    if len(code) != 18 or any(c not in _CREDIT_ALPHABET for c in code):
        return False
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(code, _CREDIT_WEIGHTS, strict=False))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31] == code[17]


def credit_code_check_character(first17: str) -> str:
    total = sum(
        _CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True)
    )
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def gtin_check_digit(digits: str) -> str:
    """The GS1 check digit for the digits before it (EAN-8, UPC-A, EAN-13)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(digits)))
    return str((10 - total % 10) % 10)


def barcode_symbology(barcode: str) -> str | None:
    """The symbology a barcode is valid in, or None when it is valid in none.

    Numeric codes of 8, 12 or 13 digits must carry a correct GS1 check digit (EAN-8, UPC-A,
    EAN-13); anything else printable ASCII is Code 128.
    """
    if not barcode or len(barcode) > 48:
        return None
    if barcode.isdigit() and len(barcode) in (8, 12, 13):
        if gtin_check_digit(barcode[:-1]) != barcode[-1]:
            return None
        return {8: "ean8", 12: "upca", 13: "ean13"}[len(barcode)]
    if all(32 <= ord(c) < 127 for c in barcode):
        return "code128"
    return None


@lru_cache(maxsize=65536)
def pinyin_initials(text: str) -> str:
    """可口可乐 330ml → ``kkkl330ml``: initials of Chinese characters, other characters kept."""
    letters = lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default")
    return "".join(letters).lower().replace(" ", "")[:128]


def search_text(*parts: str) -> str:
    return " ".join(p.lower() for p in parts if p)
