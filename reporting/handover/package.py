"""The zip itself: files added one at a time, each hashed as it is written, and the manifest that lists them.

Nothing here holds more than one file's chunk at a time, so a round of gigabytes zips in the memory of one photo.
"""
import hashlib
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

MANIFEST = "manifest.json"
READABLE = 0o644 << 16  # unzipped files are readable as ordinary files, not owner-only


@dataclass(frozen=True)
class PackedFile:
    path: str
    bytes: int
    sha256: str


@dataclass
class Manifest:
    """What `manifest.json` says: the round, when the package was made, and every other file with its digest."""

    round_id: int
    round_name: str
    created_at: datetime
    files: list[PackedFile] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"round": {"id": self.round_id, "name": self.round_name}, "created_at": self.created_at.isoformat(),
                "files": [{"path": f.path, "bytes": f.bytes, "sha256": f.sha256} for f in self.files]}


class Package:
    """A zip written to `out` (any writable binary file, seekable or not), listing what it holds in a manifest."""

    def __init__(self, out: IO[bytes], manifest: Manifest):
        self.zip = zipfile.ZipFile(out, "w", allowZip64=True)
        self.manifest = manifest

    def add(self, path: str, chunks: Iterable[bytes], compress: bool = True) -> PackedFile:
        """Write one file from its chunks; photos are stored as they are (JPEG and PNG do not deflate)."""
        info = zipfile.ZipInfo(path, date_time=self.manifest.created_at.timetuple()[:6])
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = READABLE
        digest, size = hashlib.sha256(), 0
        with self.zip.open(info, "w") as entry:
            for chunk in chunks:
                entry.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        packed = PackedFile(path, size, digest.hexdigest())
        self.manifest.files.append(packed)
        return packed

    def add_text(self, path: str, text: str) -> PackedFile:
        return self.add(path, [text.encode("utf-8")])

    def close(self) -> Manifest:
        """The manifest goes last: it lists every file written before it."""
        data = json.dumps(self.manifest.as_json(), ensure_ascii=False, indent=2).encode("utf-8")
        info = zipfile.ZipInfo(MANIFEST, date_time=self.manifest.created_at.timetuple()[:6])
        info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, READABLE
        self.zip.writestr(info, data)
        self.zip.close()
        return self.manifest
