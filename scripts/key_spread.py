"""Print, per workstream, how many product files name its key (the measure of issue 16).

The same count as `grep -rlw KEY lgadata ui pages dashboard.py`, migrations and compiled
files aside: a file counts when the key appears in it as a whole word, module names included.
Run: python scripts/key_spread.py [--files] [--most 8]; exits 1 when a key is in more files.
"""

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from lgadata.settings import REPO_ROOT  # noqa: E402
from lgadata.workstreams import WORKSTREAMS  # noqa: E402

PLACES = ("lgadata", "ui", "pages", "dashboard.py")
SKIPPED = ("migrations", "__pycache__")


def product_files(root: Path = REPO_ROOT) -> list[Path]:
    """Return every file grep would search, migrations and compiled files aside."""
    found = []
    for place in PLACES:
        path = root / place
        for file in [path] if path.is_file() else sorted(path.rglob("*")):
            if file.is_file() and not set(SKIPPED) & set(file.relative_to(root).parts):
                found.append(file)
    return found


def files_naming(key: str, files: list[Path]) -> list[Path]:
    """Return the files in which key appears as a whole word, as grep -w matches it."""
    word = re.compile(rb"(?<![A-Za-z0-9_])" + re.escape(key.encode()) + rb"(?![A-Za-z0-9_])")
    return [f for f in files if word.search(f.read_bytes())]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", action="store_true", help="list the files for each key")
    parser.add_argument("--most", type=int, default=8, help="the most files a key may be in")
    args = parser.parse_args()
    files = product_files()
    over = False
    for key in WORKSTREAMS:
        naming = files_naming(key, files)
        over |= len(naming) > args.most
        print(f"{key}: {len(naming)}")
        if args.files:
            print("".join(f"    {f.relative_to(REPO_ROOT)}\n" for f in naming), end="")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
