"""The Overview's cards: one per recommendation of the board report, drafted from the figures."""

from lgadata.sections import registry
from lgadata.sections.parts import Card, Figure

__all__ = ["Card", "Figure", "cards"]


def cards(figures: dict, milestones: list[dict]) -> list[Card]:
    """Return the Overview's cards in the order of the board report's recommendations."""
    return [s.card(figures, milestones) for s in registry.board_sections()]
