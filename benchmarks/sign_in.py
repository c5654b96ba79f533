"""How long a refused sign-in takes for an address that has an account and one that has not.

    python3 benchmarks/sign_in.py [--rounds 15] [--url DATABASE_URL]

Answers must never tell which addresses exist, so a refusal must cost the same whoever is
asked about. tests/test_sign_in_throttle.py checks that every refusal runs the same single
Argon2 computation; this measures the times, interleaved, from fresh clients and from a
client already locked out, and prints the ratio of the medians (target: within 20%).
"""

import argparse
import contextlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lgadata.auth import Role, SignInRefused, authenticate, command_line, save_user  # noqa: E402
from lgadata.db import create_schema, make_engine  # noqa: E402

KNOWN, UNKNOWN = "jo@example.gov.uk", "nobody@example.gov.uk"
TARGET = 0.2


def refusal_seconds(engine, email: str, client: str) -> float:
    start = time.perf_counter()
    with contextlib.suppress(SignInRefused):
        authenticate(engine=engine, email=email, password="wrong guess", client=client)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--url", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(args.url or f"sqlite:///{folder}/bench.db")
        create_schema(engine)
        save_user(
            engine=engine,
            by=command_line("setup"),
            email=KNOWN,
            role=Role.VIEWER,
            password="correct horse battery",
        )
        for locked in (False, True):
            times = {KNOWN: [], UNKNOWN: []}
            for i in range(args.rounds):
                for email in times:
                    client = "192.0.2.1" if locked else f"10.0.{i}.1"
                    times[email].append(refusal_seconds(engine, email, client))
            known, unknown = (statistics.median(t) for t in times.values())
            gap = abs(known - unknown) / max(known, unknown)
            verdict = "met" if gap < TARGET else "missed"
            where = "a locked-out client" if locked else "fresh clients"
            print(
                f"{where}: known {known * 1000:.1f} ms, unknown {unknown * 1000:.1f} ms, "
                f"gap {gap:.0%} of the slower (target under {TARGET:.0%}: {verdict})"
            )


if __name__ == "__main__":
    main()
