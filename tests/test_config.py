import base64

import pytest

from reporting import create_app
from reporting.config import database_url, load_config

DATA_KEY = base64.b64encode(b"k" * 32).decode()


def test_defaults_keep_everything_under_the_instance_folder(tmp_path):
    config = load_config(tmp_path, environ={})
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'reporting.sqlite'}"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["BASE_URL"] == "http://127.0.0.1:5000"
    assert config["SUBMIT_LIMIT"] == "5 per minute;30 per day"
    assert config["SUBMIT_ADDRESS_LIMIT"] == "60 per 10 minutes;300 per day"
    assert config["SUBMIT_ROUND_LIMIT"] == "600 per hour"
    assert config["PROXY_COUNT"] == 0
    assert config["CAPTCHA"] is True
    assert config["UPLOAD_DIR"] == tmp_path / "uploads"
    assert config["REQUIRE_2FA"] is False
    assert len(config["DATA_KEY"]) == 32


def test_generated_secrets_are_kept_and_owner_only(tmp_path):
    first = load_config(tmp_path, environ={})
    second = load_config(tmp_path, environ={})
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert first["DATA_KEY"] == second["DATA_KEY"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert (tmp_path / "data_key").stat().st_mode & 0o077 == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data_key", "secret_key"]


def test_every_variable_is_read(tmp_path):
    environ = {
        "REPORTING_DATABASE_URL": "postgresql://u@db.example/reporting",
        "REPORTING_RATELIMIT_STORAGE_URI": "redis://cache:6379/1",
        "REPORTING_SECRET_KEY": "s3cret",
        "REPORTING_BASE_URL": "https://jubao.example.gov.cn/",
        "REPORTING_SUBMIT_LIMIT": "2 per minute",
        "REPORTING_SUBMIT_ADDRESS_LIMIT": "100 per 10 minutes",
        "REPORTING_SUBMIT_ROUND_LIMIT": "2000 per hour",
        "REPORTING_PROXY_COUNT": "1",
        "REPORTING_CAPTCHA": "0",
        "REPORTING_DATA_KEY": DATA_KEY,
        "REPORTING_UPLOAD_DIR": str(tmp_path / "files"),
        "REPORTING_REQUIRE_2FA": "1",
        "REPORTING_EXPORT_JOB_ROWS": "5000",
    }
    config = load_config(tmp_path, environ=environ)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db.example/reporting"
    assert config["RATELIMIT_STORAGE_URI"] == "redis://cache:6379/1"
    assert config["SECRET_KEY"] == "s3cret"
    assert config["BASE_URL"] == "https://jubao.example.gov.cn"
    assert config["SUBMIT_LIMIT"] == "2 per minute"
    assert config["SUBMIT_ADDRESS_LIMIT"] == "100 per 10 minutes"
    assert config["SUBMIT_ROUND_LIMIT"] == "2000 per hour"
    assert config["PROXY_COUNT"] == 1
    assert config["CAPTCHA"] is False
    assert config["DATA_KEY"] == b"k" * 32
    assert config["UPLOAD_DIR"] == tmp_path / "files"
    assert config["REQUIRE_2FA"] is True
    assert config["EXPORT_JOB_ROWS"] == 5000
    assert not (tmp_path / "secret_key").exists()


@pytest.mark.parametrize("variable", ["REPORTING_SUBMIT_LIMIT", "REPORTING_SUBMIT_ADDRESS_LIMIT",
                                      "REPORTING_SUBMIT_ROUND_LIMIT"])
def test_a_limit_that_cannot_be_read_is_refused_at_start(tmp_path, variable):
    with pytest.raises(ValueError):
        load_config(tmp_path, environ={variable: "5 per fortnight"})


@pytest.mark.parametrize("key", ["c2hvcnQ=", "not base64!"])
def test_a_bad_data_key_is_refused_at_start(tmp_path, key):
    with pytest.raises(ValueError):
        load_config(tmp_path, environ={"REPORTING_DATA_KEY": key})


@pytest.mark.parametrize(
    ("given", "used"),
    [
        ("postgresql://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgres://u@h/d", "postgresql+psycopg://u@h/d"),
        ("postgresql+psycopg://u@h/d", "postgresql+psycopg://u@h/d"),
        ("sqlite:////tmp/x.sqlite", "sqlite:////tmp/x.sqlite"),
    ],
)
def test_plain_postgresql_urls_use_psycopg3(given, used):
    assert database_url(given) == used


def test_the_instance_folder_is_read_from_the_environment(tmp_path, monkeypatch):
    """One folder per host for its keys, its SQLite file and its uploads, wherever the package lies."""
    monkeypatch.setenv("REPORTING_INSTANCE_DIR", str(tmp_path / "host-a"))
    app = create_app()
    assert app.instance_path == str(tmp_path / "host-a")
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'host-a' / 'reporting.sqlite'}"
    assert app.config["UPLOAD_DIR"] == tmp_path / "host-a" / "uploads"
