"""The server the README starts logs requests without the client's address or user agent."""
from tests.served import gunicorn


def test_gunicorn_access_log_has_no_address_user_agent_or_query(tmp_path):
    with gunicorn(tmp_path, REPORTING_DATABASE_URL=f"sqlite:///{tmp_path}/serve.sqlite") as served:
        assert served.request("/healthz?who=zhangsan")[0] == 200
    access_lines = [line for line in served.output.splitlines() if "GET /healthz" in line]
    assert access_lines and all(" 200 " in line for line in access_lines)
    for line in access_lines:
        for trace in ("127.0.0.1", "SecretPhone", "MicroMessenger", "zhangsan"):
            assert trace not in line
