"""Each workstream's key is named in few product files (issue 16): surfaces read the
declarations, so a new workstream is written into its own files, not into every surface.

The measure is scripts/key_spread.py's, the same as `grep -rlw KEY lgadata ui pages
dashboard.py` with migrations aside.
"""

import importlib.util

import pytest

from lgadata.settings import REPO_ROOT
from lgadata.workstreams import WORKSTREAMS

MOST = 8  # the workstream's declaration, section, queries, charts, page, sample, registry


def _key_spread():
    spec = importlib.util.spec_from_file_location(
        "key_spread", REPO_ROOT / "scripts" / "key_spread.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


key_spread = _key_spread()


@pytest.mark.parametrize("key", list(WORKSTREAMS))
def test_a_workstream_key_is_named_in_at_most_eight_product_files(key):
    naming = key_spread.files_naming(key, key_spread.product_files())
    assert len(naming) <= MOST, [str(f.relative_to(REPO_ROOT)) for f in naming]


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("from lgadata.queries import shared_services\n", True),
        ('figures["shared_services"]\n', True),
        ("queries.shared_services_editions(engine=engine)\n", False),
        ("SHARED_SERVICES = Workstream(\n", False),
    ],
)
def test_a_file_names_a_key_as_a_whole_word_module_names_included(tmp_path, text, named):
    path = tmp_path / "surface.py"
    path.write_text(text)
    assert key_spread.files_naming("shared_services", [path]) == ([path] if named else [])


def test_migrations_and_compiled_files_are_not_product_files():
    files = [f.relative_to(REPO_ROOT) for f in key_spread.product_files()]
    assert files and not [f for f in files if {"migrations", "__pycache__"} & set(f.parts)]
    assert {f.parts[0] for f in files} == {"lgadata", "ui", "pages", "dashboard.py"}
