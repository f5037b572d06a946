"""Command-line options; parsing is separate from running so it is testable without Qt."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from legcoach import __version__
from legcoach.paths import default_data_dir

VIEWS = ("library", "detail", "guided", "set", "train", "history", "progress", "log-form", "rest",
         "summary", "settings", "import", "recovery", "second-instance")


LOOKS = ("dark", "light", "high_contrast")
"""The looks legcoach.ui.themes offers (kept here so parsing needs no Qt)."""


@dataclass(frozen=True)
class Options:
    data_dir: Path
    screenshot: Path | None
    view: str
    exercise: str | None
    size: tuple[int, int]
    sound: bool = True
    at: float = 7.5
    demo: bool = False
    exit_when_shown: bool = False
    look: str | None = None


def _size(text: str) -> tuple[int, int]:
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"size must look like 1280x800, not {text!r}") from None
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError(f"size {text} is outside 320x240 … 7680x4320")
    return width, height


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="legcoach",
        description="Gym-session timer and coach: guided steps, tempo pacing, set log, progress.",
    )
    parser.add_argument("--version", action="version", version=f"legcoach {__version__}")
    parser.add_argument(
        "--data-dir", type=Path, default=None, metavar="DIR",
        help="folder for your log, settings and own exercises "
        "(default: $LEGCOACH_DATA_DIR or the platform's user data folder)",
    )
    parser.add_argument(
        "--screenshot", type=Path, default=None, metavar="PATH",
        help="render a view offscreen to a PNG and exit (works with QT_QPA_PLATFORM=offscreen)",
    )
    parser.add_argument(
        "--view", choices=VIEWS, default="library", help="which view --screenshot renders",
    )
    parser.add_argument(
        "--exercise", default=None, metavar="ID",
        help="exercise shown by the detail and guided views (default: the first in the library)",
    )
    parser.add_argument(
        "--size", type=_size, default=(1280, 800), metavar="WxH",
        help="window size for --screenshot (default 1280x800)",
    )
    parser.add_argument(
        "--at", type=float, default=7.5, metavar="SECONDS",
        help="for --view set: the moment of the set to render, in seconds from its start; "
        "for --view rest: seconds into the rest",
    )
    parser.add_argument(
        "--demo", action="store_true",
        help="try the app on a generated training history kept in memory (your data is not "
        "touched)",
    )
    parser.add_argument(
        "--exit-when-shown", action="store_true", help=argparse.SUPPRESS,
    )  # for start-up benchmarks: quit as soon as the first window is on screen
    parser.add_argument(
        "--no-sound", action="store_true", help="silent cues (the screen still shows them)",
    )
    parser.add_argument(
        "--look", choices=LOOKS, default=None,
        help="colours for --screenshot and --demo (the app itself uses your setting)",
    )
    return parser


def parse_args(argv: Sequence[str] | None = None) -> Options:
    args = build_parser().parse_args(argv)
    return Options(
        data_dir=(args.data_dir or default_data_dir()).expanduser(),
        screenshot=args.screenshot,
        view=args.view,
        exercise=args.exercise,
        size=args.size,
        sound=not args.no_sound,
        at=args.at,
        demo=args.demo,
        exit_when_shown=args.exit_when_shown,
        look=args.look,
    )
