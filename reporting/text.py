"""Resident text is kept as typed: only control characters that no one types on purpose are removed."""
import re
import unicodedata

from flask import Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import BaseConverter

# C0 and C1 controls except tab and newline; line endings become \n.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str | None) -> str:
    if not value:
        return ""
    return _CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def subject_key(name: str, unit: str) -> str:
    """Name and unit of the person reported, normalised so that the same person is found again.

    Width, case and spacing are ignored (“张 三”, “张三”; “ＡＢＣ” and “abc”); empty when no name is given.
    """
    name = normalized(name)
    return f"{name}|{normalized(unit)}" if name else ""


def normalized(value: str) -> str:
    return "".join(unicodedata.normalize("NFKC", value or "").casefold().split())


def without_nul(text: str) -> str:
    return text.replace("\x00", "")


class NulFreeMultiDict(ImmutableMultiDict):
    """Query and form values without NUL: no one types it, and PostgreSQL refuses it in text (a 500, the
    typed text lost). Removed once here, so no form, filter or login name can carry it to the database."""

    def __init__(self, mapping=None):
        if isinstance(mapping, MultiDict):
            mapping = mapping.items(multi=True)
        elif isinstance(mapping, dict):  # a value may be a list of values, as MultiDict takes it
            mapping = [(key, item) for key, value in mapping.items()
                       for item in (value if isinstance(value, (list, tuple)) else [value])]
        super().__init__(None if mapping is None else [
            (without_nul(key), without_nul(value) if isinstance(value, str) else value) for key, value in mapping])


class NulFreeRequest(Request):
    parameter_storage_class = NulFreeMultiDict


class PathPart(BaseConverter):
    """The default `<name>` of routes: a NUL in a path is a 404, never a query (`/r/%00` was a 500)."""

    regex = "[^/\x00]+"
