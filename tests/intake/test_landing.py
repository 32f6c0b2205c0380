"""`GET /`: the open rounds, each with a link to its intake page, and the way to check a report."""
from datetime import date, timedelta

from tests.factories import make_round


def test_lists_only_rounds_open_now_with_their_intake_links(client):
    today = date.today()
    open_round = make_round(name="正在受理")
    make_round(name="尚未开始", starts_on=today + timedelta(days=2))
    make_round(name="已经结束", starts_on=today - timedelta(days=40), ends_on=today - timedelta(days=2))
    make_round(name="草稿轮次", status="draft")
    page = client.get("/").get_data(as_text=True)
    assert "正在受理" in page
    assert f'href="/r/{open_round.round_code.token}"' in page
    for hidden in ("尚未开始", "已经结束", "草稿轮次"):
        assert hidden not in page


def test_links_to_the_status_lookup(client):
    assert 'href="/status"' in client.get("/").get_data(as_text=True)


def test_says_so_when_no_round_is_open(client):
    assert "目前没有正在受理反映的巡视巡察" in client.get("/").get_data(as_text=True)


def test_a_round_name_is_escaped(client):
    make_round(name="<script>alert(1)</script>")
    page = client.get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
