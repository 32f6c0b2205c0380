"""A resident's path in a real browser on a 360 px phone: scan link, report with a photo, receipt, status.

Playwright drives Debian's Chromium (never a downloaded browser) against a live server, once with
JavaScript and once without, because the promise is that every public page works either way. The
server runs in a thread on its own committed SQLite file: the rolled-back `app` fixture cannot serve
another thread. CSRF stays on, so the forms are exercised as a phone would send them.
"""
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text

from tests.browser import PHONE, assert_fits_phone, require_chromium, screenshot, served

sync_api = require_chromium()


from reporting import create_app  # noqa: E402
from tests.conftest import app_config, migrate  # noqa: E402
from tests.factories import make_round  # noqa: E402

expect = sync_api.expect

RECEIPT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


@dataclass
class LiveSite:
    base_url: str
    scan_url: str
    database_url: str

    def stored_photos(self) -> int:
        """How many photos the site's database keeps."""
        engine = create_engine(self.database_url)
        with engine.connect() as connection:
            count = connection.execute(text("SELECT count(*) FROM attachment_blob")).scalar()
        engine.dispose()
        return count


@pytest.fixture(scope="module")
def live_site(tmp_path_factory):
    """The app served over real HTTP from a thread, on a migrated SQLite file holding one open round."""
    tmp_path = tmp_path_factory.mktemp("browser")
    url = f"sqlite:///{tmp_path / 'browser.sqlite'}"
    migrate(url, tmp_path)
    app = create_app(app_config(url, tmp_path) | {"TESTING": False})
    assert app.config.get("WTF_CSRF_ENABLED", True), "the browser test must see CSRF as residents do"
    with app.app_context():
        token = make_round().round_code.token
    with served(app) as base_url:
        yield LiveSite(base_url, f"{base_url}/r/{token}", url)


def open_phone(browser, live_site, *, javascript: bool):
    """A fresh phone-sized page, and the list of URLs on other hosts it requests (pages must load none)."""
    context = browser.new_context(java_script_enabled=javascript, **PHONE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    ours = urlsplit(live_site.base_url).netloc
    foreign = []

    def note_foreign(request):
        url = urlsplit(request.url)
        if url.scheme in ("http", "https") and url.netloc != ours:
            foreign.append(request.url)

    page.on("request", note_foreign)
    return context, page, foreign


def report_form(page, live_site, photo: Path, *, content: str) -> None:
    """Open the scan link and fill what every resident fills: the text and one photo."""
    response = page.goto(live_site.scan_url)
    assert response.status == 200
    assert_fits_phone(page)
    page.fill("textarea[name=content]", content)
    page.set_input_files("input[name=attachments]", str(photo))


def send(page, form_selector: str = "form") -> None:
    """Submit a form with its own button and wait for the answer page, as a tap would."""
    with page.expect_navigation():
        page.locator(f"{form_selector} button[type=submit]").click()


def read_receipt(page) -> str:
    receipt = page.locator("#receipt").inner_text().strip()
    assert RECEIPT.match(receipt), f"not a receipt code: {receipt!r}"
    return receipt


def look_up(page, live_site, receipt: str) -> None:
    """Type the receipt as residents do: lower case, spaces for hyphens. The report's page must answer."""
    page.goto(f"{live_site.base_url}/status")
    assert_fits_phone(page)
    page.fill("input[name=receipt]", receipt.lower().replace("-", " "))
    send(page)
    expect(page.locator("#public-status")).to_be_visible()
    expect(page.locator("#public-status")).not_to_have_text("")
    assert_fits_phone(page)


def add_information(page, *, message: str = "", photo: Path | None = None) -> None:
    """Use the report page's own form; the confirmation and the added text must show."""
    form = "form:has(textarea[name=message])"
    page.fill(f"{form} textarea[name=message]", message)
    if photo:
        page.set_input_files(f"{form} input[name=attachments]", str(photo))
    send(page, form)
    expect(page.locator(".notice-ok[role=status]")).to_be_visible()
    expect(page.locator("#public-status")).to_be_visible()


def test_a_named_report_with_a_photo_and_javascript(browser, live_site, photo):
    context, page, foreign = open_phone(browser, live_site, javascript=True)
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", on_dialog)
    content = "村委会主任把低保名额给了自己的亲戚，去年冬天开始的。"
    report_form(page, live_site, photo, content=content)
    screenshot(page, "intake-360")
    page.check("input[name=anonymous][value='0']")
    page.fill("input[name=reporter_name]", "王小明")
    page.fill("input[name=reporter_phone]", "138 0000 1234")
    photos_before = live_site.stored_photos()
    send(page)

    receipt = read_receipt(page)
    assert live_site.stored_photos() > photos_before, "the photo was not stored"
    assert_fits_phone(page)
    expect(page.locator("#print-receipt")).to_be_visible()
    expect(page.locator("#receipt-saved")).to_be_visible()

    # Browsers may skip the question on a page never touched: tap the code first, as a reader would.
    page.locator("#receipt").click()
    page.goto(f"{live_site.base_url}/status")
    assert dialogs == ["beforeunload"], "leaving an unsaved receipt did not ask first"

    look_up(page, live_site, receipt)
    expect(page.locator(".typed").first).to_have_text(content)
    add_information(page, message="补充：他的亲戚叫李四，住在三组。")
    expect(page.locator(".messages")).to_contain_text("李四")
    assert foreign == [], f"pages loaded from another host: {foreign}"
    context.close()


def test_an_anonymous_report_with_a_photo_without_javascript(browser, live_site, photo):
    context, page, foreign = open_phone(browser, live_site, javascript=False)
    content = "镇卫生院收红包，病人不给就拖着不看。"
    report_form(page, live_site, photo, content=content)
    expect(page.locator("input[name=anonymous][value='1']")).to_be_checked()
    photos_before = live_site.stored_photos()
    send(page)

    receipt = read_receipt(page)
    assert live_site.stored_photos() > photos_before, "the photo was not stored"
    assert_fits_phone(page)
    expect(page.locator("#print-receipt")).to_be_hidden()

    look_up(page, live_site, receipt)
    expect(page.locator(".typed").first).to_have_text(content)
    photos_before = live_site.stored_photos()
    add_information(page, photo=photo)
    assert live_site.stored_photos() > photos_before, "the added photo was not stored"
    assert foreign == [], f"pages loaded from another host: {foreign}"
    context.close()


def test_the_receipt_copies_in_one_tap_and_its_card_keeps_where_and_when(browser, live_site, photo):
    """A screenshot of the card alone must lead back: the code, the lookup address and the day are in it."""
    context, page, _ = open_phone(browser, live_site, javascript=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.on("dialog", lambda dialog: dialog.accept())
    report_form(page, live_site, photo, content="村里的路修了一半就停工了，款项去向不明。")
    send(page)
    receipt = read_receipt(page)
    card = page.locator("#receipt-card")
    expect(card.locator("#lookup-url")).to_have_text(re.compile(r"^https?://\S+/status$"))
    expect(card.locator("#received-on")).to_have_text(re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$"))
    expect(page.locator(".alert")).to_contain_text("截屏")
    page.locator("#copy-receipt").click()
    expect(page.locator("#copy-result")).to_contain_text("已复制")
    assert page.evaluate("navigator.clipboard.readText()") == receipt
    page.locator("#receipt").click()  # one tap selects the whole code, not one group between hyphens
    assert page.evaluate("window.getSelection().toString()").strip() == receipt
    assert_fits_phone(page)
    screenshot(page, "receipt-360")
    context.close()
