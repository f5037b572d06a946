"""Data files are read as strictly as they are written: what the app could not save back is
damage found on reading, with a message, never a crash later."""

from __future__ import annotations

from pathlib import Path

import pytest

from legcoach.storage.atomic import parse_json_bytes
from legcoach.storage.json_documents import JsonDocumentStore


@pytest.mark.parametrize(("raw", "why"), [
    (b'{"v": NaN}', "NaN is not a number JSON allows"),
    (b'{"v": -Infinity}', "-Infinity is not a number JSON allows"),
    (b'{"name": "\\ud800"}', "lone surrogate"),
    (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    (b'{"n": ' + b"9" * 5000 + b"}", "digits"),
], ids=["nan", "infinity", "lone-surrogate", "deep", "long-number"])
def test_what_could_not_be_written_back_is_refused_on_reading(raw: bytes, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        parse_json_bytes(raw)


def test_valid_escapes_and_surrogate_pairs_still_read() -> None:
    assert parse_json_bytes(b'{"a": "\\ud83d\\udcaa \\u00e9 \\\\ud800"}') == {
        "a": "💪 é \\ud800"}


@pytest.mark.parametrize("raw", [b'{"v": 1, "x": NaN}', b'{"v": "\\udfff"}',
                                 b'{"v": ' + b"1" * 5000 + b"}"])
def test_a_document_the_app_could_not_save_is_set_aside_with_a_message(tmp_path: Path,
                                                                         raw: bytes) -> None:
    (tmp_path / "routines.json").write_bytes(raw)
    store = JsonDocumentStore(tmp_path)
    assert store.load("routines") is None
    (problem,) = store.problems()
    assert "routines" in problem
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("routines.corrupt-")]
    assert [p.read_bytes() for p in kept] == [raw]
