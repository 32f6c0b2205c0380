"""A real gunicorn serving the app on a migrated SQLite file: for what only separate processes show."""
import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from reporting import create_app
from reporting.extensions import db
from tests.conftest import app_config, migrate
from tests.factories import csrf_token, make_round

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seeded_database(tmp_path) -> tuple[str, str]:
    """A migrated SQLite file with one open round; returns its URL and the round's token."""
    url = f"sqlite:///{tmp_path}/served.sqlite"
    migrate(url, tmp_path)
    app = create_app(app_config(url, tmp_path))
    with app.app_context():
        token = make_round().round_code.token
        db.engine.dispose()
    return url, token


@dataclass
class Served:
    url: str
    output: str = ""
    user_agent: str = "Mozilla/5.0 (Linux; Android 8.1) MicroMessenger/8.0 SecretPhone"
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.url + path, data=body, headers={"User-Agent": self.user_agent})
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def post_form(self, path: str, fields: dict) -> tuple[int, str]:
        """GET the page for its CSRF token, then POST `fields` with it, as a browser would."""
        _, page = self.request(path)
        return self.request(path, {"csrf_token": csrf_token(page)} | fields)


@contextmanager
def gunicorn(tmp_path, **env):
    """gunicorn with the project's gunicorn.conf.py and `env`; its log is in `.output` once stopped. The captcha is
    off unless `env` turns it on, as in the `app` fixture (tests/intake/test_captcha.py tests it)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env=os.environ | {"GUNICORN_BIND": f"127.0.0.1:{port}", "REPORTING_CAPTCHA": "0"} | env,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    served = Served(f"http://127.0.0.1:{port}")
    try:
        wait_until_up(served)
        yield served
    finally:
        process.terminate()
        served.output = process.communicate(timeout=20)[0]


def wait_until_up(served: Served) -> None:
    for _ in range(150):
        try:
            if served.request("/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.1)
    raise AssertionError("gunicorn did not answer")
