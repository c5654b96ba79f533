"""The council boundaries the Shared Services page's map draws, fetched once by the browser.

The page's map names them by address (lgadata.charts.council_map.BOUNDARIES_URL) instead of
carrying them in its spec, which Streamlit writes and reads as JSON on every run. They are
public data (Ordnance Survey and Martin Chorley, CC BY 4.0: data/README.md), so no sign-in
is asked; the answer is the same for everyone and kept by the browser until it changes.
"""

import gzip
import hashlib
import json
from functools import lru_cache

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from lgadata.charts.council_map import BOUNDARIES_URL, one_object
from lgadata.councils import load_boundaries


@lru_cache(maxsize=1)
def _served() -> tuple[bytes, bytes, str]:
    """Return the boundaries as JSON, gzipped, and their entity tag, made once."""
    body = json.dumps(one_object(load_boundaries()), separators=(",", ":")).encode()
    return body, gzip.compress(body, mtime=0), f'"{hashlib.sha256(body).hexdigest()[:20]}"'


async def boundaries(request: Request) -> Response:
    """GET BOUNDARIES_URL: the districts' and counties' shapes as one TopoJSON object."""
    body, zipped, tag = _served()
    headers = {"ETag": tag, "Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(
            zipped, media_type="application/json", headers={**headers, "Content-Encoding": "gzip"}
        )
    return Response(body, media_type="application/json", headers=headers)


ROUTES = [Route(BOUNDARIES_URL, boundaries, methods=["GET"])]
