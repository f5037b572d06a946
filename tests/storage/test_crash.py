"""The kill test in the suite: SIGKILLed writers lose nothing they acknowledged.

Runs benchmarks/crash_test.py (its module doc says what is checked and why) with 100 kills
instead of 1,000 and a shorter longest kill delay, so the run takes seconds. The same run's
control, the in-place writer, must show unreadable files: otherwise the checks prove nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "crash_test.py"
LAST_LINE = re.compile(
    r"crash_test: kills=(?P<kills>\d+) unreadable=(?P<unreadable>\d+) lost=(?P<lost>\d+) "
    r"duplicates=(?P<duplicates>\d+) stale_tmp=(?P<stale_tmp>\d+) "
    r"control_unreadable=(?P<control_unreadable>\d+)"
)


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the kill test forks its writers (POSIX)")
def test_killed_writers_lose_nothing_and_the_control_shows_damage(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--kills", "100", "--control-kills", "30",
         "--max-delay-ms", "60", "--seed", "7"],
        capture_output=True, text=True, timeout=120, check=False,
        env=os.environ | {"TMPDIR": str(tmp_path)},  # the data folders go in the test's tmp
    )
    report = done.stdout + done.stderr
    found = LAST_LINE.fullmatch(done.stdout.strip().splitlines()[-1] if done.stdout else "")
    assert found is not None, report
    figures = {name: int(value) for name, value in found.groupdict().items()}
    control = figures.pop("control_unreadable")
    assert figures == {"kills": 100, "unreadable": 0, "lost": 0, "duplicates": 0,
                       "stale_tmp": 0}, report
    assert control > 0, report
    assert done.returncode == 0, report
    assert list(tmp_path.iterdir()) == []  # the run cleans up after itself
