"""Every error has its own page that says what to do next, and never a stack trace."""
from datetime import date

import pytest
from flask import abort
from sqlalchemy import text

from reporting import create_app
from reporting.extensions import db
from reporting.models import Round
from tests.conftest import app_config
from tests.factories import make_round

UNREACHABLE = {
    "sqlite": lambda tmp_path: f"sqlite:///{tmp_path}/no-such-folder/reporting.sqlite",
    "postgresql": lambda tmp_path: "postgresql://postgres@127.0.0.1:1/none?connect_timeout=2",
}


@pytest.fixture
def failing_app(app):
    """The test app with routes that fail on purpose."""

    @app.get("/fail/<int:code>")
    def fail(code):
        abort(code)

    @app.get("/crash/<any(pending, flushed):state>")
    def crash(state):
        """Half the work done: a whole Round added (and written to the transaction, if flushed), then a bug."""
        db.session.add(Round(name="never saved", starts_on=date.today(), ends_on=date.today()))
        if state == "flushed":
            db.session.flush()
        raise RuntimeError("boom")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    return app


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (400, "请求无法处理"),
        (403, "您无权打开此页面"),
        (404, "页面不存在"),
        (410, "此二维码已失效"),
        (413, "提交的内容过大"),
        (429, "操作过于频繁"),
        (500, "系统出现错误"),
        (503, "服务暂时不可用"),
    ],
)
def test_each_error_code_has_a_page_in_chinese(failing_app, code, words):
    response = failing_app.test_client().get(f"/fail/{code}")
    assert response.status_code == code
    page = response.get_data(as_text=True)
    assert words in page
    assert "返回首页" in page
    assert "Traceback" not in page


def test_error_pages_speak_english_when_asked(failing_app):
    page = failing_app.test_client().get("/fail/404?lang=en").get_data(as_text=True)
    assert "Page not found" in page


def test_an_unknown_address_is_404(client):
    assert client.get("/no/such/page").status_code == 404


@pytest.mark.parametrize("state", ["pending", "flushed"])
def test_a_crash_gives_the_500_page_and_rolls_the_session_back(failing_app, state):
    """Whatever commits later in the same session (here a teardown, after the error page) must find nothing of the
    crashed request's work: the error handler rolled it back. Without the rollback that commit saves the Round."""
    left_in_session = []

    @failing_app.teardown_request
    def commit_later(_error):
        left_in_session.extend(db.session.new)
        db.session.commit()

    response = failing_app.test_client().get(f"/crash/{state}")
    assert response.status_code == 500
    assert "boom" not in response.get_data(as_text=True)
    assert left_in_session == []
    assert db.session.scalar(text("SELECT count(*) FROM round WHERE name = 'never saved'")) == 0


def test_healthz_answers_ok_with_the_database_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


@pytest.fixture
def app_without_database(backend, tmp_path):
    return create_app(app_config(UNREACHABLE[backend](tmp_path), tmp_path) | {"PROPAGATE_EXCEPTIONS": False})


def test_healthz_answers_503_with_the_database_down(app_without_database):
    response = app_without_database.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json == {"status": "unavailable"}


def test_pages_answer_503_with_the_database_down(app_without_database):
    response = app_without_database.test_client().get("/")
    assert response.status_code == 503
    assert "服务暂时不可用" in response.get_data(as_text=True)


def test_the_landing_page_works_again_once_the_database_is_back(client):
    make_round(name="恢复后")
    assert "恢复后" in client.get("/").get_data(as_text=True)
