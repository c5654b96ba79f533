"""A page run reads the data version once for all its queries, not once per query."""

import pytest

from lgadata import queries


@pytest.mark.parametrize("page", ["overview.py", "shared_services.py", "history.py"])
def test_a_page_run_reads_the_data_version_once_and_its_live_check_once(
    open_page, monkeypatch, page
):
    app = open_page(page)
    reads = []
    read = queries.data_version

    def counted(**kwargs):
        reads.append(1)
        return read(**kwargs)

    monkeypatch.setattr(queries, "data_version", counted)
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    # page_setup notes the version every query of the run is keyed on; the live check's
    # first run, inside the page's, reads it again to compare.
    assert len(reads) == 2
