"""Images from residents and staff: checked by content and re-encoded without metadata, before the submission
services keep them in the database; and the PDF scans of letters staff attach, kept byte for byte.

Re-encoding copies only pixels into a new image, so EXIF (with GPS), XMP, ICC profiles, comments and
PNG text chunks are left behind; the EXIF orientation is applied first so the picture stays upright.
A PDF is not re-encoded (a scanned letter is evidence as it came); staff only download it, never view it inline.
"""
import io
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError
from werkzeug.datastructures import FileStorage

MAX_FILES = 5
MAX_FILE_MB = 10
MAX_FILE_BYTES = MAX_FILE_MB * 1024 * 1024
PHOTO_LIMITS = {"count": MAX_FILES, "mb": MAX_FILE_MB}  # for the pages' hints, as `_("...", **photo_limits)`
# About 50 megapixels: any phone photo fits; a "decompression bomb" of billions of pixels is refused at open.
MAX_PIXELS = 50_000_000
MAX_SIDE = 2048  # larger photos are scaled down: a photographed page stays legible, storage and CPU bounded
# A JPEG is decoded at 1/2, 1/4 or 1/8 of its size when its long side stays at least this (a 12-megapixel
# photo decodes at 2016x1512): a quarter of the pixels to decode, hold and re-encode.
MIN_DECODED_SIDE = 1600
MAX_REQUEST_PIXELS = 2 * MAX_PIXELS  # all the photos of one request, counted from their headers before decoding
Image.MAX_IMAGE_PIXELS = MAX_PIXELS  # Pillow warns past this at open (an error here) and refuses past twice it
ACCEPTED = {"JPEG": ("image/jpeg", "jpg"), "PNG": ("image/png", "png"), "WEBP": ("image/webp", "webp")}
PDF_MAGIC = b"%PDF-"  # every PDF starts so (ISO 32000); a file named .pdf that does not is refused, not guessed at
PDF_TYPE = "application/pdf"
# A stored file's extension by its type: downloads and the handover zip name files by what they hold.
EXTENSIONS = {content_type: ext for content_type, ext in ACCEPTED.values()} | {PDF_TYPE: "pdf"}


REFUSALS = {
    "too_many": _l("Attach at most %(count)d photos."),
    "too_large": _l("A photo is larger than %(mb)d MB: %(name)s."),
    "too_many_pixels": _l("A photo has too many pixels: %(name)s."),
    "not_image": _l("Only JPEG, PNG and WebP photos can be attached: %(name)s."),
    "not_scan": _l("Only PDF scans and JPEG, PNG or WebP images can be attached: %(name)s."),
    "not_pdf": _l("This file is named as a PDF but is not one: %(name)s."),
    "too_many_files": _l("Attach at most %(count)d files."),
    "pdf_too_large": _l("A PDF is larger than %(mb)d MB: %(name)s."),
}


class ImageRefused(ValueError):
    """An upload that is not stored; `reason` is a key the page turns into words."""

    def __init__(self, reason: str, filename: str = ""):
        super().__init__(reason)
        self.reason = reason
        self.filename = filename


def refusal_message(refused: ImageRefused) -> str:
    """Why the photos were refused, in the reader's language, naming the file at fault."""
    return str(REFUSALS[refused.reason] % (PHOTO_LIMITS | {"name": refused.filename}))


@dataclass
class CleanImage:
    data: bytes
    content_type: str
    extension: str
    width: int
    height: int


@dataclass
class KeptPdf:
    """A scanned letter as it was uploaded: it has no pixel size."""

    data: bytes
    content_type: str = PDF_TYPE
    extension: str = "pdf"
    width: None = None
    height: None = None


Upload = CleanImage | KeptPdf
Cleaned = TypeVar("Cleaned", CleanImage, Upload)


def extension(content_type: str) -> str:
    return EXTENSIONS.get(content_type, "bin")


def chosen_files(files: list[FileStorage]) -> list[FileStorage]:
    """The file inputs that carry a file (browsers send an empty part when none is chosen); a plain text field
    of the same name, which no browser sends, is ignored."""
    return [file for file in files or [] if isinstance(file, FileStorage) and file.filename]


def clean_images(files: list[FileStorage]) -> list[CleanImage]:
    """Check and re-encode every chosen file, or refuse the lot: nothing is stored half-way."""
    return clean_all(files, clean_image, "too_many")


def clean_scans(files: list[FileStorage]) -> list[Upload]:
    """Staff's attachments: PDF scans kept as they are, images cleaned as residents' are; or the lot refused."""
    return clean_all(files, clean_scan, "too_many_files")


def clean_all(files: list[FileStorage], clean: Callable[[FileStorage, list[int]], Cleaned], too_many: str,
              ) -> list[Cleaned]:
    """`clean` each chosen file under one pixel budget for the request, or refuse them all."""
    files = chosen_files(files)
    if len(files) > MAX_FILES:
        raise ImageRefused(too_many)
    budget = [MAX_REQUEST_PIXELS]
    return [clean(file, budget) for file in files]


def clean_scan(file: FileStorage, budget: list[int]) -> Upload:
    """A PDF by its first bytes, else an image; a file that claims to be a PDF (its name or type) must be one."""
    name = file.filename or ""
    head = file.stream.read(len(PDF_MAGIC))
    file.stream.seek(0)
    if head == PDF_MAGIC:
        return kept_pdf(file)
    if name.lower().endswith(".pdf") or file.mimetype == PDF_TYPE:
        raise ImageRefused("not_pdf", name)
    try:
        return clean_image(file, budget)
    except ImageRefused as refused:
        if refused.reason != "not_image":
            raise
        raise ImageRefused("not_scan", name) from refused


def kept_pdf(file: FileStorage) -> KeptPdf:
    data = file.stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ImageRefused("pdf_too_large", file.filename or "")
    return KeptPdf(data)


def clean_image(file: FileStorage, budget: list[int] | None = None) -> CleanImage:
    """One photo, checked by its content and re-encoded; `budget` holds the pixels the request may still bring."""
    name = file.filename or ""  # always set: `clean_images` passes only what `chosen_files` kept
    data = file.stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ImageRefused("too_large", name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(io.BytesIO(data))
            # Many Android phones add a depth map or HDR gain map: Pillow calls such a JPEG "MPO".
            image_format = "JPEG" if image.format == "MPO" else image.format
            if image_format not in ACCEPTED:
                raise ImageRefused("not_image", name)
            if budget is not None:
                budget[0] -= image.width * image.height
                if budget[0] < 0:
                    raise ImageRefused("too_many_pixels", name)
            if image_format == "JPEG":
                shrink = max(1, max(image.size) // MIN_DECODED_SIDE)
                image.draft("RGB" if image.mode != "L" else "L", (image.width // shrink, image.height // shrink))
            ImageOps.exif_transpose(image, in_place=True)  # upright, without a copy of the pixels
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            return reencode(image, image_format)
    except ImageRefused:
        raise
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as error:
        raise ImageRefused("too_many_pixels", name) from error
    # ValueError: Pillow's refusal of a text or ICC chunk that inflates past its limit (a zip bomb in a PNG).
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
        raise ImageRefused("not_image", name) from error


def reencode(image: Image.Image, image_format: str) -> CleanImage:
    """Only the pixels survive: the image's `info` (EXIF, XMP, ICC, comments, PNG text) is emptied and nothing
    is passed to `save`, which writes metadata only from those two; no full-size copy is made for it."""
    mode = image.mode
    if image_format == "JPEG" and mode not in ("RGB", "L"):
        mode = "RGB"
    elif mode not in ("RGB", "RGBA", "L", "LA"):
        mode = "RGBA" if "A" in mode or "transparency" in image.info else "RGB"
    if image.mode != mode:
        image = image.convert(mode)
    image.info = {}
    buffer = io.BytesIO()
    if image_format == "JPEG":
        image.save(buffer, "JPEG", quality=88)
    elif image_format == "PNG":
        image.save(buffer, "PNG", compress_level=6)
    else:
        image.save(buffer, "WEBP", quality=85)
    content_type, extension = ACCEPTED[image_format]
    return CleanImage(buffer.getvalue(), content_type, extension, image.width, image.height)
