"""QR code images of intake URLs, fit for print."""
import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M
from qrcode.image.svg import SvgImage

QUIET_ZONE_MODULES = 4  # the minimum scanners expect around a code


def qr_matrix(url: str) -> qrcode.QRCode:
    # Level M survives a scuffed or creased poster without making the code too dense to scan from afar.
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE_MODULES, box_size=10)
    code.add_data(url)
    code.make(fit=True)
    return code


PRINT_PIXELS = 1000  # a download is printed by whoever gets it: large enough for an A4 poster of its own


def qr_png(url: str, box_size: int | None = None) -> bytes:
    """A 1-bit PNG: small, sharp at any print size. Without a box size, whole pixels per module making it at
    least PRINT_PIXELS wide."""
    code = qr_matrix(url)
    modules = code.modules_count + 2 * QUIET_ZONE_MODULES
    code.box_size = box_size or -(-PRINT_PIXELS // modules)
    image = code.make_image().get_image().convert("1")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def qr_svg(url: str) -> bytes:
    """The same code as `qr_png` (same version, mask and quiet zone), as a vector for print shops."""
    image = qr_matrix(url).make_image(image_factory=SvgImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
