"""Generate legcoach's icon as assets/icon.svg (run: ``python assets/make_icon.py``).

This script is the source of truth: the SVG is committed next to it, and a test regenerates it
and compares the bytes, so the two can't drift. Rerun it after changing the design and commit
both. The output is deterministic (no dates, fixed number formatting).

Design: a 45° leg press seen from the side, reduced to what reads at 16 px. The sled's rail is
a bold amber arrow rising to the upper right (the machine's line of travel, and progress), a
weight plate sits on it, and the foot platform crosses its lower end. Amber (the app's accent)
on the app's dark background, in a rounded square; no text, no thin lines.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

SIZE = 256
BACKGROUND = "#14171b"  # legcoach.ui.theme.BACKGROUND (assets/ must not import the package)
ACCENT = "#ffb020"  # legcoach.ui.theme.ACCENT
RIM = "#2a313a"  # legcoach.ui.theme.SURFACE_HIGH: the edge of the tile on a dark panel
DEFAULT_OUT = Path(__file__).resolve().parent / "icon.svg"

# Geometry on a 256 grid. The rail runs at 45° from its foot (lower left) to the arrow's tip.
FOOT = (77.0, 179.0)  # where the rail starts, behind the platform
TIP = (212.0, 44.0)  # the arrow's point
SHAFT = 30.0  # rail thickness
HEAD_LENGTH = 74.0
HEAD_HALF_WIDTH = 50.0
PLATE_AT = 0.36  # the plate's centre, as a fraction of the way from FOOT to TIP
PLATE_RADIUS = 38.0
PLATE_RING = 15.0
HUB_RADIUS = 9.0
PLATFORM_HALF = 40.0  # half the platform's length, across the rail
PLATFORM_THICK = 20.0


def _num(value: float) -> str:
    """Short, stable numbers: 12.0 → "12", 12.345 → "12.3"."""
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _point(x: float, y: float) -> str:
    return f"{_num(x)},{_num(y)}"


def render() -> str:
    """The SVG text."""
    dx, dy = TIP[0] - FOOT[0], TIP[1] - FOOT[1]
    length = math.hypot(dx, dy)
    along = (dx / length, dy / length)  # unit vector up the rail
    across = (-along[1], along[0])  # unit vector across it

    def at(distance: float, side: float = 0.0) -> tuple[float, float]:
        return (FOOT[0] + along[0] * distance + across[0] * side,
                FOOT[1] + along[1] * distance + across[1] * side)

    head_base = length - HEAD_LENGTH
    arrow = " ".join(_point(*p) for p in (
        at(0, -SHAFT / 2), at(head_base, -SHAFT / 2), at(head_base, -HEAD_HALF_WIDTH),
        TIP, at(head_base, HEAD_HALF_WIDTH), at(head_base, SHAFT / 2), at(0, SHAFT / 2)))
    plate = at(length * PLATE_AT)
    platform = (at(-PLATFORM_THICK / 2, -PLATFORM_HALF), at(-PLATFORM_THICK / 2, PLATFORM_HALF))
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{SIZE}" height="{SIZE}" '
        f'viewBox="0 0 {SIZE} {SIZE}">',
        "  <title>legcoach</title>",
        f'  <rect x="4" y="4" width="{SIZE - 8}" height="{SIZE - 8}" rx="56" '
        f'fill="{BACKGROUND}" stroke="{RIM}" stroke-width="4"/>',
        f'  <polygon points="{arrow}" fill="{ACCENT}" stroke="{ACCENT}" stroke-width="6" '
        'stroke-linejoin="round"/>',
        f'  <line x1="{_num(platform[0][0])}" y1="{_num(platform[0][1])}" '
        f'x2="{_num(platform[1][0])}" y2="{_num(platform[1][1])}" stroke="{ACCENT}" '
        f'stroke-width="{_num(PLATFORM_THICK)}" stroke-linecap="round"/>',
        f'  <circle cx="{_num(plate[0])}" cy="{_num(plate[1])}" '
        f'r="{_num(PLATE_RADIUS - PLATE_RING / 2)}" fill="{BACKGROUND}" stroke="{ACCENT}" '
        f'stroke-width="{_num(PLATE_RING)}"/>',
        f'  <circle cx="{_num(plate[0])}" cy="{_num(plate[1])}" r="{_num(HUB_RADIUS)}" '
        f'fill="{ACCENT}"/>',
        "</svg>",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate legcoach's icon as SVG.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output file")
    args = parser.parse_args(argv)
    args.out.write_bytes(render().encode("utf-8"))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
