"""Writing files so that a reader never sees half of one, and reading one back a piece at a time."""
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

CHUNK = 64 * 1024  # what a streamed response sends at a time


def write_atomically(path: Path, data: bytes | bytearray, before_replace: Callable[[], object] | None = None) -> None:
    """Write to a temporary file beside `path`, then rename it into place; `before_replace` runs in between,
    and if it fails the file is not replaced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        os.fchmod(descriptor, 0o644)  # mkstemp makes it owner-only; codes and posters are for printing
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        if before_replace:
            before_replace()
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def file_chunks(file: IO[bytes], size: int = CHUNK) -> Iterator[bytes]:
    """The rest of `file`, `size` bytes at a time: a file made in a temporary place is never held whole."""
    while chunk := file.read(size):
        yield chunk
