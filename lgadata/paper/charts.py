"""The paper's charts as PNGs, drawn offline by vl-convert from the dashboard's Altair builders."""

import altair as alt

from lgadata.paper.model import Chart

# Wide enough for the longest axis labels at A4 text width; scale 2 keeps print sharp.
WIDTH = 620
SCALE = 2


def render(
    chart: alt.TopLevelMixin, *, caption: str, alt_text: str, width: int | None = WIDTH
) -> Chart:
    """Return a chart drawn on white, its title moved into the caption below it.

    A width of None keeps the chart's own: a concatenation (the council map) has no width.
    """
    # The caption carries the title on paper, so the image does not repeat it.
    import vl_convert  # only when a paper is drawn: not for every page that reads a section

    sized = {"width": width} if width else {}
    spec = chart.properties(title="", background="white", **sized)
    png = vl_convert.vegalite_to_png(spec.to_json(), scale=SCALE)
    return Chart(caption=caption, png=png, alt_text=alt_text)
