"""Resident text is kept as typed: only control characters that no one types on purpose are removed."""
import re

# C0 and C1 controls except tab and newline; line endings become \n.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str | None) -> str:
    if not value:
        return ""
    return _CONTROLS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
