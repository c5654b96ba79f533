"""Meeting mode's look: its colours, the style sheet that sizes a screen for reading across
a room, and the script that lets a presenter's clicker move between screens. Constants, never
data: nothing a user typed goes into them."""

COLOURS = {
    "light": {"background": "#ffffff", "panel": "#f0f2f6", "text": "#0b0c0c", "grid": "#c8c8c8"},
    "dark": {"background": "#0e1117", "panel": "#262730", "text": "#fafafa", "grid": "#4a4d57"},
}

# Static CSS only, never data: sizes for reading across a room, and the header hidden. Streamlit
# has no per-page option to hide its header (client.toolbarMode applies to every session).
# Sizes follow the window's height, so that a screen and its controls fit a 1280x720
# projector as they fit 1920x1080 (where a headline figure is 84 pixels high).
LARGE_TYPE = """<style>
header[data-testid="stHeader"] { display: none; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5vh; padding-bottom: 1vh; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 1.4vh; }
[data-testid="stMainBlockContainer"] h1 { font-size: clamp(1.1rem, 2.6vh, 1.75rem); padding: 0; }
.st-key-present-screen h2 { font-size: clamp(1.7rem, 4.6vh, 3.2rem); padding: 0; }
/* Streamlit pulls what follows a heading up by the padding taken away above: the
   commentary's first line, right under it, went under the heading at 200% zoom. */
.st-key-present-screen:has(.st-key-present-commentary) [data-testid="stHeading"]
  [data-testid="stMarkdownContainer"] { margin-bottom: 0; }
.st-key-present-figures [data-testid="stMetricLabel"] p { font-size: clamp(1rem, 3.2vh, 1.9rem); }
.st-key-present-figures [data-testid="stMetricValue"] p {
  font-size: clamp(2.4rem, 7.8vh, 5.25rem); line-height: 1.1; }
.st-key-present-figures [data-testid="stMetricDelta"] p { font-size: clamp(1rem, 2.9vh, 1.75rem); }
.st-key-present-chart [data-testid="stVegaLiteChart"] { max-height: 36vh; overflow: hidden; }
.st-key-present-chart canvas, .st-key-present-chart svg {
  max-height: 36vh; width: auto !important; height: auto !important; max-width: 100%; }
/* A phone, or 200% zoom: the chart at its own size, the screen scrolled, rather than shrunk
   to a third of a short window (its words a few pixels high; the walk of issue 18). */
@media (max-width: 640px), (max-height: 480px) {
  .st-key-present-chart [data-testid="stVegaLiteChart"] { max-height: none; }
  .st-key-present-chart canvas, .st-key-present-chart svg { max-height: none; } }
.st-key-present-chart-alone { padding-top: 1vh; }
.st-key-present-chart-alone [data-testid="stVegaLiteChart"] svg.marks {
  height: 52vh !important; width: auto !important; max-width: 100%; }
@media (max-width: 640px) {  /* a phone: the columns stack and the map takes the width */
  .st-key-present-chart-alone [data-testid="stVegaLiteChart"] svg.marks {
    height: auto !important; width: 100% !important; } }
.st-key-present-screen [data-testid="stText"] {
  font-size: clamp(0.85rem, 2.2vh, 1.3rem); line-height: 1.35; white-space: pre-wrap; }
.st-key-present-screen .st-key-present-sentences [data-testid="stText"] {
  font-size: clamp(1rem, 2.7vh, 1.6rem); line-height: 1.45; }
.st-key-present-screen:has(.st-key-present-since) .st-key-present-sentences [data-testid="stText"],
.st-key-present-screen .st-key-present-since [data-testid="stText"] {
  font-size: clamp(0.9rem, 2.3vh, 1.4rem); line-height: 1.35; }
[data-testid="stMainBlockContainer"] :is(.st-key-present-sentences, .st-key-present-since) {
  gap: 0.6vh; }
.st-key-present-screen .st-key-present-since-heading [data-testid="stText"] {
  font-weight: 700; }
.st-key-present-screen .st-key-present-commentary [data-testid="stText"] {
  font-size: clamp(1rem, 3vh, 1.9rem); line-height: 1.45; }
.st-key-present-screen:has(.st-key-present-since) .st-key-present-chart :is(
  [data-testid="stVegaLiteChart"], canvas, svg) { max-height: 32vh; }
.st-key-present-source button { min-height: 0; padding-top: 0; padding-bottom: 0; }
.st-key-present-since p { font-size: clamp(0.9rem, 2.3vh, 1.4rem); line-height: 1.35; }
.st-key-present-since [data-testid="stMarkdownContainer"] p { margin-bottom: 0.6vh; }
.st-key-present-screen [data-testid="stMarkdownContainer"] p strong { font-size: inherit; }
.st-key-present-screen h3 { font-size: clamp(1.1rem, 3vh, 1.9rem); padding: 0; }
.st-key-present-source [data-testid="stText"] {
  font-size: clamp(1rem, 2.5vh, 1.5rem); font-weight: 700; }
[data-testid="stProgress"] p { font-size: clamp(1rem, 2.3vh, 1.4rem); }
.st-key-present-screen .st-key-present-caption [data-testid="stText"] {
  font-size: clamp(0.85rem, 2vh, 1.2rem); }
.st-key-present-screen [class*="st-key-present-due-"] h3 {
  font-size: clamp(1.3rem, 4vh, 2.4rem); margin-top: 2vh; margin-bottom: 1vh; }
.st-key-present-screen [class*="st-key-present-due-"] [data-testid="stText"] {
  font-size: clamp(1rem, 3.2vh, 1.9rem); line-height: 1.45; margin-bottom: 1vh; }
</style>"""

# Constant script, never data: a presenter's clicker sends Page Down and Page Up (some send
# the arrow keys, or space). Streamlit's own shortcut takes one key a button, so Next and
# Previous take the right and left arrows that way and this passes the others to them. Full
# screen must be asked for by the page itself, inside the click, so it is asked for here too.
MEETING_KEYS = """<script>
(() => {
  if (window.lgadataMeetingKeys) return;
  window.lgadataMeetingKeys = true;
  const NEXT = ["PageDown", "ArrowDown", " "], BACK = ["PageUp", "ArrowUp"];
  document.addEventListener("keydown", (event) => {
    if (event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    const which = NEXT.includes(event.key) ? "next" : BACK.includes(event.key) ? "back" : "";
    const button = which && document.querySelector(`.st-key-present-${which} button`);
    if (!button) return;
    const focused = document.activeElement;
    if (focused && focused.closest("input, textarea, select, [contenteditable='true']")) return;
    if (event.key === " " && focused && focused.closest("button, a, [role='button']")) return;
    event.preventDefault();
    button.click();
  });
  document.addEventListener("click", (event) => {
    if (!event.target.closest(".st-key-present-fullscreen button")) return;
    if (document.fullscreenElement) document.exitFullscreen();
    else document.documentElement.requestFullscreen().catch(() => {});
  });
})();
</script>"""
