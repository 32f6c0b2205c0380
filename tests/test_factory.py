from reporting import create_app


def test_config_argument_overrides_the_environment(tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/a.sqlite",
                      "BASE_URL": "https://x.example"})
    assert app.config["BASE_URL"] == "https://x.example"
    assert app.config["TESTING"] is True


def test_every_public_route_is_registered(app):
    rules = {rule.rule for rule in app.url_map.iter_rules()}
    assert {"/", "/healthz"} <= rules


def test_templates_and_static_files_live_beside_the_package(client):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert b"box-sizing" in response.data


def test_session_cookie_is_secure_only_behind_https(tmp_path):
    url = f"sqlite:///{tmp_path}/a.sqlite"
    assert create_app({"SQLALCHEMY_DATABASE_URI": url}).config["SESSION_COOKIE_SECURE"] is False
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "BASE_URL": "https://jubao.example"})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
