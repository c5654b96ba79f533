"""Headline sentences drafted from the figures, for the command line and the Overview."""

from lgadata.sections import registry
from lgadata.sections.parts import join_names
from lgadata.workstreams import WORKSTREAMS

__all__ = ["format_metrics", "headlines", "join_names"]


def headlines(figures: dict) -> dict[str, list[str]]:
    """Return, for each workstream with data, sentences stating its headline figures."""
    drafted = {s.workstream: s.sentences(figures) for s in registry.summaries()}
    return {key: lines for key, lines in drafted.items() if lines}


def format_metrics(figures: dict) -> str:
    """Return the headline figures as plain text, one block per workstream."""
    lines = []
    sentences = headlines(figures)
    for key, workstream in WORKSTREAMS.items():
        lines.append(workstream.title)
        lines += [f"  {s}" for s in sentences.get(key, ["No data uploaded yet."])]
    return "\n".join(lines)
