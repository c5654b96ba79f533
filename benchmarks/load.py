"""Concurrent viewers switching pages: click-to-headline time, errors and server memory.

    python3 benchmarks/load.py [--viewers 50] [--seconds 120] [--processes 1 2]
                               [--postgres SERVER_URL] [--poll 5] [--think 3 7]

For each process count asked for, starts that many `streamlit run serve.py` processes on one
new database seeded with the samples (SQLite, or a database made on --postgres's server and
dropped after), with nginx and deploy/nginx.conf in front when there are two or more (ports
changed only, as tests/deploy/ does). It opens every board page once on each process, as
on a server that has been up a while (a page's first run imports its modules), then opens N
viewers, who arrive over --ramp seconds and switch between the seven board pages every few
seconds (--think) for the duration, and prints the median and 95th percentile of the time
from each click to the page's headline figure, the same once every viewer has arrived (the
arrival, 50 first visits in 10 s, is the hardest part), the errors, the servers' resident
memory and CPU time, and the ratios between the runs.

What a viewer is. Fifty Chromium contexts do not fit beside the dashboard on two shared
cores (each renders Vega charts and runs React: the browser would be measured, not the
server), so a viewer is a client that speaks Streamlit's own WebSocket protocol, as its
frontend does: it opens /_stcore/stream with the sign-in cookie, sends a `rerun_script`
BackMsg with the page's `page_script_hash` and `page_name` (as a click in the sidebar does),
reads the ForwardMsgs, and answers every `auto_rerun` (the live-check fragment of ui/live.py)
with a fragment rerun at its interval, as the browser does. A click is timed from sending
the BackMsg to the first `metric` element of that page's run (every board page opens with
its figures); an error is an exception element, an error alert (the dashboard's "Something
went wrong" or outage message), "Page not found", a run that ends without a figure, no
figure within 30 s, a static file refused, or a dropped connection (a static file whose
kept-alive connection the server had closed is sent again once, as a browser does, and
counted apart). On arrival a viewer
also fetches the page and the scripts and style sheets it names (about 60, 2 MB), six at a
time, as a browser with an empty cache does (--no-assets skips it); the first page's time
counts from there and is printed apart from the clicks. What it does not do: run those
scripts, render charts, fetch media files, send widget states (every page runs on its
defaults), open meeting mode (the Present page), or send the frontend's cached-message
hashes (so the server sends every message in full, which a browser would partly be
spared). The client runs on the same cores as the servers; its own CPU time is printed.

Sign-in is one HTTP POST to the dashboard's form (CSRF cookie and hidden field, as a browser
sends them), and all viewers share the resulting cookie (one session row): every script run
still looks the session up in the database. Each viewer has its own nginx route cookie, so
viewers spread over the processes as browsers would.
"""

import argparse
import asyncio
import contextlib
import os
import random
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psutil
import websockets

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from streamlit.proto.BackMsg_pb2 import BackMsg  # noqa: E402
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402

from benchmarks.sessions import resident_mb as process_mb  # noqa: E402
from lgadata.sessions import COOKIE  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    NO_RELOAD,
    PASSWORD,
    USERS,
    free_port,
    prepare_database,
    start_server,
    wait_healthy,
)
from tests.deploy.conftest import CONFIG, NGINX, ROUTE, nginx_command, render  # noqa: E402

# The board pages a viewer may use, by url path: each shows its headline figures first.
PAGES = [
    "overview",
    "capital_assets",
    "shared_services",
    "tenancy_fraud",
    "procurement",
    "ebulletin",
    "timeline",
]
TIMEOUT_S = 30  # no headline figure by then is an error
ASSET = re.compile(r'(?:src|href)="\.?/?(static/[^"]+\.(?:js|css))"')
ENCODINGS = {"Accept-Encoding": "gzip, deflate, br"}
TARGET_P95_S = 2.0
ERROR_ALERT = 1  # Alert.Format.ERROR


@dataclass
class Tally:
    """What every viewer saw, gathered in one place."""

    clicks: list[float] = field(default_factory=list)  # click to headline figure, seconds
    finished: list[float] = field(default_factory=list)  # click to the run's end
    first: list[float] = field(default_factory=list)  # connect to the first page's figure
    clicked_at: list[float] = field(default_factory=list)  # when each of `clicks` was made
    arrived_at: float = 0.0  # when the last viewer's first page showed its figure
    fragment_runs: int = 0
    resent: int = 0  # static-file requests sent again on a fresh connection
    errors: dict[str, int] = field(default_factory=dict)
    samples: list[str] = field(default_factory=list)  # a few error texts, to print

    def error(self, kind: str, text: str = "") -> None:
        self.errors[kind] = self.errors.get(kind, 0) + 1
        if len(self.samples) < 5:
            self.samples.append(f"{kind}: {text[:160]}")


def sign_in(base: str) -> str:
    """Sign in through the dashboard's form as the viewer; return the session cookie."""
    with httpx.Client(base_url=base, timeout=60, follow_redirects=False) as client:
        form = client.get("/account/sign-in")
        form.raise_for_status()
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
        answer = client.post(
            "/account/sign-in",
            data={"email": USERS["viewer"], "password": PASSWORD, "csrf": csrf, "next": "/"},
            headers={"Origin": base},
        )
        if answer.status_code != 303 or COOKIE not in client.cookies:
            raise RuntimeError(f"sign-in failed: {answer.status_code} {answer.text[:200]}")
        return client.cookies[COOKIE]


class Viewer:
    """One person with the dashboard open, clicking from page to page."""

    def __init__(
        self, base: str, token: str, tally: Tally, think: tuple[float, float], *, assets: bool
    ) -> None:
        self.base, self.token, self.tally, self.think = base, token, tally, think
        self.assets = assets
        self.hashes: dict[str, str] = {}  # url path -> page_script_hash, from the navigation
        self.page = ""
        self.fragments: dict[str, asyncio.Task] = {}
        self.waiting: dict | None = None  # the click being timed
        self.done = asyncio.Event()

    def _rerun(self, *, page: str, fragment_id: str = "") -> bytes:
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = ""
        state.page_name = page
        state.page_script_hash = self.hashes.get(page, "")
        state.widget_states.SetInParent()
        state.context_info.timezone = "Europe/London"
        state.context_info.url = f"{self.base}/{'' if page == PAGES[0] else page}"
        if fragment_id:
            state.fragment_id = fragment_id
            state.is_auto_rerun = True
        return msg.SerializeToString()

    async def run(self, deadline: float, *, tour: bool = False) -> None:
        """Open the Overview, then click to another page every few seconds until the
        deadline (or, on a tour, to every other board page once, straight away)."""
        url = self.base.replace("http", "ws", 1) + "/_stcore/stream"
        route = secrets.token_hex(16)
        cookies = f"{COOKIE}={self.token}; {ROUTE}={route}"
        started = time.perf_counter()
        if self.assets:
            await self._load_assets({COOKIE: self.token, ROUTE: route})
        try:
            async with websockets.connect(
                url,
                subprotocols=["streamlit"],
                additional_headers={"Cookie": cookies, "Origin": self.base},
                max_size=None,
                open_timeout=TIMEOUT_S,
                ping_interval=None,
            ) as ws:
                self.ws = ws
                reader = asyncio.create_task(self._read())
                try:
                    await self._click(PAGES[0], started=started, first=True)
                    for page in PAGES[1:] if tour else ():
                        await self._click(page)
                    while not tour and time.monotonic() < deadline:
                        await asyncio.sleep(random.uniform(*self.think))
                        if time.monotonic() >= deadline:
                            break
                        await self._click(random.choice([p for p in PAGES if p != self.page]))
                finally:
                    reader.cancel()
                    for task in self.fragments.values():
                        task.cancel()
        except (OSError, websockets.WebSocketException, TimeoutError) as error:
            self.tally.error("connection", repr(error))

    async def _load_assets(self, cookies: dict) -> None:
        """Fetch the page, then every script and style sheet it names six at a time, as a
        browser's first visit does."""
        limits = httpx.Limits(max_connections=6)
        async with httpx.AsyncClient(
            base_url=self.base, cookies=cookies, timeout=TIMEOUT_S, headers=ENCODINGS, limits=limits
        ) as client:

            async def get(path: str) -> httpx.Response:
                # A browser sends a request again, once, when a kept-alive connection it
                # reused turns out to have been closed by the server before any answer.
                try:
                    answer = await client.get(path)
                except httpx.RemoteProtocolError:
                    self.tally.resent += 1
                    answer = await client.get(path)
                answer.raise_for_status()
                return answer

            try:
                page = await get("/")
                await asyncio.gather(*(get(f"/{a}") for a in ASSET.findall(page.text)))
            except httpx.HTTPError as error:
                self.tally.error("static files", repr(error))

    async def _click(self, page: str, *, started: float | None = None, first=False) -> None:
        self.page = page
        self.done.clear()
        for task in self.fragments.values():
            task.cancel()  # the browser drops a page's timers when it leaves it
        self.fragments.clear()
        clicked = started or time.perf_counter()
        self.waiting = {"page": page, "clicked": clicked, "started": False, "figure": None}
        await self.ws.send(self._rerun(page="" if first else page))
        try:
            await asyncio.wait_for(self.done.wait(), TIMEOUT_S)
        except TimeoutError:
            self.tally.error("timeout", f"{page}: no headline figure within {TIMEOUT_S} s")
            self.waiting = None
            return
        waiting, self.waiting = self.waiting, None
        if waiting["figure"] is not None:
            if first:
                self.tally.first.append(waiting["figure"])
                self.tally.arrived_at = max(self.tally.arrived_at, time.perf_counter())
            else:
                self.tally.clicks.append(waiting["figure"])
                self.tally.clicked_at.append(waiting["clicked"])
            if not first:
                self.tally.finished.append(waiting["ended"])

    async def _poll(self, fragment_id: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval)
            await self.ws.send(self._rerun(page=self.page, fragment_id=fragment_id))
            self.tally.fragment_runs += 1

    def _finish(self, error: tuple[str, str] | None = None) -> None:
        if error:
            self.tally.error(*error)
        if self.waiting is not None:
            self.waiting["ended"] = time.perf_counter() - self.waiting["clicked"]
        self.done.set()

    async def _read(self) -> None:
        try:
            await self._dispatch()
        except websockets.ConnectionClosed as error:
            self.tally.error("connection", repr(error))
            self.done.set()

    async def _dispatch(self) -> None:
        async for raw in self.ws:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            waiting = self.waiting
            if kind == "navigation":
                # The default page's address is "" (the Overview, at the root).
                self.hashes = {
                    p.url_pathname or PAGES[0]: p.page_script_hash for p in msg.navigation.app_pages
                }
            elif kind == "new_session" and waiting:
                # A run that begins while a click is awaited is that click's run.
                waiting["started"] = True
            elif kind == "auto_rerun" and msg.auto_rerun.fragment_id not in self.fragments:
                self.fragments[msg.auto_rerun.fragment_id] = asyncio.create_task(
                    self._poll(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
                )
            elif kind == "page_not_found":
                self._finish(("page not found", msg.page_not_found.page_name))
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self._element(msg.delta.new_element, waiting)
            elif kind == "script_finished" and waiting and waiting["started"]:
                status = ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished)
                if status == "FINISHED_SUCCESSFULLY":
                    missing = waiting["figure"] is None
                    self._finish(("no headline figure", waiting["page"]) if missing else None)

    def _element(self, element, waiting: dict | None) -> None:
        kind = element.WhichOneof("type")
        if kind == "exception":
            self.tally.error("exception", element.exception.message)
        elif kind == "alert" and element.alert.format == ERROR_ALERT:
            self.tally.error("error message", element.alert.body)
        elif kind == "metric" and waiting and waiting["started"] and waiting["figure"] is None:
            waiting["figure"] = time.perf_counter() - waiting["clicked"]


def resident_mb(processes: list[psutil.Process]) -> float:
    """Return the resident memory of these processes and their children, in MB."""
    return sum(process_mb(process) for process in processes)


class Sampler(threading.Thread):
    """Sample the servers' resident memory every half second; count their CPU time."""

    def __init__(self, processes: list[psutil.Process]) -> None:
        super().__init__(daemon=True)
        self.processes, self.peak, self.running = processes, 0.0, True
        self.cpu_start = self._cpu()

    def _cpu(self) -> list[float]:
        return [sum(p.cpu_times()[:2]) for p in self.processes]

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, resident_mb(self.processes))
            time.sleep(0.5)

    def stop(self) -> dict:
        self.running = False
        self.join()
        cpu = [end - start for start, end in zip(self.cpu_start, self._cpu(), strict=True)]
        return {"peak_mb": self.peak, "end_mb": resident_mb(self.processes), "cpu_s": cpu}


def _stop(process: subprocess.Popen) -> None:
    """Stop a process, killing it if it has not stopped within ten seconds."""
    process.terminate()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=10)
        return
    process.kill()
    process.wait()


def start_cluster(stack: ExitStack, url: str, processes: int, poll: float):
    """Start the dashboard processes (and nginx in front of two or more); return the
    address viewers use, the server processes and each one's own address."""
    directory = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="lga-load-")))
    (directory / ".streamlit").mkdir()
    shutil.copy(REPO / ".streamlit" / "config.toml", directory / ".streamlit")
    env = NO_RELOAD | {
        "LGADATA_SEED_SAMPLES": "false",
        "LGADATA_POLL_SECONDS": f"{poll:g}",
        "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_urlsafe(32),
    }
    servers, bases = [], []
    for _ in range(processes):
        base, server = start_server(url, env=env, cwd=directory)
        stack.callback(_stop, server)
        servers.append(server)
        bases.append(base)
    if processes == 1:
        return bases[0], servers, bases
    if NGINX is None:
        raise SystemExit("nginx is not installed (apt-get install nginx-light)")
    prefix = Path(tempfile.mkdtemp(prefix="lga-load-nginx-"))
    stack.callback(shutil.rmtree, prefix, ignore_errors=True)
    prefix.chmod(0o755)
    listen = free_port()
    ports = [int(b.rsplit(":", 1)[1]) for b in bases]
    config = prefix / "nginx.conf"
    config.write_text(render(CONFIG.read_text(), listen=listen, upstreams=ports))
    nginx = subprocess.Popen(nginx_command(prefix, config), stderr=subprocess.DEVNULL)
    stack.callback(_stop, nginx)
    base = f"http://127.0.0.1:{listen}"
    wait_healthy(base, nginx, timeout=30)
    return base, servers, bases


async def _viewers(base: str, token: str, args) -> Tally:
    tally = Tally()
    deadline = time.monotonic() + args.seconds
    viewers = [
        Viewer(base, token, tally, tuple(args.think), assets=not args.no_assets)
        for _ in range(args.viewers)
    ]

    async def arrive(viewer: Viewer, delay: float) -> None:
        await asyncio.sleep(delay)
        await viewer.run(deadline)

    # People arrive over the first few seconds, not all in one millisecond.
    ramp = min(args.ramp, args.seconds / 2)
    await asyncio.gather(*(arrive(v, ramp * i / args.viewers) for i, v in enumerate(viewers)))
    return tally


async def warm_up(bases: list[str], token: str) -> None:
    """Open every board page once on each process, as a server that has been up a while
    has: the first run of a page imports its modules."""
    for base in bases:
        tally = Tally()
        await Viewer(base, token, tally, (0, 0), assets=False).run(0, tour=True)
        if tally.errors:
            raise RuntimeError(f"warming {base} up failed: {tally.samples}")


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which that fraction of the values lie (nearest rank)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def measure(url: str, processes: int, args) -> dict:
    """Run the viewers against that many processes; return the figures."""
    with ExitStack() as stack:
        base, servers, bases = start_cluster(stack, url, processes, args.poll)
        token = sign_in(base)
        asyncio.run(warm_up(bases, token))
        tree = [psutil.Process(s.pid) for s in servers]
        idle = resident_mb(tree)
        sampler = Sampler(tree)
        sampler.start()
        client_cpu = time.process_time()
        started = time.perf_counter()
        tally = asyncio.run(_viewers(base, token, args))
        wall = time.perf_counter() - started
        settled = [
            took
            for took, at in zip(tally.clicks, tally.clicked_at, strict=True)
            if at > tally.arrived_at
        ]
        server = sampler.stop()
    return {
        "processes": processes,
        "clicks": len(tally.clicks),
        "median": statistics.median(tally.clicks) if tally.clicks else float("nan"),
        "p95": percentile(tally.clicks, 0.95),
        "settled_p95": percentile(settled, 0.95),
        "settled_clicks": len(settled),
        "max": max(tally.clicks, default=float("nan")),
        "finished_p95": percentile(tally.finished, 0.95),
        "first_p95": percentile(tally.first, 0.95),
        "fragment_runs": tally.fragment_runs,
        "resent": tally.resent,
        "errors": sum(tally.errors.values()),
        "error_kinds": tally.errors,
        "samples": tally.samples,
        "idle_mb": idle,
        "peak_mb": server["peak_mb"],
        "end_mb": server["end_mb"],
        "server_cpu_s": server["cpu_s"],
        "client_cpu_s": time.process_time() - client_cpu,
        "wall_s": wall,
    }


def report(result: dict, args) -> None:
    """Print one run's figures."""
    met = result["p95"] < TARGET_P95_S and result["errors"] == 0
    print(f"\n{result['processes']} process(es), {args.viewers} viewers, {args.seconds:g} s")
    print(f"  page switches            {result['clicks']:>8}")
    print(f"  click to figure, median  {result['median']:>8.2f} s")
    print(f"  click to figure, p95     {result['p95']:>8.2f} s  (target < {TARGET_P95_S:g} s)")
    print(f"  click to figure, max     {result['max']:>8.2f} s")
    print(f"  click to run's end, p95  {result['finished_p95']:>8.2f} s")
    print(
        f"  p95 once all had arrived {result['settled_p95']:>8.2f} s  "
        f"({result['settled_clicks']} switches after the last first page)"
    )
    print(f"  first page, p95          {result['first_p95']:>8.2f} s")
    print(f"  live-check runs          {result['fragment_runs']:>8}")
    print(f"  static requests resent   {result['resent']:>8}")
    print(f"  errors                   {result['errors']:>8}  {result['error_kinds'] or ''}")
    for sample in result["samples"]:
        print(f"    {sample}")
    print(f"  server memory at start   {result['idle_mb']:>6.0f} MB")
    print(f"  server memory, peak      {result['peak_mb']:>6.0f} MB")
    print(f"  server memory, end       {result['end_mb']:>6.0f} MB")
    each = " + ".join(f"{cpu:.1f}" for cpu in result["server_cpu_s"])
    print(f"  server CPU               {sum(result['server_cpu_s']):>8.1f} s  ({each})")
    print(f"  client CPU               {result['client_cpu_s']:>8.1f} s")
    print(f"  target                   {'met' if met else 'missed':>8}")
    print(
        f"  | {result['processes']} | {args.viewers} | {result['clicks']} | "
        f"{result['median']:.2f} s | {result['p95']:.2f} s | {result['settled_p95']:.2f} s | "
        f"{result['max']:.2f} s | {result['first_p95']:.1f} s | "
        f"{result['errors']} | {result['peak_mb']:.0f} MB | "
        f"{sum(result['server_cpu_s']):.0f} s | {'met' if met else '**missed**'} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--postgres", help="a PostgreSQL server URL to make a database on")
    parser.add_argument("--poll", type=float, default=5, help="LGADATA_POLL_SECONDS")
    parser.add_argument("--think", type=float, nargs=2, default=[3, 7], metavar=("MIN", "MAX"))
    parser.add_argument(
        "--no-assets", action="store_true", help="skip fetching the page's scripts on arrival"
    )
    parser.add_argument("--ramp", type=float, default=10, help="seconds over which viewers arrive")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for processes in args.processes:
            if args.postgres:
                from benchmarks.run import drop_postgres_database, postgres_database

                name = "lgadata_bench_load"
                url = postgres_database(args.postgres, name)
            else:
                url = f"sqlite:///{folder}/load-{processes}.db"
            try:
                prepare_database(url)
                results.append(measure(url, processes, args))
            finally:
                if args.postgres:
                    drop_postgres_database(args.postgres, name)
            report(results[-1], args)
    if len(results) > 1:
        one, *others = results
        for other in others:
            print(
                f"\n{other['processes']} / {one['processes']} processes: "
                f"median {other['median'] / one['median']:.2f}x, "
                f"p95 {other['p95'] / one['p95']:.2f}x, "
                f"peak memory {other['peak_mb'] / one['peak_mb']:.2f}x"
            )
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
