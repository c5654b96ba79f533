"""The shipped sample workbooks, built from the figures in the board's report.

`python -m lgadata.samples` rewrites data/samples/. The output is deterministic: the same
code and council register give the same cells and, with fixed times, the same bytes.
One module per noun: `tables` holds the figures; each workstream's `samples/KEY.py` turns
them into its rows (`rows(register, rng)`) and says what is illustrative (`NOTES`);
`workbook` writes the rows out. The modules are found by the workstreams' keys.
"""

import importlib
import random
from pathlib import Path

from lgadata.councils import load_register
from lgadata.samples.council_names import officer_name
from lgadata.samples.tables import EDITIONS
from lgadata.samples.workbook import BUILT_AT, NOTICE, workbook_bytes
from lgadata.settings import DATA_DIR
from lgadata.workstreams import WORKSTREAMS

__all__ = [
    "BUILT_AT",
    "EDITIONS",
    "NOTICE",
    "SAMPLES_DIR",
    "SEED",
    "build_samples",
    "officer_name",
    "sample_of",
]

SEED = 2013
SAMPLES_DIR = DATA_DIR / "samples"


def sample_of(key: str):
    """Return the module holding a workstream's sample rows and notes."""
    return importlib.import_module(f"{__name__}.{key}")


def build_samples(out_dir: Path) -> list[Path]:
    """Write each workstream's sample workbook into out_dir and return their paths."""
    register = load_register()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for workstream in WORKSTREAMS.values():
        sample = sample_of(workstream.key)
        sheets = sample.rows(register, random.Random(SEED))
        path = out_dir / workstream.sample_file
        path.write_bytes(workbook_bytes(workstream, sheets, sample.NOTES))
        paths.append(path)
    return paths
