"""Financial implications: the paper's closing section, on the programme's costs and savings."""

from lgadata.paper import sections as paper
from lgadata.sections.parts import Section

SECTION = Section(
    key="financial",
    title="Financial implications",
    workstreams=("capital_assets", "tenancy_fraud"),
    paragraphs=paper.financial,
    paper_only=True,
)
