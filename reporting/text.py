"""Resident text is kept as typed: only control characters that no one types on purpose are removed."""
import re
import unicodedata

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
