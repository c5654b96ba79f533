"""One upload limit, stated the same everywhere: 25 MB of 1,000,000 bytes, as browsers count.

Streamlit's file uploader refuses files over server.maxUploadSize x 1,000,000 bytes (on
every platform but Windows, where it counts 1,048,576), and shows "25MB per file"; so the
limit is in MB of 1,000,000 bytes, and every other place that states or enforces it agrees.
"""

import re
import tomllib

from lgadata.ingest import limits_from
from lgadata.settings import REPO_ROOT, Settings

MB = 1_000_000
FORM = 1_000_000  # room nginx leaves for the multipart form around the file


def streamlit_limit_mb() -> int:
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text())
    return config["server"]["maxUploadSize"]


def nginx_body_limit() -> int:
    text = (REPO_ROOT / "deploy" / "nginx.conf").read_text()
    [size] = re.findall(r"^\s*client_max_body_size\s+(\d+)([kKmM]?);", text, re.MULTILINE)
    number, unit = size
    return int(number) * {"": 1, "k": 1024, "m": 1024 * 1024}[unit.lower()]


def test_streamlit_and_the_dashboard_take_the_same_number_of_megabytes():
    assert streamlit_limit_mb() == Settings().max_upload_mb == 25


def test_nginx_passes_the_largest_file_accepted_with_its_form_and_no_more():
    assert nginx_body_limit() == Settings().max_upload_mb * MB + FORM


def test_the_readme_states_the_limit_in_bytes_as_well():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert "MiB" not in readme
    assert "up to 25 MB (25,000,000 bytes" in readme
    assert f"client_max_body_size {nginx_body_limit()}" in readme


def test_the_server_refuses_a_file_over_the_limit_the_browser_states():
    assert limits_from(Settings()).max_bytes == 25 * MB
