"""Is what a named reporter typed a Chinese phone number the team can call back? Checked as one number: a mobile
of 11 digits, or a landline with its area code (starting with 0) and an optional extension. It is stored as typed."""
import re
import unicodedata

SEPARATORS = re.compile(r"[\s\-()（）]")
COUNTRY = re.compile(r"^(?:\+86|0086|86)")
MOBILE = re.compile(r"1[3-9]\d{9}")
LANDLINE = re.compile(r"0\d{2,3}[2-9]\d{6,7}")  # area code 0xx or 0xxx, local number of 7 or 8 digits
EXTENSION = re.compile(r"^(?P<number>.+?)\s*(?:转|分机|ext\.?|x|#)\s*\d{1,6}$", re.IGNORECASE)
TRAILING_EXTENSION = re.compile(r"^(?P<number>.+)-\d{1,6}$")  # 0731-88888888-123


def is_phone_number(typed: str) -> bool:
    text = unicodedata.normalize("NFKC", typed).strip()  # full-width digits and brackets as typed on phones
    marked = EXTENSION.match(text)
    if marked:
        return is_landline(marked["number"])
    if is_mobile(text) or is_landline(text):
        return True
    trailing = TRAILING_EXTENSION.match(text)
    return trailing is not None and is_landline(trailing["number"])


def digits_of(text: str) -> str:
    return SEPARATORS.sub("", text)


def is_mobile(text: str) -> bool:
    return MOBILE.fullmatch(COUNTRY.sub("", digits_of(text))) is not None


def is_landline(text: str) -> bool:
    """From abroad the area code loses its 0: +86 731 8888 8888 is 0731 8888 8888."""
    digits = digits_of(text)
    national = "0" + COUNTRY.sub("", digits) if COUNTRY.match(digits) else digits
    return LANDLINE.fullmatch(national) is not None
