"""End to end through gunicorn: a report leaves no address, user agent or device cookie in any file the app
writes."""
from reporting.limits import DEVICE_COOKIE
from tests.served import gunicorn, seeded_database

TRACES = ("127.0.0.1", "SecretPhone", "MicroMessenger")


def test_no_address_or_user_agent_in_the_database_its_instance_folder_or_log(tmp_path):
    url, token = seeded_database(tmp_path)
    with gunicorn(tmp_path, REPORTING_DATABASE_URL=url) as served:
        status, page = served.post_form(f"/r/{token}", {"anonymous": "1", "content": "匿名反映：不要留下任何痕迹。"})
        assert status == 200 and 'id="receipt"' in page
        status, _ = served.post_form("/status", {"receipt": "ABCD-EFGH-JKMN-PQRS"})
        assert status == 200
    device = next(cookie.value for cookie in served.jar if cookie.name == DEVICE_COOKIE)
    traces = (*TRACES, device, device.split(".")[0])  # the device cookie, signed and bare, is no trace to keep
    written = [path for path in tmp_path.rglob("*") if path.is_file()]
    database_files = [path for path in written if path.name.startswith("served.sqlite")]
    assert database_files
    assert "匿名反映：不要留下任何痕迹。".encode() in b"".join(p.read_bytes() for p in database_files)
    for path in written:
        content = path.read_bytes()
        for trace in traces:
            assert trace.encode() not in content, (path, trace)
    assert "POST /r/" in served.output
    for trace in traces:
        assert trace not in "\n".join(line for line in served.output.splitlines() if '"' in line)
