"""Receiving bodies (接收单位) of a round and the rank table that suggests one (干部管理权限).

Pure functions and data: the round keeps its own list and table; these are the defaults a new round (and the
upgrade) starts from. The names are data, kept in Chinese like the clue disposals.
"""
from flask_babel import lazy_gettext as _l

DEFAULT_BODIES = ("纪检监察机关", "组织部门", "宣传部门", "信访部门", "政法机关")
OTHER = "其他"  # a functional department by name, or anything else: its name is then required
RANKS = ("村(社区)干部", "一般干部", "乡科级", "县处级", "厅局级及以上")
# Which body a cadre of each rank is suggested to by default: cadres the round's level manages go to the
# 纪检监察机关; higher ranks are managed by a higher level's 组织部门. Each round edits its own table.
DEFAULT_RANK_BODIES = {"村(社区)干部": "纪检监察机关", "一般干部": "纪检监察机关", "乡科级": "纪检监察机关",
                       "县处级": "组织部门", "厅局级及以上": "组织部门"}


class BodyRefused(ValueError):
    """A transfer's body is not one the round offers, or 其他 without a name; `field` is the form's field."""

    def __init__(self, field: str, message):
        super().__init__(message)
        self.field = field
        self.message = message


def choices(bodies: list[str]) -> list[str]:
    """What a transfer may name: the round's list, then 其他."""
    return [*bodies, OTHER]


def receiving_body(bodies: list[str], body: str, name: str) -> tuple[str, str]:
    """(body, name) for a transfer, or BodyRefused: one of the round's bodies or 其他, and with 其他 a name."""
    if body not in choices(bodies):
        raise BodyRefused("body", _l("Choose one of the round's receiving bodies, or 其他."))
    if body == OTHER and not name:
        raise BodyRefused("body_name", _l("With 其他, write the name of the body."))
    return body, name


def suggested_body(bodies: list[str], rank_bodies: dict[str, str], rank: str) -> str:
    """The body the rank table names for `rank`, if it is still among the round's bodies; "" otherwise."""
    body = rank_bodies.get(rank, "")
    return body if body in bodies else ""


def body_label(body: str, name: str) -> str:
    """How a transfer's body reads: the specific name when there is one, with the listed kind beside it."""
    if not name:
        return body
    return name if body == OTHER else f"{name}（{body}）"


def distinct_bodies(names) -> list[str]:
    """A round's receiving bodies as an admin typed them: trimmed, the blank ones and repeats left out."""
    return list(dict.fromkeys(name.strip() for name in names if name.strip()))


def bodies_refusal(bodies: list[str], longest: int):
    """Why a round's list of receiving bodies is refused (a name past `longest` characters, or 其他), or None."""
    if any(len(body) > longest for body in bodies):
        return _l("Each body may have at most %(num)d characters.", num=longest)
    if OTHER in bodies:
        return _l("其他 is always offered; leave it out of the list.")
    return None


def parse_rank_table(text: str, bodies: list[str]) -> dict[str, str]:
    """An admin's `rank=body` lines as a table; ValueError names the first line that is not one."""
    table = {}
    for line in filter(None, (line.strip() for line in text.splitlines())):
        rank, _, body = (part.strip() for part in line.replace("＝", "=").partition("="))
        if not ranked_body(rank, body, bodies):
            raise ValueError(line)
        table[rank] = body
    return table


def ranked_body(rank: str, body: str, bodies: list[str]) -> bool:
    """Whether a line of the rank table names a known rank and one of the round's bodies."""
    return rank in RANKS and body in bodies


def rank_table_text(table: dict[str, str]) -> str:
    return "\n".join(f"{rank}={table[rank]}" for rank in RANKS if rank in table)
