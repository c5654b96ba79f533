"""A process that stops under a signed-in page: nginx sends the page's route to another
process, where the person is still signed in, because the sign-in is in the database."""

from urllib.parse import urlsplit

from tests.deploy.conftest import (
    CONFIG,
    ROUTE,
    USERS,
    Cluster,
    free_port,
    render,
    running_nginx,
    sign_in,
    start_server,
    stop,
    wait_healthy,
)


def test_a_signed_in_page_whose_process_stops_carries_on_signed_in_on_another(cluster, browser):
    from playwright.sync_api import expect

    # A process of its own to stop, beside the cluster's first, behind an nginx of its own.
    doomed_url, doomed = start_server(
        cluster.database_url, env=cluster.env, cwd=cluster.directory, port=free_port()
    )
    try:
        listen = free_port()
        ports = [urlsplit(cluster.servers[0]).port, urlsplit(doomed_url).port]
        config = render(CONFIG.read_text(encoding="utf-8"), listen=listen, upstreams=ports)
        with running_nginx(config) as (prefix, nginx):
            base = f"http://127.0.0.1:{listen}"
            wait_healthy(base, nginx, timeout=30)
            pair = Cluster(
                base, [cluster.servers[0], doomed_url], cluster.database_url, prefix, False
            )
            context = pair.context(browser, server=1)
            page = context.new_page()
            try:
                sign_in(page, base, "viewer")
                [route] = [c["value"] for c in context.cookies() if c["name"] == ROUTE]
                stop(doomed)
                # The page reconnects, through nginx, to the process that is left.
                page.get_by_test_id("stSidebarNav").get_by_role(
                    "link", name="Shared Services"
                ).click()
                card = page.get_by_test_id("stMetric").filter(has_text="Councils sharing services")
                expect(card).to_be_visible(timeout=60_000)
                expect(page.get_by_text(f"Signed in as {USERS['viewer']} (viewer)")).to_be_visible()
                expect(page.get_by_role("textbox", name="Password")).to_have_count(0)
            finally:
                context.close()
            # nginx logs a WebSocket when it closes: the first went to the process that
            # stopped, the next to the other (after trying the stopped one, if it did).
            [first] = pair.logged("GET /_stcore/stream ", route=route, upstream=pair.upstream(1))
            assert first["upstream"] == pair.upstream(1)
            assert pair.logged(
                "GET /_stcore/stream ", route=route, status="101", upstream=pair.upstream(0)
            )
    finally:
        stop(doomed)
