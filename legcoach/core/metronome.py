"""The visual metronome: where the marker sits (0 = bottom, 1 = top) at any moment of a set.

It mirrors the load: it sinks while lowering, rests low at the bottom pause, rises on the
push and rests high at the top, so a lifter can follow the rhythm from the corner of an eye.
"""

from __future__ import annotations

from legcoach.core.setplan import PhaseKind
from legcoach.core.setrun import SetState


def _ease(progress: float) -> float:
    """Smoothstep: the marker starts and stops gently, like a controlled rep."""
    p = min(max(progress, 0.0), 1.0)
    return p * p * (3 - 2 * p)


def marker_height(state: SetState, starts_with: str) -> float:
    """Marker height in 0..1 for a snapshot of the running set."""
    kind = state.kind
    if kind is PhaseKind.ECCENTRIC:
        return 1.0 - _ease(state.progress)
    if kind is PhaseKind.CONCENTRIC:
        return _ease(state.progress)
    if kind is PhaseKind.BOTTOM:
        return 0.0
    if kind is PhaseKind.TOP:
        return 1.0
    # countdown, switch, done: wait where the rep starts (top for a press, bottom for a thrust)
    return 1.0 if starts_with == "eccentric" else 0.0
