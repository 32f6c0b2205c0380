"""Tibetan and Uyghur intake pages on a 360 px phone in Chromium: the site's own font loads, the page fits, `lang` and
`dir` are right, axe-core finds no serious issue, and a report in the script goes through to its receipt. The
Chinese page loads no font and nothing more than before."""
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import create_engine, text

from tests.browser import PHONE, assert_fits_phone, require_chromium, screenshot, served

sync_api = require_chromium()

from reporting.intake.services import submit_report  # noqa: E402
from tests.conftest import app_on_own_file  # noqa: E402
from tests.factories import make_round, make_staff, submission  # noqa: E402

AXE = Path(__file__).resolve().parent.parent / "vendor" / "axe-core" / "axe.min.js"
RECEIPT = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")
# What the Chinese intake page loaded before the minority languages came (CAPTCHA off, as in app_config).
DESK = {"viewport": {"width": 1366, "height": 900}}
STAFF_PASSWORD = "desk password"
UYGHUR_REPORT = "يېزا كادىرى ياردەم پۇلىنى ئۆز تۇغقانلىرىغا بەردى."
CHINESE_PAGE_RESOURCES = ["/static/css/print.css", "/static/css/site.css", "/static/js/draft.js"]
SCRIPTS = {
    "bo": {"tag": "bo", "dir": "ltr", "font": "Noto Serif Tibetan", "file": "NotoSerifTibetan-Regular-subset.woff2",
           "sample": "ཀ", "content": "གྲོང་ཚོའི་འགོ་ཁྲིད་ཀྱིས་དམའ་འབབ་འཚོ་རྟེན་གྱི་མིང་ཐོ་རང་གི་ཉེ་ཚན་ལ་སྤྲད་འདུག"},
    "ug": {"tag": "ug", "dir": "rtl", "font": "Noto Naskh Arabic", "file": "NotoNaskhArabic-Regular-subset.woff2",
           "sample": "ۆ", "content": "كەنت كادىرلىرى تۆۋەن كىرىملىك ياردەم پۇلىنى ئۆز تۇغقانلىرىغا بېرىۋەتتى."},
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """The app served from a thread on a migrated SQLite file holding one open round in Tibetan and Uyghur."""
    app = app_on_own_file(tmp_path_factory, "languages", TESTING=False)
    with app.app_context():
        round_ = make_round(name="玉树州第一轮巡察", languages=["bo", "ug"], intake_hours="工作日 9:00-18:00")
        token = round_.round_code.token
        make_staff("admin", username="admin", password=STAFF_PASSWORD)
        submit_report(round_.round_code, submission(content=UYGHUR_REPORT, subject_name="ئابدۇرېشىت"), [])
        chinese_only = make_round(name="城关镇巡察").round_code.token
    with served(app) as base_url:
        yield base_url, token, app.config["SQLALCHEMY_DATABASE_URI"], chinese_only


def phone(browser, *, axe: bool = False):
    """A fresh phone, and the paths of this site it fetched (with their status). With `axe`, every page it opens
    has axe-core: added as DevTools adds a script to each new document, so the page's `script-src 'self'` lets it
    run (`page.add_script_tag` writes an inline script, which that policy refuses)."""
    context = browser.new_context(**PHONE)
    if axe:
        context.add_init_script(path=str(AXE))
    context.set_default_timeout(15_000)
    page = context.new_page()
    fetched: list[tuple[str, int]] = []
    page.on("response", lambda response: fetched.append((urlsplit(response.url).path, response.status)))
    return context, page, fetched


def serious_issues(page) -> list[dict]:
    """axe-core's serious and critical findings on the page."""
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [{"id": v["id"], "impact": v["impact"], "nodes": [n["html"] for n in v["nodes"]][:3]}
            for v in results["violations"] if v["impact"] in ("serious", "critical")]


def stored_content(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT content FROM report ORDER BY id")).scalars().all()
    engine.dispose()
    return list(rows)


@pytest.mark.parametrize("code", SCRIPTS)
def test_a_minority_language_intake_page_on_a_phone(browser, site, code):
    base_url, token, database_url, _ = site
    script = SCRIPTS[code]
    context, page, fetched = phone(browser, axe=True)
    try:
        assert page.goto(f"{base_url}/r/{token}?lang={code}").status == 200
        page.evaluate("document.fonts.ready")
        html = page.locator("html")
        assert html.get_attribute("lang") == script["tag"]
        assert page.evaluate("getComputedStyle(document.body).direction") == script["dir"]
        assert (f"/static/fonts/{script['file']}", 200) in fetched
        # the page's own font, and the face of the other language's name in the switch (2.5 or 6.9 KB)
        other = ({"bo", "ug"} - {code}).pop()
        assert sorted(loaded_fonts(page)) == sorted([script["font"], f"Language name {other}"])
        assert page.evaluate(f"document.fonts.check('18px \"{script['font']}\"', '{script['sample']}')")
        assert_fits_phone(page)
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        assert serious_issues(page) == []
        screenshot(page, f"intake-{code}")

        page.fill("textarea[name=content]", script["content"])
        page.click("form.report-form button[type=submit]")
        receipt = page.locator("#receipt")
        assert RECEIPT.match(receipt.inner_text().strip())
        assert receipt.evaluate("element => getComputedStyle(element).direction") == "ltr"
        assert html.get_attribute("lang") == script["tag"]
        assert_fits_phone(page)
        assert serious_issues(page) == []
        screenshot(page, f"receipt-{code}")
        assert script["content"] in stored_content(database_url)  # stored as typed

        code_text = receipt.inner_text().strip()
        page.goto(f"{base_url}/status")  # the cookie keeps the language on a page of no round
        assert html.get_attribute("lang") == script["tag"]
        page.fill("input[name=receipt]", code_text)
        page.click("form button[type=submit]")
        assert page.locator("p.typed", has_text=script["content"]).count() == 1
        assert page.evaluate("getComputedStyle(document.body).direction") == script["dir"]
        assert_fits_phone(page)
        assert serious_issues(page) == []
        screenshot(page, f"status-{code}")
    finally:
        context.close()


def loaded_fonts(page) -> list[str]:
    return [family.strip('"') for family in
            page.evaluate("Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)")]


def test_the_chinese_intake_page_weighs_what_it_did(browser, site):
    base_url, _, _, chinese_only = site
    context, page, fetched = phone(browser)
    try:
        assert page.goto(f"{base_url}/r/{chinese_only}").status == 200
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        assert sorted(path for path, _ in fetched if path.startswith("/static/")) == CHINESE_PAGE_RESOURCES
        assert loaded_fonts(page) == []
        assert_fits_phone(page)
    finally:
        context.close()


def test_the_switch_on_a_chinese_page_draws_tibetan_and_uyghur(browser, site):
    """Phones without a Tibetan or Uyghur font would show the two names as boxes: the switch brings the glyphs of
    the names alone."""
    base_url, token, _, _ = site
    context, page, fetched = phone(browser)
    try:
        assert page.goto(f"{base_url}/r/{token}").status == 200
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready")
        assert sorted(path for path, _ in fetched if path.startswith("/static/")) == sorted(
            [*CHINESE_PAGE_RESOURCES, "/static/fonts/name-bo.woff", "/static/fonts/name-ug.woff"])
        assert sorted(loaded_fonts(page)) == ["Language name bo", "Language name ug"]
        for code, name in (("bo", "བོད་ཡིག"), ("ug", "ئۇيغۇرچە")):
            link = page.locator(f'nav.languages a[lang="{code}"]')
            assert link.inner_text() == name
            assert link.evaluate("a => getComputedStyle(a).fontFamily").startswith(f'"Language name {code}"')
            assert page.evaluate(f"document.fonts.check('16px \"Language name {code}\"', '{name}')")
        assert_fits_phone(page)
        screenshot(page, "intake-zh-switch")
    finally:
        context.close()


def test_staff_pages_at_a_desk_read_uyghur_right_to_left(browser, site):
    base_url, _, _, _ = site
    context = browser.new_context(**DESK)
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{base_url}/staff/login")
        page.fill("input[name=username]", "admin")
        page.fill("input[name=password]", STAFF_PASSWORD)
        with page.expect_navigation():
            page.click("form button[type=submit]")
        cell = page.locator("td", has_text=UYGHUR_REPORT[:20])
        assert cell.evaluate("element => getComputedStyle(element).direction") == "rtl"
        assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        screenshot(page, "staff-queue-ug")
        page.locator("tr.report-row", has_text=UYGHUR_REPORT[:20]).locator("a").first.click()
        text = page.locator("p.typed", has_text=UYGHUR_REPORT)
        assert text.evaluate("element => getComputedStyle(element).direction") == "rtl"
        screenshot(page, "staff-report-ug")
        page.goto(f"{base_url}/admin/rounds/1")
        page.fill("#text_ug-name", "يۈشۇ ئوبلاستى تەكشۈرۈش")
        with page.expect_navigation():
            page.click("form:has(#text_ug-name) button[type=submit]")
        assert page.input_value("#text_ug-name") == "يۈشۇ ئوبلاستى تەكشۈرۈش"
        assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        page.locator("#text-ug").scroll_into_view_if_needed()
        screenshot(page, "staff-round-languages")
    finally:
        context.close()
