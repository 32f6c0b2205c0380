"""What every browser test shares: Debian's Chromium through Playwright, a phone to open pages on and the
check that a page fits it, and the app served from a thread.

The server runs on its own committed SQLite file (the rolled-back `app` fixture cannot serve another
thread), over plain HTTP or over real TLS with a certificate the test makes itself.
"""
import datetime
import ipaddress
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from reporting.extensions import db

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]


def screenshot(page, name: str) -> None:
    """A full-page picture to look at, written only where REPORTING_SCREENSHOTS names a folder."""
    folder = os.environ.get("REPORTING_SCREENSHOTS")
    if folder:
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


# A resident's phone: 360 CSS pixels wide, touch, a mobile Chrome's user agent.
PHONE_WIDTH = 360
PHONE = {
    "viewport": {"width": PHONE_WIDTH, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "user_agent": ("Mozilla/5.0 (Linux; Android 13; Pixel 5) AppleWebKit/537.36 "
                   "(KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"),
}

# A staff member's desk: 1366 px wide, a browser set to Chinese; the TLS tests' certificate is their own.
DESK = {"viewport": {"width": 1366, "height": 900}, "locale": "zh-CN", "ignore_https_errors": True}


@contextmanager
def opened_page(browser, device: dict):
    """A page in a fresh browser context on `device` (PHONE or DESK): its own cookies, closed afterwards."""
    context = browser.new_context(**device)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()
STAFF_PASSWORD = "staff password"

# The text nodes under the matched elements that take more than one line: a Range gives one box per line.
WRAPPED_TEXT = """(selector) => Array.from(document.querySelectorAll(selector)).flatMap(element => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT), wrapped = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    const boxes = Array.from(range.getClientRects()).filter(box => box.width > 0);
    const lines = new Set(boxes.map(box => Math.round(box.top)));
    if (node.textContent.trim() && lines.size > 1) wrapped.push(node.textContent.trim());
  }
  return wrapped;
})"""

# The inputs a resident sees and must be told what to type in: not hidden ones, not the honeypot.
UNLABELLED_FIELDS = """() => Array.from(document.querySelectorAll('input, select, textarea'))
  .filter(el => el.type !== 'hidden' && !el.closest('.trap') && el.getClientRects().length > 0)
  .filter(el => !Array.from(el.labels || []).some(label => label.textContent.trim())
                && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id || el.outerHTML)"""


def require_chromium():
    """Skip the calling module where Debian's Chromium or Playwright is missing; return Playwright's sync API."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's package (apt-get install chromium)",
                    allow_module_level=True)
    return pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the `test` extra)")


def assert_fits_phone(page) -> None:
    """No sideways scrolling at 360 px, and every field a resident sees carries a label."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"{page.url} scrolls sideways: {width}px wide"
    assert page.evaluate(UNLABELLED_FIELDS) == [], f"{page.url} has fields without a label"


def wrapped_text(page, selector: str) -> list[str]:
    """The texts in the elements `selector` matches that break over more than one line (a cell squeezed by its
    neighbours wraps one character a line)."""
    return page.evaluate(WRAPPED_TEXT, selector)


def log_in(page, base_url: str, username: str) -> None:
    """Log a staff account in through the login page; it lands on the queue."""
    page.goto(f"{base_url}/staff/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", STAFF_PASSWORD)
    with page.expect_navigation():
        page.click("form button[type=submit]")
    assert page.url == f"{base_url}/staff/", page.content()[:2000]


@contextmanager
def chromium(sync_api):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def self_signed_certificate(folder: Path) -> tuple[str, str]:
    """A certificate and key for 127.0.0.1 and localhost, valid for a day; returns their paths."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([
            x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return str(cert_path), str(key_path)


@contextmanager
def served(app, tls_folder: Path | None = None):
    """Serve `app` from a thread on a free port; over TLS when given a folder for the certificate. Yields the URL;
    at the end the server stops and the app's database connections are closed."""
    ssl_context = self_signed_certificate(tls_folder) if tls_folder else None
    server = make_server("127.0.0.1", 0, app, threaded=True, ssl_context=ssl_context)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls_folder else 'http'}://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        with app.app_context():
            db.engine.dispose()
