"""The exercise library: built-in files load completely; broken files give precise messages."""

from __future__ import annotations

from pathlib import Path

import pytest

from legcoach.core.exercise import Breath, Difficulty
from legcoach.core.library import (
    ExerciseFileError,
    load_exercise_file,
    load_library,
)
from legcoach.paths import builtin_exercises_dir

BUILTIN_IDS = {"leg-press", "leg-press-45", "single-leg-press", "hip-thrust-machine"}

MINIMAL = '''\
schema = 1
id = "calf-press"
name = "Calf Press"
summary = "Calf raises on the leg press."
equipment = "Machine"
primary_muscles = ["Calves"]
difficulty = "beginner"
one_sided = false
cues = ["Big stretch", "Pause at the top", "Knees soft"]
safety = ["Keep the safety catches set."]

[movement]
starts_with = "eccentric"
eccentric = "Lower"
concentric = "Rise"
tempo = "2-1-1-1"
lead_in_cue = "Release the handles"
end_cue = "Lock the catches"

[breathing]
eccentric = "inhale"
bottom = "hold"
concentric = "exhale"
top = "breathe"
summary = "In on the stretch, out on the push."

[guidance]
rep_range = [12, 20]
load = "Start light."

[[setup]]
title = "Sit down"
text = "Back on the pad."

[[setup]]
title = "Feet"
text = "Balls of the feet on the lower edge."

[[execution]]
title = "Lower"
text = "Let the heels drop."

[[execution]]
title = "Press"
text = "Rise onto the toes."

[[execution]]
title = "Pause"
text = "Hold a second."

[[mistakes]]
name = "Bouncing"
why = "The tendon does the work."
fix = "Pause at the bottom."

[[mistakes]]
name = "Bent knees"
why = "Shifts work away from the calves."
fix = "Keep the knees nearly straight."
'''


def write(folder: Path, text: str, name: str = "calf-press.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, text: str, name: str = "calf-press.toml") -> str:
    with pytest.raises(ExerciseFileError) as caught:
        load_exercise_file(write(tmp_path, text, name))
    return str(caught.value)


# --- the built-in library ------------------------------------------------------------------


def test_every_builtin_exercise_loads() -> None:
    library = load_library(builtin_exercises_dir())
    assert set(library.exercises) == BUILTIN_IDS
    assert not library.problems


@pytest.mark.parametrize("exercise_id", sorted(BUILTIN_IDS))
def test_builtin_exercises_carry_everything_the_guides_give(exercise_id: str) -> None:
    exercise = load_library(builtin_exercises_dir())[exercise_id]
    assert len(exercise.setup) >= 2
    assert len(exercise.execution) >= 3
    assert len(exercise.mistakes) >= 3
    assert 3 <= len(exercise.cues) <= 8
    assert exercise.safety
    assert exercise.guidance.load
    low, high = exercise.guidance.rep_range
    assert 1 <= low <= high <= 30
    # every press pushes on the exhale; so does the hip thrust on the way up
    assert exercise.breathing.concentric is Breath.EXHALE


def test_builtin_facts_from_the_guides() -> None:
    library = load_library(builtin_exercises_dir())
    single = library["single-leg-press"]
    assert single.one_sided and single.movement.switch_cue
    assert single.difficulty is Difficulty.INTERMEDIATE
    assert single.guidance.relative_load == (0.4, 0.5)
    assert single.guidance.relative_to in library.exercises
    thrust = library["hip-thrust-machine"]
    assert thrust.video == "tztHvSLdXLA"
    assert thrust.movement.starts_with == "concentric"
    assert "Glutes" in thrust.primary_muscles
    assert library["leg-press-45"].guidance.rep_range == (8, 15)
    for exercise in library:
        if exercise.id != "hip-thrust-machine":
            assert exercise.variations, f"{exercise.id} should describe foot placements"
            assert exercise.movement.starts_with == "eccentric"


def test_no_seed_sentence_is_copied_into_the_library() -> None:
    """Facts carry over, sentences do not: no run of 8 words from a seed appears verbatim."""
    seeds = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("the seed guides are not beside this checkout")

    def shingles(text: str, size: int = 8) -> set[tuple[str, ...]]:
        words = [w.strip(".,:;!?()\"'*").lower() for w in text.split()]
        words = [w for w in words if w]
        return {tuple(words[i:i + size]) for i in range(len(words) - size + 1)}

    seed_shingles = set().union(*(shingles(p.read_text()) for p in seeds.glob("*.txt")))
    for path in builtin_exercises_dir().glob("*.toml"):
        copied = shingles(path.read_text(encoding="utf-8")) & seed_shingles
        assert not copied, f"{path.name} copies seed text: {' '.join(sorted(copied)[0])}"


# --- filtering ------------------------------------------------------------------------------


def test_filter_by_muscle_and_equipment() -> None:
    library = load_library(builtin_exercises_dir())
    glute_work = {e.id for e in library.filter(muscle="Glutes")}
    assert {"hip-thrust-machine", "single-leg-press"} <= glute_work
    assert {e.id for e in library.filter(equipment="Machine")} == BUILTIN_IDS
    assert library.filter(equipment="Barbell") == []
    assert "Quadriceps" in library.muscles()


# --- user files -----------------------------------------------------------------------------


def test_a_valid_user_file_adds_an_exercise(tmp_path: Path) -> None:
    write(tmp_path / "user", MINIMAL)
    library = load_library(builtin_exercises_dir(), tmp_path / "user")
    calf = library["calf-press"]
    assert not calf.builtin
    assert calf.movement.tempo == "2-1-1-1"
    assert not library.problems


def test_a_broken_user_file_is_skipped_and_reported(tmp_path: Path) -> None:
    write(tmp_path / "user", MINIMAL.replace('name = "Calf Press"\n', ""))
    library = load_library(builtin_exercises_dir(), tmp_path / "user")
    assert "calf-press" not in library.exercises
    assert len(library) == len(BUILTIN_IDS)
    assert [str(p) for p in library.problems] == [
        "calf-press.toml: name: is required but missing"
    ]


def test_a_broken_builtin_file_stops_loading(tmp_path: Path) -> None:
    write(tmp_path / "builtin", MINIMAL.replace("schema = 1", "schema = 2"))
    with pytest.raises(ExerciseFileError, match="schema"):
        load_library(tmp_path / "builtin")


# --- schema errors, message checked ---------------------------------------------------------


def test_minimal_file_is_valid(tmp_path: Path) -> None:
    exercise = load_exercise_file(write(tmp_path, MINIMAL))
    assert exercise.name == "Calf Press"
    assert exercise.secondary_muscles == ()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('cues = ["Big stretch", "Pause at the top", "Knees soft"]\n', ""),
         "calf-press.toml: cues: is required but missing"),
        (("one_sided = false", 'one_sided = "no"'),
         "calf-press.toml: one_sided: must be true or false, not text"),
        (('name = "Calf Press"', "name = 3"), "calf-press.toml: name: must be text, not a number"),
        (('difficulty = "beginner"', 'difficulty = "easy"'),
         "calf-press.toml: difficulty: must be one of beginner, intermediate, advanced; "
         "got 'easy'"),
        (('equipment = "Machine"', 'equipment = "Machine"\ncolour = "red"'),
         "calf-press.toml: colour: is not a known field (see SCHEMA.md); check the spelling"),
        (('tempo = "2-1-1-1"', 'tempo = "2-1-1"'), "calf-press.toml: movement.tempo: "),
        (('rep_range = [12, 20]', 'rep_range = [20, 12]'),
         "calf-press.toml: guidance.rep_range: must be two values from 1 to 100, the smaller "
         "first; got [20, 12]"),
        (('rep_range = [12, 20]', 'rep_range = "12-20"'),
         "calf-press.toml: guidance.rep_range: must be a pair of whole numbers, like [8, 15]"),
        (('title = "Feet"', 'title = "Feet"\nimage = "x.png"'),
         "calf-press.toml: setup[1].image: is not a known field"),
        (('fix = "Pause at the bottom."', ""), "calf-press.toml: mistakes[0].fix: is required"),
        (('id = "calf-press"', 'id = "calf-raise"'),
         "calf-press.toml: id: is 'calf-raise' but the file is named 'calf-press.toml'"),
        (('bottom = "hold"', 'bottom = "gasp"'),
         "calf-press.toml: breathing.bottom: must be one of inhale, exhale, hold, breathe"),
        (('summary = "Calf raises on the leg press."', 'summary = ""'),
         "calf-press.toml: summary: must not be empty"),
        (('"Big stretch"', '"' + "x" * 40 + '"'),
         "calf-press.toml: cues[0]: is 40 characters; the limit is 32"),
        (("[breathing]", "[breath]"), "calf-press.toml: breathing: is required but missing"),
    ],
)
def test_schema_errors_name_file_field_and_problem(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in MINIMAL
    assert error_for(tmp_path, MINIMAL.replace(old, new, 1)).startswith(expected)


def test_one_sided_exercise_needs_a_switch_cue(tmp_path: Path) -> None:
    text = MINIMAL.replace("one_sided = false", "one_sided = true")
    assert error_for(tmp_path, text) == (
        "calf-press.toml: movement.switch_cue: is required but missing"
    )


def test_empty_file(tmp_path: Path) -> None:
    assert error_for(tmp_path, "  \n") == "calf-press.toml: is empty"


def test_invalid_toml(tmp_path: Path) -> None:
    message = error_for(tmp_path, 'schema = 1\nname = "unterminated\n')
    assert message.startswith("calf-press.toml: is not valid TOML (")
    assert "line 2" in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "calf-press.toml"
    path.write_bytes(b'name = "\xff\xfe"')
    with pytest.raises(ExerciseFileError, match="is not UTF-8 text"):
        load_exercise_file(path)


def test_relative_load_must_point_at_a_known_exercise(tmp_path: Path) -> None:
    extra = '\nrelative_to = "nope"\nrelative_load = [0.4, 0.5]'
    text = MINIMAL.replace('load = "Start light."', 'load = "Start light."' + extra)
    write(tmp_path / "user", text)
    library = load_library(builtin_exercises_dir(), tmp_path / "user")
    assert "calf-press" not in library.exercises
    assert "names 'nope', which is not in the library" in str(library.problems[0])
