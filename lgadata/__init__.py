"""Productivity Programme data: workstream declarations, ingest, storage and queries."""
