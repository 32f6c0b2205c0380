"""Helpers for the resident's pages: read a form's CSRF token and post it as a browser would."""
import io
import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from reporting.extensions import db
from reporting.models import Report
from tests.factories import csrf_token, make_round

RECEIPT = re.compile(r'id="receipt">([^<]+)<')


def receipt_in(html: str) -> str:
    return RECEIPT.search(html).group(1)


@pytest.fixture
def open_round(app):
    return make_round()


def send_report(client, token: str, **fields):
    """Open the intake form of `token` on `client` (a browser: its cookies, its address), then POST `fields`."""
    page = client.get(f"/r/{token}").get_data(as_text=True)
    data = {"csrf_token": csrf_token(page), "content": "村里低保名额被村干部亲属占用。"} | fields
    return client.post(f"/r/{token}", data=data, content_type="multipart/form-data")


@pytest.fixture
def submit(client, open_round):
    """POST the intake form of `token` (the open round's own code by default) with `fields`."""

    def post(token: str | None = None, **fields):
        return send_report(client, token or open_round.round_code.token, **fields)

    return post


@pytest.fixture
def lookup(client):
    """POST /status with `fields` (a receipt, and a message and photos to add information)."""

    def post(**fields):
        page = client.get("/status").get_data(as_text=True)
        return client.post("/status", data={"csrf_token": csrf_token(page)} | fields,
                           content_type="multipart/form-data")

    return post


def image_file(format_: str = "JPEG", size=(64, 48), name: str | None = None, **save_options):
    """An in-memory image upload as the test client takes it: (stream, filename)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format_, **save_options)
    buffer.seek(0)
    return buffer, name or f"photo.{format_.lower()}"


@pytest.fixture
def photo(tmp_path) -> Path:
    """A small real JPEG file, as a phone camera would hand over to a browser's file input."""
    path = tmp_path / "photo.jpg"
    Image.new("RGB", (120, 90), (200, 60, 40)).save(path, "JPEG", quality=85)
    return path


@pytest.fixture
def receipt(submit):
    """The receipt of one report sent through the open round's form."""
    return receipt_in(submit(content="反映村务不公开的问题。").get_data(as_text=True))


def the_report() -> Report:
    """The one report there is, as stored now."""
    db.session.expire_all()
    return db.session.scalars(select(Report)).one()
