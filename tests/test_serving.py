"""The server the README starts logs requests without the client's address or user agent."""
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorn_access_log_has_no_address_user_agent_or_query(tmp_path):
    port = free_port()
    env = os.environ | {
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "REPORTING_DATABASE_URL": f"sqlite:///{tmp_path}/serve.sqlite",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz?who=zhangsan", headers={"User-Agent": "SecretPhone/1.0"}
        )
        for _ in range(100):
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    assert response.status == 200
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError("gunicorn did not answer")
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0]
    (access_line,) = [line for line in output.splitlines() if "GET /healthz" in line]
    assert " 200 " in access_line
    for trace in ("127.0.0.1", "SecretPhone", "zhangsan"):
        assert trace not in access_line
