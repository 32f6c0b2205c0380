"""`GET /r/<token>` kept once rendered (reporting/intake/pages.py): never stale, never shared where it differs."""
import re

import pytest

from reporting.extensions import db
from reporting.intake import pages
from tests.factories import csrf_token
from tests.intake.conftest import receipt_in

CONTENT = "村里修路的钱去向不明，已有半年。"


def page_of(client, token: str, query: str = "") -> str:
    response = client.get(f"/r/{token}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_change_to_the_round_its_units_or_categories_shows_at_once(client, open_round):
    token = open_round.round_code.token
    changes = {
        "第二轮巡察": lambda: setattr(open_round, "name", "第二轮巡察"),
        "只受理新问题": lambda: setattr(open_round, "notice", "<p>只受理新问题</p>"),
        "0000-7654321": lambda: setattr(open_round, "phone", "0000-7654321"),
        "新的问题类别": lambda: setattr(open_round, "categories", [*open_round.categories, "新的问题类别"]),
        "改过名的单位": lambda: setattr(open_round.units[0], "name", "改过名的单位"),
    }
    for shown, change in changes.items():
        assert shown not in page_of(client, token)
        change()
        db.session.commit()
        assert shown in page_of(client, token), shown


def test_each_visitor_gets_a_token_of_their_own_that_sends_the_report(app, open_round):
    token = open_round.round_code.token
    first, second = app.test_client(), app.test_client()
    first_page, second_page = page_of(first, token), page_of(second, token)
    assert pages.MARK not in first_page + second_page
    assert csrf_token(first_page) != csrf_token(second_page)
    response = second.post(f"/r/{token}", data={"csrf_token": csrf_token(second_page), "anonymous": "1",
                                                "content": CONTENT})
    assert response.status_code == 200
    assert receipt_in(response.get_data(as_text=True))


def test_each_language_has_its_own_page(client, open_round):
    token = open_round.round_code.token
    assert "提交反映" in page_of(client, token, "?lang=zh")
    english = page_of(client, token, "?lang=en")
    assert "Send report" in english
    assert "提交反映" not in english


@pytest.mark.app_config(CAPTCHA=True)
def test_each_visit_gets_a_fresh_captcha_picture_and_challenge(client, open_round):
    token = open_round.round_code.token
    shown = [page_of(client, token) for _ in range(2)]
    challenges = [re.search(r'name="captcha_challenge" value="([^"]+)"', page).group(1) for page in shown]
    pictures = [re.search(r'src="(data:image/png;base64,[^"]+)"', page).group(1) for page in shown]
    assert challenges[0] != challenges[1]
    assert pictures[0] != pictures[1]
    assert pages.MARK not in "".join(shown)


def send(client, token: str, query: str = "") -> str:
    page = page_of(client, token, query)
    response = client.post(f"/r/{token}{query}", data={"csrf_token": csrf_token(page), "content": CONTENT})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_each_receipt_page_shows_its_own_receipt_in_its_language_and_the_rounds_current_name(client, open_round):
    token = open_round.round_code.token
    shown = [send(client, token, "?lang=zh") for _ in range(2)]
    assert receipt_in(shown[0]) != receipt_in(shown[1])
    assert "您的反映已收到" in shown[0] and open_round.name in shown[0]
    english = send(client, token, "?lang=en")
    assert "Your report was received" in english and "您的反映已收到" not in english
    open_round.name = "第二轮巡察"
    db.session.commit()
    assert "第二轮巡察" in send(client, token)
    assert pages.MARK not in "".join(shown) + english
