"""Which tone (and which spoken word) goes with each cue of the schedule.

Kept apart from the player so the mapping is one small table a test can read.
"""

from __future__ import annotations

from legcoach.core.setplan import Cue, CueKind, PhaseKind
from legcoach.ui.sound import Tone

_PHASE_TONES = {
    PhaseKind.ECCENTRIC: Tone.LOWER,
    PhaseKind.CONCENTRIC: Tone.PUSH,
    PhaseKind.BOTTOM: Tone.HOLD,
    PhaseKind.TOP: Tone.HOLD,
}
_KIND_TONES = {
    CueKind.COUNTDOWN_TICK: Tone.TICK,
    CueKind.GO: Tone.GO,
    CueKind.SWITCH: Tone.SWITCH,
    CueKind.SET_END: Tone.SET_END,
}
_SPOKEN_PHASES = {PhaseKind.ECCENTRIC: "down", PhaseKind.CONCENTRIC: "push"}


def tone_for(cue: Cue) -> Tone | None:
    """The tone for a cue; LAST_REP shares its moment with a phase cue, so it has none."""
    if cue.kind is CueKind.PHASE and cue.phase is not None:
        return _PHASE_TONES.get(cue.phase)
    return _KIND_TONES.get(cue.kind)


def words_for(cue: Cue, concentric_word: str = "push") -> str | None:
    """A short spoken line for the optional voice, or None to stay quiet for this cue."""
    if cue.kind is CueKind.PHASE and cue.phase in _SPOKEN_PHASES:
        if cue.phase is PhaseKind.CONCENTRIC:
            return concentric_word.lower()
        return _SPOKEN_PHASES[cue.phase]
    return {
        CueKind.LAST_REP: "last rep",
        CueKind.SWITCH: "switch legs",
        CueKind.SET_END: "set done",
        CueKind.GO: "go",
    }.get(cue.kind)
