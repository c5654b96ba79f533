"""Rewrite data/samples/: python -m lgadata.samples."""

from lgadata.samples import SAMPLES_DIR, build_samples

for written in build_samples(SAMPLES_DIR):
    print(f"wrote {written}")
