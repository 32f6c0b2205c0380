"""A real gunicorn serving the app on a migrated SQLite file: for what only separate processes show."""
import http.cookiejar
import io
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

from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.test import encode_multipart

from reporting import create_app
from reporting.extensions import db
from tests.conftest import app_config, migrate
from tests.factories import csrf_token, make_round

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def seeded_database(tmp_path, url: str | None = None) -> tuple[str, str]:
    """A migrated database with one open round (a SQLite file, or the empty database at `url`); returns its URL
    and the round's token."""
    url = url or f"sqlite:///{tmp_path}/served.sqlite"
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

    def fetch(self, path: str, body: bytes | None = None, content_type: str | None = None) -> tuple[int, str, bytes]:
        """The answer's status, content type and bytes; redirects are followed, cookies kept in `jar`."""
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        headers = {"User-Agent": self.user_agent} | ({"Content-Type": content_type} if content_type else {})
        request = urllib.request.Request(self.url + path, data=body, headers=headers)
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get_content_type(), error.read()

    def request(self, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        status, _, content = self.fetch(path, body)
        return status, content.decode()

    def post_form(self, path: str, fields: dict, photos: list[bytes] = ()) -> tuple[int, str]:
        """GET the page for its CSRF token, then POST `fields` with it (and JPEG `photos`), as a browser would."""
        _, page = self.request(path)
        fields = {"csrf_token": csrf_token(page)} | fields
        if not photos:
            return self.request(path, fields)
        files = [("attachments", FileStorage(io.BytesIO(photo), f"photo{i}.jpg", content_type="image/jpeg"))
                 for i, photo in enumerate(photos)]
        boundary, body = encode_multipart(MultiDict(list(fields.items()) + files))
        status, _, content = self.fetch(path, body, f"multipart/form-data; boundary={boundary}")
        return status, content.decode()


@contextmanager
def gunicorn(tmp_path, **env):
    """gunicorn with the project's gunicorn.conf.py and `env` (its instance folder under `tmp_path` unless `env`
    names one); its log is in `.output` once stopped. The captcha is off unless `env` turns it on, as in the `app`
    fixture (tests/intake/test_captcha.py tests it)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env=os.environ | {"GUNICORN_BIND": f"127.0.0.1:{port}", "REPORTING_CAPTCHA": "0",
                                    "REPORTING_INSTANCE_DIR": str(tmp_path / "instance")} | env,
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
