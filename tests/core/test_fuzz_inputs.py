"""What a lifter can type, fuzzed: the set form, tempos, the routine item form, routine names
and setting values.

Three properties for every input: nothing but the module's own error type escapes; an invalid
value is refused with a message keyed by the field it belongs to; a valid value comes back
exactly, through to_dict/from_dict and the real JSON serialiser. Each parser is checked against
a small independent model of its rules, so "refused" and "accepted" are both pinned down.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from legcoach.core.exercise import FootHeight, FootWidth
from legcoach.core.library import ExerciseLibrary, load_library
from legcoach.core.routine import (
    ITEM_FORM_FIELDS,
    MAX_NAME_CHARS,
    RoutineBook,
    RoutineError,
    RoutineItem,
    item_form_text,
    parse_item_form,
)
from legcoach.core.setlog import (
    FORM_FIELDS,
    LoadUnit,
    SetFormError,
    SetRecord,
    SetType,
    parse_set_form,
)
from legcoach.core.settings import (
    COUNTDOWN,
    DECLARATIONS,
    GYM_NAME,
    REST,
    Kind,
    Setting,
    SettingError,
    Settings,
)
from legcoach.core.sides import Side
from legcoach.core.tempo import PHASES, Tempo, TempoError, parse_tempo
from legcoach.paths import builtin_exercises_dir
from legcoach.storage.atomic import dumps_json

R = TypeVar("R")
E = TypeVar("E", bound=Exception)
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
EXAMPLES_500 = settings(max_examples=500, deadline=None,
                        suppress_health_check=[HealthCheck.too_slow])


def fuzz(test: Callable[..., None]) -> Callable[..., None]:
    """500 examples, marked slow so a quick run can leave them out (-m "not slow")."""
    return pytest.mark.slow(EXAMPLES_500(test))


# --- text a lifter (or a cat on the keyboard) can type -----------------------------------------

ASCII_SPACE = " \t\n\r\x0b\x0c"
pads = st.text(st.sampled_from(" \t\u00a0\u3000\n"), max_size=2)
surrogates = st.sampled_from(["\ud800", "\udfff", "\udc80x", "a\ud83d"])
controls = st.text(st.characters(categories=["Cc"]), min_size=1, max_size=4)
any_text = st.one_of(
    st.text(max_size=40),  # any Unicode without surrogates
    st.text(st.characters(codec="ascii"), max_size=12),
    controls,
    st.tuples(st.text(max_size=5), surrogates, st.text(max_size=5)).map("".join),
)


def attempt(errors: type[E] | tuple[type[E], ...], call: Callable[[], R]
            ) -> tuple[R | None, E | None]:
    """(result, None) or (None, the error): only `errors` may come out; anything else fails."""
    try:
        return call(), None
    except errors as error:
        return None, error


def long_text(low: int, high: int) -> st.SearchStrategy[str]:
    """Text of `low` to `high` characters, cheaply: a short random piece repeated (drawing a
    thousand characters one by one would cost more than the example)."""
    return st.builds(lambda piece, size: (piece * size)[:size],
                     st.text(min_size=1, max_size=3), st.integers(low, high))


def padded(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """`inner` with white space around it, which every form ignores."""
    return st.tuples(pads, inner, pads).map("".join)


def near_numbers(max_digits: int = 8) -> st.SearchStrategy[str]:
    """Text shaped almost like a number: the cases a typo produces."""
    return st.text(st.sampled_from("0123456789.,-+e ٣x"), max_size=max_digits)


DIGITS = st.sampled_from("0123456789")


def decimal_text(whole: int, frac: int) -> st.SearchStrategy[str]:
    """A plain decimal with up to `whole` integer and `frac` fraction digits, "." or ","."""
    return st.builds(
        lambda w, f, sep: w + (sep + f if sep else ""),
        st.text(DIGITS, min_size=1, max_size=whole),
        st.text(DIGITS, max_size=frac),
        st.sampled_from(["", ".", ","]),
    ) | st.builds(lambda sep, f: sep + f, st.sampled_from(".,"),
                  st.text(DIGITS, min_size=1, max_size=frac))


# --- the set form: a model of its rules --------------------------------------------------------

UNIT_WORDS = {"kg": LoadUnit.KG, "lb": LoadUnit.LB, "kgs": LoadUnit.KG, "kilo": LoadUnit.KG,
              "kilos": LoadUnit.KG, "lbs": LoadUnit.LB, "pound": LoadUnit.LB,
              "pounds": LoadUnit.LB}
KG_PER = {LoadUnit.KG: Decimal(1), LoadUnit.LB: Decimal("0.45359237")}


def plain_decimal(text: str, whole_digits: int, frac_digits: int) -> Decimal | None:
    """The value of "12", "12.5", "12,5", ".5", "12." (ASCII digits only), else None."""
    separators = [c for c in text if c in ".,"]
    if len(separators) > 1:
        return None
    whole, _, frac = text.replace(",", ".").partition(".")
    digits = set("0123456789")
    if not set(whole) <= digits or not set(frac) <= digits:
        return None
    if not whole and not frac:
        return None
    if len(whole) > whole_digits or len(frac) > frac_digits:
        return None
    return Decimal(f"{whole or '0'}.{frac or '0'}")


def plain_int(text: str) -> int | None:
    ok = 1 <= len(text) <= 4 and set(text) <= set("0123456789")
    return int(text) if ok else None


def choice(text: str, values: list[str]) -> str | None:
    return text.lower() if text.lower() in values else None


def model_set_form(fields: dict[str, str], default_unit: LoadUnit
                   ) -> tuple[set[str], dict[str, Any]]:
    """(the fields the form must refuse, the record's values if it refuses none)."""
    t = {key: value.strip() for key, value in fields.items()}
    bad: set[str] = set()
    out: dict[str, Any] = {"note": t.get("note", ""), "side": Side.BOTH,
                           "set_type": SetType.WORKING, "foot_height": None,
                           "foot_width": None, "tempo": None, "tut_seconds": None,
                           "rpe": None, "rir": None}
    unit: LoadUnit | None = default_unit
    if t.get("unit"):
        unit = UNIT_WORDS.get(t["unit"].lower())
        if unit is None:
            bad.add("unit")
    out["unit"] = unit
    load = plain_decimal(t.get("load", ""), 30, 6)
    if load is None or (unit is not None and load * KG_PER[unit] > 1000):
        bad.add("load")
    else:
        out["load"] = load
    reps = plain_int(t.get("reps", ""))
    if reps is None or reps > 100:
        bad.add("reps")
    out["reps"] = reps
    for key, enum in (("side", Side), ("set_type", SetType), ("foot_height", FootHeight),
                      ("foot_width", FootWidth)):
        if t.get(key):
            value = choice(t[key], [member.value for member in enum])
            if value is None:
                bad.add(key)
            else:
                out[key] = enum(value)
    if t.get("tempo"):
        try:
            out["tempo"] = str(parse_tempo(t["tempo"]))
        except TempoError:
            bad.add("tempo")
    if t.get("tut_seconds"):
        tut = plain_decimal(t["tut_seconds"], 6, 6)
        if tut is None or tut > 3600:
            bad.add("tut_seconds")
        else:
            out["tut_seconds"] = float(tut)
    if t.get("rpe"):
        rpe = plain_decimal(t["rpe"], 6, 6)
        if rpe is None or not 1 <= rpe <= 10 or (rpe * 2) % 1:
            bad.add("rpe")
        else:
            out["rpe"] = float(rpe)
    if t.get("rir"):
        rir = plain_int(t["rir"])
        if rir is None or rir > 10:
            bad.add("rir")
        else:
            out["rir"] = rir
    if t.get("rpe") and t.get("rir"):
        bad |= {"rpe", "rir"}
    note = out["note"]
    if len(note) > 1000 or any(0xD800 <= ord(c) <= 0xDFFF for c in note):
        bad.add("note")
    return bad, out


def stored_again(record: SetRecord) -> SetRecord:
    """Through the real serialiser (UTF-8 bytes, no NaN) and back."""
    return SetRecord.from_dict(json.loads(dumps_json(record.to_dict())))


good_field_text = {
    "load": decimal_text(4, 6),
    "unit": st.sampled_from(["", "kg", "KG", "lb", "Lbs", "pounds", "kilo"]),
    "reps": st.integers(0, 100).map(str),
    "side": st.sampled_from(["", "both", "LEFT", "Right"]),
    "foot_height": st.sampled_from(["", "low", "Middle", "HIGH"]),
    "foot_width": st.sampled_from(["", "narrow", "shoulder", "Wide"]),
    "tempo": st.sampled_from(["", "3-1-2-0", "x - 0 - X - 0", "2.50-0-1-0.25"]),
    "tut_seconds": st.just("") | decimal_text(4, 2),
    "rpe": st.just("") | st.integers(2, 20).map(lambda n: f"{n / 2:g}").map(
        lambda s: s.replace(".", ",") if len(s) > 2 else s),
    "rir": st.just("") | st.integers(0, 10).map(str),
    "set_type": st.sampled_from(["", "warmup", "Working", "DROP", "failure"]),
    "note": st.text(max_size=60) | long_text(995, 1005) | controls,
}
bad_field_text = {
    "load": near_numbers(12) | st.sampled_from(["1001", "2205", "1e3", "nan", "-5", "١٠٠",
                                                "0." + "0" * 7, "9" * 31]),
    "reps": near_numbers(5) | st.sampled_from(["101", "10000", "-1", "1.0", "٣"]),
    "rpe": near_numbers(6) | st.sampled_from(["0.5", "10.5", "8.25", "11", "9.9999999"]),
    "rir": near_numbers(4) | st.sampled_from(["11", "-1", "2.5"]),
    "tut_seconds": near_numbers(8) | st.sampled_from(["3600.5", "1e9", "inf"]),
}


FIELD_TEXT = {key: padded(st.one_of(good_field_text[key], any_text,
                                    *([bad_field_text[key]] if key in bad_field_text else [])))
              for key in FORM_FIELDS}
"""Per field: good, a near miss or anything at all (built once: strategies cost to build)."""


@st.composite
def set_forms(draw: st.DrawFn) -> dict[str, str]:
    """Any subset of the form's fields (load and reps always: the form needs them)."""
    return {key: draw(FIELD_TEXT[key]) for key in FORM_FIELDS
            if key in ("load", "reps") or draw(st.booleans())}


@fuzz
@given(fields=set_forms(), default_unit=st.sampled_from(LoadUnit))
@example(fields={"load": "100,5", "reps": "10", "note": "a\ud800"}, default_unit=LoadUnit.KG)
@example(fields={"load": "\u212ag", "reps": "1"}, default_unit=LoadUnit.KG)
@example(fields={"load": "1000", "reps": "1", "unit": "\u212ag"}, default_unit=LoadUnit.LB)
@example(fields={"load": "2204.6", "reps": "1", "unit": "lb"}, default_unit=LoadUnit.KG)
def test_the_set_form_refuses_exactly_what_its_rules_refuse(
    fields: dict[str, str], default_unit: LoadUnit
) -> None:
    bad, expected = model_set_form(fields, default_unit)
    record, error = attempt(SetFormError, lambda: parse_set_form(
        fields, exercise_id="leg-press", session_id="s1", now=NOW, default_unit=default_unit))
    if error is not None:
        assert set(error.errors) == bad, (error.errors, bad)
        assert all(isinstance(m, str) and m.strip() for m in error.errors.values())
        return
    assert not bad, f"accepted, but the model refuses {bad}"
    assert Decimal(record.entered_load) == expected["load"]
    assert re.fullmatch(r"[0-9]+(\.[0-9]+)?", record.entered_load)
    assert record.load_kg == float((expected["load"] * KG_PER[record.unit]).quantize(
        Decimal("0.000001")))
    for key in ("unit", "reps", "side", "set_type", "foot_height", "foot_width", "tempo",
                "tut_seconds", "rpe", "rir", "note"):
        assert getattr(record, key) == expected[key], key
    assert stored_again(record) == record
    assert stored_again(record).to_dict() == record.to_dict()


json_scalars = (st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8)
                | st.sampled_from([10**400, -(10**400)]))


@fuzz
@given(st.dictionaries(st.sampled_from(FORM_FIELDS) | st.text(max_size=6),
                       json_scalars | any_text, max_size=8))
def test_any_mapping_given_to_the_set_form_only_raises_set_form_error(
    fields: dict[str, Any]
) -> None:
    record, error = attempt(SetFormError, lambda: parse_set_form(
        fields, exercise_id="leg-press", session_id=None, now=NOW, default_unit=LoadUnit.LB))
    if error is not None:
        assert error.errors and all(isinstance(m, str) and m for m in error.errors.values())
        assert set(error.errors) <= set(FORM_FIELDS) | set(fields)
        for key in set(fields) - set(FORM_FIELDS):
            assert error.errors[key] == "Unknown field."
    else:
        assert set(fields) <= set(FORM_FIELDS)
        assert stored_again(record) == record


# --- tempo strings ----------------------------------------------------------------------------

cents = st.integers(1, 2000)
X_CASES = st.sampled_from(["x", "X"])
TEMPO_PADS = st.text(st.sampled_from(" \t"), max_size=2)
pause_cents = st.integers(0, 2000)


def phase_text(value: int | None) -> str:
    """Hundredths of a second as the canonical tempo writes them: 300 → "3", 250 → "2.5"."""
    return "X" if value is None else f"{(Decimal(value) / 100).normalize():f}"


@fuzz
@given(ecc=st.none() | cents, bottom=pause_cents, con=st.none() | cents, top=pause_cents,
       sloppy=st.data())
def test_valid_tempos_parse_to_their_values_and_print_back_exactly(
    ecc: int | None, bottom: int, con: int | None, top: int, sloppy: st.DataObject
) -> None:
    values = [ecc, bottom, con, top]
    parts = []
    for value in values:
        text = phase_text(value)
        if value is None:
            text = sloppy.draw(X_CASES)
        elif sloppy.draw(st.booleans()):
            text = f"{Decimal(value) / 100:.2f}"  # "3.00": trailing zeros are fine
        parts.append(sloppy.draw(TEMPO_PADS) + text + sloppy.draw(TEMPO_PADS))
    tempo = parse_tempo(sloppy.draw(pads) + "-".join(parts) + sloppy.draw(pads))
    for phase, value in zip(PHASES, values, strict=True):
        assert tempo.value(phase) == (None if value is None else value / 100)
    canonical = tempo.format()
    assert canonical == "-".join(phase_text(v) for v in values)
    assert parse_tempo(canonical) == tempo and parse_tempo(canonical).format() == canonical


tempo_junk = st.one_of(
    any_text,
    st.text(st.sampled_from("0123456789.-xX /:–eE+ \t"), max_size=20),
    st.lists(st.sampled_from(["0", "1", "2.5", "3.125", "21", "X", "x", "", " ", "-1", "1e1",
                              "٣", "20.00", "20.01", "0.001", "nan"]),
             min_size=1, max_size=6).map("-".join),
)


@fuzz
@given(tempo_junk)
@example("0-0-0-0")
@example("X-X-X-X")
@example("99999999999999999999999999-0-1-0")
def test_any_tempo_text_is_a_tempo_or_says_what_is_wrong(text: str) -> None:
    tempo, error = attempt(TempoError, lambda: parse_tempo(text))
    if error is not None:
        assert str(error).strip()
        return
    canonical = tempo.format()
    assert parse_tempo(canonical) == tempo and str(parse_tempo(canonical)) == canonical
    assert all(tempo.seconds(phase) <= 20 for phase in PHASES)


tempo_values = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 30), st.floats(allow_nan=True),
    st.decimals(allow_nan=True), st.text(max_size=4),
    st.sampled_from([10**400, -(10**400), Decimal("sNaN"), Decimal("1e999999"), 2**63, [1]]),
)


@fuzz
@given(st.tuples(tempo_values, tempo_values, tempo_values, tempo_values))
@example((10**400, 0, 1, 0))
@example((Decimal("sNaN"), 0, 1, 0))
@example((5.210221473955414e-58, 0, None, 0))  # rounds to a 0 s lowering phase
def test_tempo_values_are_checked_with_tempo_errors_only(values: tuple[Any, ...]) -> None:
    tempo, error = attempt(TempoError, lambda: Tempo(*values))
    if error is not None:
        assert str(error).strip()
        return
    assert parse_tempo(tempo.format()) == tempo


# --- the routine item form --------------------------------------------------------------------


def model_rest(text: str) -> int | None:
    t = text.strip()
    if t.endswith("s"):
        t = t[:-1].rstrip(ASCII_SPACE)
    minutes, colon, seconds = t.partition(":")
    digits = set("0123456789")
    if colon:
        ok = (1 <= len(minutes) <= 2 and set(minutes) <= digits and len(seconds) == 2
              and set(seconds) <= digits and seconds[0] in "012345")
        return int(minutes) * 60 + int(seconds) if ok else None
    return int(t) if 1 <= len(t) <= 4 and set(t) <= digits else None


def model_item_form(fields: dict[str, str]) -> tuple[set[str], dict[str, Any]]:
    t = {key: fields.get(key, "").strip() for key in ITEM_FORM_FIELDS}
    bad: set[str] = set()
    out: dict[str, Any] = {}
    for key, low, high in (("sets", 1, 10), ("reps_low", 1, 100), ("reps_high", 1, 100)):
        value = plain_int(t[key])
        if value is None or not low <= value <= high:
            bad.add(key)
        out[key] = value
    if not {"reps_low", "reps_high"} & bad and out["reps_high"] < out["reps_low"]:
        bad.add("reps_high")
    try:
        out["tempo"] = str(parse_tempo(t["tempo"]))
    except TempoError:
        bad.add("tempo")
    rest = model_rest(t["rest"])
    if rest is None or not 15 <= rest <= 900:
        bad.add("rest")
    out["rest"] = rest
    return bad, out


good_item_text = {
    "sets": st.integers(1, 10).map(str),
    "reps_low": st.integers(1, 50).map(str),
    "reps_high": st.integers(50, 100).map(str),
    "tempo": st.sampled_from(["3-1-2-0", "2-0-x-1", "4 - 0 - 1 - 0"]),
    "rest": st.integers(15, 900).map(str) | st.integers(15, 900).map(
        lambda s: f"{s // 60}:{s % 60:02d}") | st.integers(15, 900).map(lambda s: f"{s} s"),
}


ITEM_TEXT = {key: padded(st.one_of(
    good_item_text[key], any_text, near_numbers(6),
    st.sampled_from(["0", "11", "101", "1:60", "15:01", "0:14", "14", "901", "99:99", "1:5",
                     ":30", "90ss", "90 S"]))) for key in ITEM_FORM_FIELDS}


@st.composite
def item_forms(draw: st.DrawFn) -> dict[str, str]:
    """Each field good or not; one in ten left out, as a caller might."""
    return {key: draw(ITEM_TEXT[key]) for key in ITEM_FORM_FIELDS
            if draw(st.integers(0, 9)) != 0}


@fuzz
@given(item_forms(), st.booleans())
@example({"sets": "3", "reps_low": "8", "reps_high": "12", "tempo": "3-1-2-0",
          "rest": "90\u3000s"}, False)
def test_the_item_form_refuses_exactly_what_its_rules_refuse(
    fields: dict[str, str], per_side: bool
) -> None:
    bad, expected = model_item_form(fields)
    item, error = attempt(RoutineError, lambda: parse_item_form(
        fields, exercise_id="leg-press", per_side=per_side))
    if error is not None:
        assert set(error.errors) == bad, (error.errors, bad)
        assert all(isinstance(m, str) and m.strip() for m in error.errors.values())
        assert error.message.strip()
        return
    assert not bad, f"accepted, but the model refuses {bad}"
    assert (item.sets, item.rep_range, item.tempo, item.rest_seconds, item.per_side) == (
        expected["sets"], (expected["reps_low"], expected["reps_high"]), expected["tempo"],
        expected["rest"], per_side)
    assert parse_item_form(item_form_text(item), exercise_id="leg-press",
                           per_side=per_side) == item
    assert RoutineItem.from_dict(json.loads(dumps_json(item.to_dict()))) == item


# --- routine names ----------------------------------------------------------------------------


LIBRARY: ExerciseLibrary = load_library(builtin_exercises_dir())
"""Module-wide, not a fixture: hypothesis would print its 30 kB repr with every failure."""


def model_name_ok(text: str) -> bool:
    name = text.strip()
    return (0 < len(name) <= MAX_NAME_CHARS
            and not any(unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp") for c in name))


names = st.one_of(
    any_text, padded(st.text(min_size=1, max_size=45)),
    st.sampled_from(["Leg day", "LEG DAY", " leg Day ", "a\nb", "a\u2028b", "x" * 41]),
)


@fuzz
@given(names, names)
@example("a\u2028b", "Push\u2029day")
def test_routine_names_are_kept_exactly_or_refused_with_a_message(
    first: str, second: str
) -> None:
    book = RoutineBook(LIBRARY)
    created = []
    for name in (first, second):
        taken = {r.name.casefold() for r in book.routines}
        routine, error = attempt(RoutineError, lambda n=name: book.create(n))
        if error is not None:
            assert set(error.errors) == {"name"} and error.message.strip()
            assert not model_name_ok(name) or name.strip().casefold() in taken
            continue
        assert model_name_ok(name) and name.strip().casefold() not in taken
        assert routine.name == name.strip()
        created.append(routine)
    if created:
        _, error = attempt(RoutineError, lambda: book.rename(created[0].id, second + first))
        assert error is None or set(error.errors) == {"name"}
        again = RoutineBook.from_dict(json.loads(dumps_json(book.to_dict())), LIBRARY)
        assert again.routines == book.routines


# --- setting values ---------------------------------------------------------------------------

setting_values = st.one_of(
    json_scalars, any_text, st.decimals(allow_nan=True, places=None),
    st.floats(-1000, 1000), st.integers(-1000, 1000),
    st.sampled_from([Decimal("sNaN"), Decimal("1e999999"), Decimal("1e-999999"),
                     Decimal("1" + "0" * 30 + ".5"), 2.5, 0.25, 50, 1e308, "kg", "lb",
                     "dark", "high_contrast", "extra_large", "leg-press"]),
    st.lists(st.floats(0, 60) | st.integers(0, 60) | json_scalars, max_size=14),
    st.dictionaries(st.sampled_from(["leg-press", "leg-press-45", "Leg Press", "", "a--b"])
                    | st.text(max_size=5), st.floats(-10, 300) | json_scalars, max_size=4),
)


def model_setting_error(setting: Setting[Any], value: Any) -> bool:
    """Whether `check` must refuse `value`: a rough, independent model of the rules."""

    def bad_number(v: Any) -> bool:
        if isinstance(v, bool) or not isinstance(v, int | float | Decimal):
            return True
        try:
            f = float(v)
        except (OverflowError, ValueError):
            return True
        if not math.isfinite(f):
            return True
        if setting.kind is Kind.INT:
            if v != int(v):
                return True
            n: float = int(v)
        else:
            n = round(f, 6)
        return (setting.minimum is not None and n < setting.minimum) or (
            setting.maximum is not None and n > setting.maximum)

    kind = setting.kind
    if kind is Kind.BOOL:
        return not isinstance(value, bool)
    if kind is Kind.CHOICE:
        return not isinstance(value, str) or value not in setting.choice_values()
    if kind is Kind.TEXT:
        return (not isinstance(value, str) or len(" ".join(value.split())) > 40
                or any(0xD800 <= ord(c) <= 0xDFFF for c in value))
    if kind is Kind.LOAD_MAP:
        return not isinstance(value, dict) or any(
            not isinstance(k, str) or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k)
            or bad_number(v) for k, v in value.items())
    if kind is Kind.LOAD_LIST:
        return (not isinstance(value, list) or not value or any(bad_number(v) for v in value)
                or len({round(float(v), 6) for v in value}) > 12)
    return bad_number(value)


@fuzz
@given(st.sampled_from(DECLARATIONS), setting_values, st.sampled_from(LoadUnit))
@example(REST, Decimal("1" + "0" * 30 + ".5"), LoadUnit.KG)
@example(GYM_NAME, "Gym \ud800", LoadUnit.KG)
@example(COUNTDOWN, 10**5000, LoadUnit.KG)
def test_setting_values_are_stored_exactly_or_refused_with_the_key_and_why(
    setting: Setting[Any], value: Any, unit: LoadUnit
) -> None:
    settings_ = Settings()
    stored, error = attempt(SettingError, lambda: settings_.set(setting, value, unit))
    if error is not None:
        assert error.key == setting.key and error.reason.strip()
        assert model_setting_error(setting, value), f"refused: {error.reason}"
        assert settings_.is_default(setting)
        return
    assert not model_setting_error(setting, value), f"accepted {stored!r}"
    assert setting.check(stored) == stored  # already in its stored form
    again = Settings.from_dict(json.loads(dumps_json(settings_.to_dict())))
    assert again.problems == []
    assert again.get(setting) == stored
    assert again.to_dict() == settings_.to_dict()


@fuzz
@given(st.sampled_from([s for s in DECLARATIONS if s.kind in (Kind.LOAD_MAP, Kind.LOAD_LIST)]),
       setting_values)
def test_salvage_keeps_the_good_part_or_says_nothing_is_usable(
    setting: Setting[Any], value: Any
) -> None:
    salvaged, error = attempt(SettingError, lambda: setting.salvage(value))
    if error is not None:
        assert error.key == setting.key and error.reason.strip()
        return
    kept, dropped = salvaged
    assert setting.check(kept) == kept
    assert all(isinstance(why, str) and why.strip() for why in dropped)
    whole, error = attempt(SettingError, lambda: setting.check(value))
    assert dropped if error is not None else (kept == whole and dropped == [])


def test_the_decimal_model_reads_what_the_form_means() -> None:
    """The model above must refuse what the form refuses, or the property proves nothing."""
    assert plain_decimal("1,5", 4, 6) == Decimal("1.5")
    assert plain_decimal(".5", 4, 6) == Decimal("0.5")
    assert plain_decimal("5.", 4, 6) == Decimal(5)
    for text in ("", ".", "1.2.3", "1e3", "٣", "+1", "-1", "1 2", "1,5.0", "12345.1"):
        assert plain_decimal(text, 4, 6) is None, text
