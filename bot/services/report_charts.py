"""Draw the small inline-SVG charts of the needs report (no JavaScript, no network)."""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

#: Bar colours, darkest first: the report's palette.
PALETTE = ("#1f4e79", "#2e75b6", "#5b9bd5", "#9dc3e6", "#c9def0")
PRIORITY_COLOURS = {"High": "#c0392b", "Medium": "#e67e22", "Low": "#7f8c8d"}


def bar_chart(
    items: Sequence[tuple[str, float]],
    *,
    width: int = 560,
    label_width: int = 230,
    bar_height: int = 22,
    colour: str = PALETTE[1],
    colours: dict[str, str] | None = None,
    maximum: float | None = None,
    percent: bool = False,
    notes: Sequence[str] = (),
    caption: str = "",
) -> Markup:
    """Return a horizontal bar chart as an inline SVG element.

    ``percent`` treats values as shares (0..1) and prints them as percentages;
    ``notes`` adds a short text after each value, e.g. "3 of 4".
    """
    if not items:
        return Markup('<p class="empty">No data yet.</p>')
    gap = 8
    top = max((value for _, value in items), default=0)
    scale_max = maximum if maximum is not None else (top or 1)
    plot = width - label_width - (110 if notes else 60)
    height = len(items) * (bar_height + gap) + gap
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(caption)}</title>" if caption else "",
    ]
    for index, (label, value) in enumerate(items):
        y = gap + index * (bar_height + gap)
        length = 0 if scale_max == 0 else max(0.0, value) / scale_max * plot
        fill = (colours or {}).get(label, colour)
        shown = f"{value:.0%}" if percent else f"{value:g}"
        if index < len(notes) and notes[index]:
            shown = f"{shown} ({notes[index]})"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.1f}" text-anchor="end" '
            f'class="label">{escape(_shorten(label, 38))}</text>'
            f'<rect x="{label_width}" y="{y}" width="{plot}" height="{bar_height}" '
            f'class="track"/>'
            f'<rect x="{label_width}" y="{y}" width="{length:.1f}" height="{bar_height}" '
            f'rx="3" fill="{fill}"/>'
            f'<text x="{label_width + length + 6:.1f}" y="{y + bar_height * 0.7:.1f}" '
            f'class="value">{shown}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def heat_colour(value: int, maximum: int) -> str:
    """Return the background of a heat-map cell: white for 0, deep blue for the maximum."""
    if value <= 0 or maximum <= 0:
        return "#ffffff"
    share = value / maximum
    # Interpolate from a pale blue to the darkest palette colour.
    low, high = (0xE8, 0xF1, 0xFA), (0x1F, 0x4E, 0x79)
    channels = [round(lo + (hi - lo) * share) for lo, hi in zip(low, high, strict=True)]
    return "#" + "".join(f"{c:02x}" for c in channels)


def heat_text(value: int, maximum: int) -> str:
    """Return a text colour readable on :func:`heat_colour`."""
    return "#ffffff" if maximum and value / maximum > 0.55 else "#1b2733"
