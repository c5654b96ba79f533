"""nginx limits sign-in attempts by client address, and passes the client's own address to
the app, which believes nothing a client says about it."""

import sqlalchemy as sa

from lgadata import sessions
from lgadata.db import make_engine
from lgadata.models import UserSession
from lgadata.web import signin
from tests.deploy.conftest import (
    PASSWORD,
    USERS,
    assert_security_headers,
    fetch,
    post_sign_in,
)

# deploy/nginx.conf: 10 a minute and a burst of 5, answered at once, so the 7th of a quick
# run is refused unless six seconds (one request's worth at 10 a minute) have passed.
ANSWERED_AT_ONCE = 6
FORGED = {"X-Forwarded-For": "203.0.113.9", "X-Real-IP": "203.0.113.9"}


def test_sign_in_posts_beyond_the_limit_get_429_from_nginx_for_that_address_alone(cluster):
    # Each test client has a loopback address of its own, so that the limit it reaches is
    # not the one the browser tests' sign-ins (from 127.0.0.1) count against. Without the
    # form's token the app refuses each post with 403, without checking a password.
    guess = {"email": USERS["viewer"], "password": "guess", "csrf": False}
    answers = [
        post_sign_in(cluster.base, source="127.0.0.2", **guess) for _ in range(ANSWERED_AT_ONCE + 3)
    ]
    statuses = [answer.status for answer in answers]
    assert statuses == [403] * ANSWERED_AT_ONCE + [429] * 3
    assert b"Too Many Requests" in answers[-1].body
    assert_security_headers(answers[-1])
    # The form itself is not limited; another address is not limited.
    assert fetch(cluster.base, signin.SIGN_IN_PATH, source="127.0.0.2").status == 200
    assert post_sign_in(cluster.base, source="127.0.0.4", **guess).status == 403
    refused = [line for line in cluster.log() if line["status"] == "429"]
    assert {line["request"] for line in refused} == {"POST /account/sign-in HTTP/1.1"}
    assert {line["upstream"] for line in refused} == {"-"}  # no process was asked


def test_the_app_takes_the_clients_address_from_nginx_and_never_from_the_client(cluster):
    engine = make_engine(cluster.database_url)
    try:
        for source in ("127.0.0.3", "127.0.0.1"):
            answer = post_sign_in(
                cluster.base,
                email=USERS["viewer"],
                password=PASSWORD,
                source=source,
                headers=FORGED,
            )
            token = answer.cookie(sessions.COOKIE)
            assert answer.status == 303 and token, answer
            with engine.connect() as conn:
                client = conn.execute(
                    sa.select(UserSession.client).where(
                        UserSession.token_hash == sessions.token_hash(token)
                    )
                ).scalar_one()
            assert client == source
    finally:
        engine.dispose()
