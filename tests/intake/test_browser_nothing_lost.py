"""Nothing a resident typed is lost, in Chromium on a 360 px phone: the database stopped mid-form, the limit
reached, a form sent back with photos chosen, a reload while typing, and the draft gone once the receipt shows.
"""
import socket
import threading
import time
from contextlib import contextmanager
from urllib.parse import urlsplit

from sqlalchemy import func, select

from tests.browser import PHONE, assert_fits_phone, require_chromium, served

sync_api = require_chromium()


from reporting import create_app  # noqa: E402
from reporting.extensions import db  # noqa: E402
from reporting.models import Report  # noqa: E402
from tests.conftest import app_config, migrate  # noqa: E402
from tests.factories import make_round  # noqa: E402

expect = sync_api.expect
TYPED = {"content": "村里修路的钱去向不明，已有半年了。", "subject_name": "张三", "subject_unit": "某村委会",
         "subject_position": "村支书"}
NAMED = {"reporter_name": "王小明", "reporter_phone": "13800001234"}


@contextmanager
def live_site(url: str, tmp_path, **settings):
    """The app on the database at `url` with one open round of two units; yields (app, the round's scan URL)."""
    migrate(url, tmp_path)
    app = create_app(app_config(url, tmp_path) | {"TESTING": False} | settings)
    with app.app_context():
        round_ = make_round()
        token, units = round_.round_code.token, [str(unit.id) for unit in round_.units]
    with served(app) as base_url:
        yield app, f"{base_url}/r/{token}", units


def fill_named_report(page, unit_id: str, photo=None) -> None:
    page.check("input[name=anonymous][value='0']")
    for name, value in (NAMED | TYPED).items():
        page.fill(f"[name={name}]", value)
    page.select_option("select[name=unit_id]", unit_id)
    page.select_option("select[name=category]", "廉洁纪律")
    if photo:
        page.set_input_files("input[name=attachments]", str(photo))


def send(page, button: str = "form button[type=submit]"):
    with page.expect_navigation() as navigation:
        page.locator(button).first.click()
    return navigation.value


def assert_kept(page, unit_id: str) -> None:
    """The page offers every field back, as typed, in its send-again form."""
    form = page.locator("form.resend")
    for name, value in (NAMED | TYPED).items():
        assert form.locator(f"[name={name}]").input_value() == value, name
    assert form.locator("input[name=unit_id]").input_value() == unit_id
    assert form.locator("input[name=category]").input_value() == "廉洁纪律"
    assert form.locator("input[name=anonymous]").input_value() == "0"


def reports(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Report))


class Forwarder:
    """A TCP relay in front of PostgreSQL: stopping it is the database going away under the running site."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.sockets = target, []
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self.pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            sink.close()

    def stop(self):
        self.listener.close()
        for open_socket in self.sockets:
            open_socket.close()


def test_the_database_stopped_mid_form_gives_a_503_that_keeps_every_field(phone, photo, empty_database, tmp_path):
    database = urlsplit(empty_database("postgresql"))
    relay = Forwarder((database.hostname, database.port or 5432))
    url = database._replace(netloc=f"{database.username or 'postgres'}@127.0.0.1:{relay.port}").geturl()
    with live_site(url, tmp_path) as (app, scan_url, units):
        phone.goto(scan_url)
        fill_named_report(phone, units[1], photo)
        relay.stop()
        answer = send(phone)
        assert answer.status == 503
        expect(phone.locator("h1")).to_contain_text("暂时不可用")
        assert_kept(phone, units[1])
        expect(phone.locator("#photos-not-kept")).to_be_visible()
        assert_fits_phone(phone)


def test_the_limit_page_keeps_every_field_and_sending_again_works_after_the_wait(phone, tmp_path):
    with live_site(f"sqlite:///{tmp_path / 'limit.sqlite'}", tmp_path, SUBMIT_LIMIT="1 per 3 seconds") as (
            app, scan_url, units):
        phone.goto(scan_url)
        phone.fill("[name=content]", "第一份反映，占用这一次的额度。")
        assert send(phone).status == 200
        phone.goto(scan_url)
        fill_named_report(phone, units[0])
        assert send(phone).status == 429
        assert_kept(phone, units[0])
        assert_fits_phone(phone)
        time.sleep(3.5)
        assert send(phone, "form.resend button[type=submit]").status == 200
        expect(phone.locator("#receipt")).to_be_visible()
        assert reports(app) == 2


def test_two_phones_behind_one_address_each_have_their_own_limit(phone, browser, tmp_path):
    """Chromium keeps the device cookie the form page gives (HttpOnly, SameSite=Lax, plain HTTP) and sends it back:
    the neighbour's phone is not refused for this phone's report."""
    with live_site(f"sqlite:///{tmp_path / 'phones.sqlite'}", tmp_path, SUBMIT_LIMIT="1 per minute") as (
            app, scan_url, units):
        neighbour = browser.new_context(**PHONE).new_page()
        for page in (phone, neighbour):
            page.goto(scan_url)
            page.fill("[name=content]", "各自手机上的第一份反映。")
            assert send(page).status == 200
        assert {cookie["name"]: cookie["httpOnly"] for cookie in phone.context.cookies()}["device"] is True
        phone.goto(scan_url)
        fill_named_report(phone, units[0])
        assert send(phone).status == 429
        assert_kept(phone, units[0])
        assert reports(app) == 2
        neighbour.context.close()


def test_a_form_sent_back_says_the_photos_were_not_kept(phone, photo, tmp_path):
    with live_site(f"sqlite:///{tmp_path / 'photos.sqlite'}", tmp_path) as (app, scan_url, units):
        phone.goto(scan_url)
        fill_named_report(phone, units[0], photo)
        phone.fill("[name=reporter_phone]", "")
        assert send(phone).status == 400
        expect(phone.locator("#photos-not-kept")).to_contain_text("1 张照片没有保留")
        assert phone.input_value("[name=content]") == TYPED["content"]
        assert_fits_phone(phone)


def test_a_draft_survives_a_reload_and_is_gone_once_the_receipt_shows(phone, tmp_path):
    with live_site(f"sqlite:///{tmp_path / 'draft.sqlite'}", tmp_path) as (app, scan_url, units):
        phone.goto(scan_url)
        phone.check("input[name=anonymous][value='0']")
        for name, value in (NAMED | TYPED).items():
            phone.type(f"[name={name}]", value)
        stored = phone.evaluate("JSON.stringify(sessionStorage)")
        assert TYPED["content"] in stored and NAMED["reporter_phone"] not in stored and "王小明" not in stored
        phone.reload()
        expect(phone.locator("#draft-restored")).to_be_visible()
        for name, value in TYPED.items():
            assert phone.input_value(f"[name={name}]") == value
        assert phone.input_value("[name=reporter_name]") == ""
        phone.check("input[name=anonymous][value='1']")
        send(phone)
        expect(phone.locator("#receipt")).to_be_visible()
        assert phone.evaluate("sessionStorage.length") == 0
        phone.goto(scan_url)
        expect(phone.locator("#draft-restored")).to_be_hidden()
        assert phone.input_value("[name=content]") == ""
