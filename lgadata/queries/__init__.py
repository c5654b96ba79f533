"""Keyword-only read functions: headline figures and breakdowns, aggregated in SQL.

One module per workstream, and `base` and `history` beside them; each lists in `__all__`
what it offers, and everything listed is re-exported here, so callers write
`queries.fraud_pilots(engine=engine)`. The modules are found, not named: a new
workstream's `queries/KEY.py` is re-exported without an edit here.
"""

import datetime as dt
import importlib
import pkgutil

import sqlalchemy as sa

from lgadata.queries.base import data_version
from lgadata.summaries import PROGRAMME_URL_MARK
from lgadata.workstreams import WORKSTREAMS

RECENT_BULLETINS = 5  # the bulletins the headline figures show

__all__ = ["PROGRAMME_URL_MARK", "RECENT_BULLETINS", "edition_figures", "metrics", "published"]


def _export_modules() -> None:
    """Re-export what each module of this package lists in its `__all__`."""
    for found in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{found.name}")
        globals().update({name: getattr(module, name) for name in module.__all__})
        __all__.extend(module.__all__)
    __all__.sort()


_export_modules()


def metrics(
    *, engine: sa.Engine, today: dt.date | None = None, known_at: dt.datetime | None = None
) -> dict:
    """Return the headline figures of every workstream, as plain data (as known at a moment)."""
    # Imported here: the sections draw on these queries, so they load after this package.
    from lgadata.sections import registry

    figures = {"data_version": data_version(engine=engine)}
    for summary in registry.summaries():
        figures[summary.workstream] = summary.figures(engine=engine, today=today, known_at=known_at)
    figures["workstreams"] = list(WORKSTREAMS)
    return figures


def published(figures: dict) -> dict:
    """Return metrics() as `metrics --json` and the API publish them: each workstream's
    figures under its published key, which a rename of the workstream does not change."""
    keys = {w.key: w.published_key for w in WORKSTREAMS.values()}
    out = {keys.get(key, key): value for key, value in figures.items()}
    out["workstreams"] = [keys.get(key, key) for key in figures["workstreams"]]
    return out


def edition_figures(editions: list[dict]) -> dict:
    """Return the Shared Services Map's figures from its editions: the latest, the one before."""
    return {
        "latest": editions[-1] if editions else None,
        "previous": editions[-2] if len(editions) > 1 else None,
        "editions": editions,
    }
