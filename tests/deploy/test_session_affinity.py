"""Why deploy/nginx.conf still keeps something on one process: a Streamlit session's file
upload is accepted only by the process that holds the session, whereas a sign-in holds on
any process (tests/deploy/test_two_processes.py)."""

import re
from urllib.parse import urlsplit

from tests.deploy.conftest import choose_a_file, fetch

UPLOAD_PATH = re.compile(r"^/_stcore/upload_file/[^/]+/[^/]+$")


def test_a_sessions_upload_is_refused_by_any_process_but_the_one_holding_the_session(
    cluster, browser, tmp_path
):
    context = cluster.context(browser, server=1)
    page = context.new_page()
    uploads = []
    context.on(
        "request",
        lambda r: (
            r.method == "PUT" and UPLOAD_PATH.match(urlsplit(r.url).path) and uploads.append(r)
        ),
    )
    try:
        content = choose_a_file(page, cluster.base, tmp_path)
        [upload] = uploads
        path = urlsplit(upload.url).path
        sent = upload.all_headers()
        # The same file for the same session, with the browser's cookies and XSRF token,
        # sent to each process.
        boundary = "lgadata-deploy-test"
        headers = {
            "Cookie": sent["cookie"],
            "X-Xsrftoken": sent["x-xsrftoken"],
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        body = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                f'filename="map.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n'
            ).encode()
            + content
            + f"\r\n--{boundary}--\r\n".encode()
        )
        answers = [
            fetch(server, path, method="PUT", headers=headers, body=body)
            for server in cluster.servers
        ]
    finally:
        context.close()
    holder, other = answers[1], answers[0]
    assert holder.status == 204
    assert other.status == 400
    assert b"Invalid session_id" in other.body
