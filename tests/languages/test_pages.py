"""A round's languages on the resident's pages: `?lang=CODE`, the cookie, the switch, `lang`/`dir`, the fallback
to Chinese, and staff pages that stay Chinese or English (SPEC "Languages of a round")."""
import re

from flask_babel import gettext

from tests.factories import csrf_token, log_in, make_round

SEND_BO, SEND_UG, SEND_ZH = "སྙན་སྐྱེལ་སྐུར།", "ئىنكاسنى يوللاش", "提交反映"


def switch(page: str) -> list[str]:
    """The codes the page's language switch links to."""
    nav = page[page.index('class="languages"'):]
    return re.findall(r'href="\?lang=(\w+)"', nav[:nav.index("</nav>")])


def test_a_tibetan_round_speaks_tibetan_and_says_so(client):
    round_ = make_round(languages=["bo"])
    response = client.get(f"/r/{round_.round_code.token}?lang=bo")
    page = response.get_data(as_text=True)
    assert '<html lang="bo">' in page and SEND_BO in page
    assert "css/lang-bo.css" in page and "lang-ug.css" not in page
    assert any(cookie.startswith("lang=bo;") for cookie in response.headers.getlist("Set-Cookie"))
    assert SEND_BO in client.get(f"/r/{round_.round_code.token}").get_data(as_text=True)  # the cookie keeps it


def test_a_uyghur_page_runs_right_to_left(client):
    round_ = make_round(languages=["ug"])
    page = client.get(f"/r/{round_.round_code.token}?lang=ug").get_data(as_text=True)
    assert '<html lang="ug" dir="rtl">' in page and SEND_UG in page and "css/lang-ug.css" in page


def test_the_switch_offers_chinese_english_and_the_rounds_languages_only(client):
    round_ = make_round(languages=["ug"])
    assert switch(client.get(f"/r/{round_.round_code.token}").get_data(as_text=True)) == ["ug", "en"]
    assert switch(client.get(f"/r/{round_.round_code.token}?lang=ug").get_data(as_text=True)) == ["zh", "en"]
    chinese_only = make_round(name="汉语巡察")
    assert switch(client.get(f"/r/{chinese_only.round_code.token}").get_data(as_text=True)) == ["en"]


def test_a_language_the_round_does_not_speak_is_chinese_and_not_remembered(client):
    round_ = make_round()
    response = client.get(f"/r/{round_.round_code.token}?lang=bo")
    assert '<html lang="zh-Hans">' in response.get_data(as_text=True)
    assert not any(cookie.startswith("lang=") for cookie in response.headers.getlist("Set-Cookie"))


def test_a_cookie_of_another_round_gives_chinese_here_and_is_kept(client):
    tibetan, chinese = make_round(languages=["bo"]), make_round(name="汉语巡察")
    client.get(f"/r/{tibetan.round_code.token}?lang=bo")
    assert SEND_ZH in client.get(f"/r/{chinese.round_code.token}").get_data(as_text=True)
    assert SEND_BO in client.get(f"/r/{tibetan.round_code.token}").get_data(as_text=True)


def test_pages_of_no_round_offer_the_languages_of_every_open_round(client):
    make_round(languages=["bo"])
    make_round(name="草稿巡察", languages=["ug"], status="draft")
    for path in ("/", "/status", "/r/no-such-token"):
        assert switch(client.get(path).get_data(as_text=True)) == ["bo", "en"], path
    make_round(name="双语巡察", languages=["ug"])
    assert switch(client.get("/status").get_data(as_text=True)) == ["bo", "ug", "en"]
    assert "ཞིབ་བཤེར་ཚོ་ཆུང་ལ་གནད་དོན་སྙན་སྐྱེལ།" in client.get("/?lang=bo").get_data(as_text=True)
    assert '<html lang="bo">' in client.get("/status?lang=bo").get_data(as_text=True)


def test_the_first_page_is_kept_per_language(client):
    token = make_round(languages=["bo", "ug"]).round_code.token
    for _ in range(2):
        assert SEND_ZH in client.get(f"/r/{token}?lang=zh").get_data(as_text=True)
        assert SEND_BO in client.get(f"/r/{token}?lang=bo").get_data(as_text=True)
        assert SEND_UG in client.get(f"/r/{token}?lang=ug").get_data(as_text=True)


def test_a_string_missing_from_a_minority_catalog_is_read_in_chinese(app):
    # Each in an app context of its own: Flask-Babel keeps the chosen locale in `g`.
    with app.app_context(), app.test_request_context("/?lang=bo"):
        assert gettext("Send report") == SEND_BO
        assert gettext("Queue") == "反映列表"  # a staff string: the bo catalog has no draft of it
        assert gettext("No such %(thing)s", thing="x") == "No such x"  # in no catalog at all: the id itself
    with app.app_context(), app.test_request_context("/?lang=en"):
        assert gettext("Queue") == "Queue"


def test_outside_any_app_strings_stay_message_ids():
    """A job's thread or a worker without a context reads no catalog, as before minority languages came."""
    assert gettext("Queue") == "Queue"


def test_staff_pages_stay_chinese_or_english(client, staff):
    client.set_cookie("lang", "ug")
    log_in(client, staff["admin"])
    page = client.get("/staff/").get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page and "lang-ug.css" not in page
    assert '<html lang="zh-Hans">' in client.get("/staff/?lang=bo").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/staff/?lang=en").get_data(as_text=True)


def test_error_pages_of_a_round_speak_its_language(client):
    round_ = make_round(languages=["ug"], status="closed")
    response = client.get(f"/r/{round_.round_code.token}?lang=ug")
    assert response.status_code == 410
    assert '<html lang="ug" dir="rtl">' in response.get_data(as_text=True)
    assert "بۇ قېتىملىق تەكشۈرۈش ئەمدى ئىنكاس قوبۇل قىلمايدۇ" in response.get_data(as_text=True)


def test_wtforms_own_messages_are_read_in_chinese_on_a_tibetan_page(client):
    token = make_round(languages=["bo"]).round_code.token
    page = client.get(f"/r/{token}?lang=bo").get_data(as_text=True)
    sent = client.post(f"/r/{token}", data={"csrf_token": csrf_token(page), "content": "གནད་དོན་ཞིག་ཡོད།" * 3,
                                             "unit_id": "999999"})
    assert sent.status_code == 400 and "不是有效的选择" in sent.get_data(as_text=True)
