"""The shipped sample workbooks, built from the figures in the board's report.

`python -m lgadata.samples` rewrites data/samples/. The output is deterministic: the same
code and council register give the same cells and, with fixed times, the same bytes.
One module per noun: `tables` holds the figures, `shared_services_map` and `sheets`
turn them into rows, `workbook` writes the rows out.
"""

import random
from pathlib import Path

from lgadata.councils import load_register
from lgadata.samples.council_names import officer_name
from lgadata.samples.shared_services_map import shared_services
from lgadata.samples.sheets import capital_assets, ebulletin, programme, tenancy_fraud
from lgadata.samples.tables import EDITIONS
from lgadata.samples.workbook import BUILT_AT, NOTES, NOTICE, workbook_bytes
from lgadata.settings import DATA_DIR
from lgadata.workstreams import get_workstream

__all__ = [
    "BUILT_AT",
    "EDITIONS",
    "NOTICE",
    "SAMPLES_DIR",
    "SEED",
    "build_samples",
    "capital_assets",
    "ebulletin",
    "officer_name",
    "programme",
    "shared_services",
    "tenancy_fraud",
]

SEED = 2013
SAMPLES_DIR = DATA_DIR / "samples"

_BUILDERS = {
    "shared_services": shared_services,
    "capital_assets": capital_assets,
    "tenancy_fraud": tenancy_fraud,
    "ebulletin": ebulletin,
    "programme": programme,
}


def build_samples(out_dir: Path) -> list[Path]:
    """Write the five sample workbooks into out_dir and return their paths."""
    register = load_register()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for key, build in _BUILDERS.items():
        workstream = get_workstream(key)
        sheets = build(register, random.Random(SEED))
        path = out_dir / workstream.sample_file
        path.write_bytes(workbook_bytes(workstream, sheets, NOTES[key]))
        paths.append(path)
    return paths
