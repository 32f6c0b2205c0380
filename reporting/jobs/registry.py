"""The kinds of job: a feature registers what makes its file with one decorator, `@job_kind(name, label)`.

A kind is a function of the job's parameters (JSON) and its owner, returning the file's name, media type
and bytes as an iterator: the runner stores the pieces as they come, so no result sits whole in memory.
"""
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from reporting.models import StaffUser


class Result(NamedTuple):
    filename: str
    media_type: str
    chunks: Iterable[bytes]


Produce = Callable[[dict[str, Any], StaffUser], Result]


@dataclass(frozen=True)
class Kind:
    produce: Produce
    label: Any  # a lazy string: what the job's page calls it


KINDS: dict[str, Kind] = {}


def job_kind(name: str, label: Any) -> Callable[[Produce], Produce]:
    """Register the decorated function as the maker of jobs of kind `name`."""

    def register(produce: Produce) -> Produce:
        KINDS[name] = Kind(produce, label)
        return produce

    return register


def kind_label(name: str) -> Any:
    """What a job's page calls its kind; a kind no longer registered (after an upgrade) by its name."""
    return KINDS[name].label if name in KINDS else name


class JobRefused(Exception):
    """A job that cannot be done for a reason its owner should read (a key of rules.FAILURES)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
