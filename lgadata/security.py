"""Refuse to serve in production with unsafe server settings: pure checks of their values."""

PRODUCTION = "production"
MIN_SECRET_LENGTH = 32
SECRET_COMMAND = 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"'


def production_problem(
    *,
    environment: str,
    cookie_secret: str | None,
    xsrf_protection: bool,
    error_details: str | bool = "none",
) -> str | None:
    """Return one message saying what to fix before serving in production, or None if safe.

    cookie_secret is None when nobody set Streamlit's server.cookieSecret (Streamlit then
    makes a random one per process, so signed cookies break across processes and restarts).
    Outside production nothing is required.
    """
    if environment != PRODUCTION:
        return None
    fixes = []
    if not cookie_secret or len(cookie_secret) < MIN_SECRET_LENGTH:
        state = (
            "is not set" if not cookie_secret else f"is shorter than {MIN_SECRET_LENGTH} characters"
        )
        fixes.append(
            f"Streamlit's server.cookieSecret {state}: set it to the same long random value "
            "on every server, as STREAMLIT_SERVER_COOKIE_SECRET or in the server's "
            f".streamlit/config.toml kept out of git (make one with {SECRET_COMMAND})."
        )
    if not xsrf_protection:
        fixes.append(
            "Streamlit's server.enableXsrfProtection is off: set it to true (in "
            ".streamlit/config.toml, or STREAMLIT_SERVER_ENABLE_XSRF_PROTECTION=true), so "
            "that other sites cannot post uploads with a signed-in officer's session."
        )
    if str(error_details).lower() not in ("none", "false"):
        fixes.append(
            "Streamlit's client.showErrorDetails shows tracebacks to users: set it to "
            '"none" (in .streamlit/config.toml, or STREAMLIT_CLIENT_SHOW_ERROR_DETAILS=none); '
            "the details go to the server log."
        )
    if not fixes:
        return None
    return (
        "The dashboard will not start in production (LGADATA_ENVIRONMENT=production) until "
        "this is fixed. " + " ".join(fixes)
    )
