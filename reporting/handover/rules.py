"""What the handover decides without the database: which reports still wait for a decision, and how a clue
number becomes a folder name that is safe on every system the zip is opened on."""
import re
import unicodedata

# Received, in review, or with a member's proposal waiting for a leader (the figures' `undecided`).
UNDECIDED = ("received", "in_review", "proposed")
SHOWN_UNDECIDED = 20  # the refusal names this many numbers, then counts the rest

# Characters no folder name may hold on Windows, macOS or Linux, and control characters; runs become one "_".
UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')
# Names Windows keeps for devices, whatever the extension.
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)), *(f"LPT{n}" for n in range(1, 10))}
MAX_NAME = 80


def safe_name(text: str) -> str:
    """`text` as one path part: no separators, no `..`, no reserved device name; "" when nothing is left."""
    name = UNSAFE.sub("_", unicodedata.normalize("NFC", text)).strip("._ ")[:MAX_NAME].rstrip("._ ")
    if name.split(".")[0].upper() in RESERVED:
        name = f"_{name}"
    return name


def folder_name(clue_number: str, report_id: int, taken: set[str]) -> str:
    """The clue's folder: its number made safe, or the report's number when that leaves nothing or collides
    with another clue's folder (compared without case, as Windows and macOS do). Adds the name to `taken`."""
    name = safe_name(clue_number) or f"report-{report_id}"
    if name.casefold() in taken:
        name = f"{name}-report-{report_id}"
    taken.add(name.casefold())
    return name

