"""Announcement text, numbers as Ukrainian words, the audio endpoints and their cache."""

from __future__ import annotations

import io
import shutil
import wave
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cherha.server import speech
from cherha.server.speech import (
    BadAnnouncement,
    Call,
    announcement_text,
    number_parts,
    number_words_en,
    number_words_uk,
    parse_call,
)
from tests.helpers.app import Api, api_for

HAS_ESPEAK = shutil.which("espeak-ng") is not None
needs_espeak = pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "нуль"),
        (1, "один"),
        (2, "два"),
        (5, "пʼять"),
        (9, "девʼять"),
        (10, "десять"),
        (11, "одинадцять"),
        (15, "пʼятнадцять"),
        (19, "девʼятнадцять"),
        (20, "двадцять"),
        (21, "двадцять один"),
        (40, "сорок"),
        (90, "девʼяносто"),
        (99, "девʼяносто девʼять"),
        (100, "сто"),
        (101, "сто один"),
        (112, "сто дванадцять"),
        (200, "двісті"),
        (345, "триста сорок пʼять"),
        (500, "пʼятсот"),
        (999, "девʼятсот девʼяносто девʼять"),
        (1000, "одна тисяча"),
        (1001, "одна тисяча один"),
        (2000, "дві тисячі"),
        (2024, "дві тисячі двадцять чотири"),
        (4999, "чотири тисячі девʼятсот девʼяносто девʼять"),
        (5000, "пʼять тисяч"),
        (9999, "девʼять тисяч девʼятсот девʼяносто девʼять"),
    ],
)
def test_numbers_in_ukrainian_words(n: int, words: str) -> None:
    assert number_words_uk(n) == words


def test_every_number_to_9999_has_distinct_well_formed_words() -> None:
    seen: dict[str, int] = {}
    vocabulary = set(" ".join(speech.UK_NUMBER_WORDS.values()).split())
    for n in range(10_000):
        parts = number_parts(n)
        assert sum(parts) == n
        assert parts == sorted(parts, reverse=True)
        assert len(parts) == len(set(parts)) <= 4
        words = number_words_uk(n)
        assert words == words.strip()
        assert "  " not in words
        assert set(words.split()) <= vocabulary
        assert "'" not in words  # the Ukrainian apostrophe «ʼ», not the ASCII one
        assert words not in seen, (n, seen.get(words))
        seen[words] = n
        if n < 1000:
            # Below a thousand: at most one word for hundreds, tens and units each.
            assert len(words.split()) == len(parts)
            assert "тисяч" not in words
        if 11 <= n % 100 <= 19:
            assert words.endswith("надцять")


def test_english_numbers() -> None:
    assert number_words_en(15) == "fifteen"
    assert number_words_en(101) == "one hundred one"
    assert number_words_en(2024) == "two thousand twenty four"
    for n in range(10_000):
        assert number_words_en(n)


@pytest.mark.parametrize("n", [-1, 10_000])
def test_numbers_out_of_range_are_refused(n: int) -> None:
    with pytest.raises(ValueError, match="out of range"):
        number_parts(n)


def test_announcement_text() -> None:
    assert announcement_text(parse_call("A015", "3"), "uk") == "Талон А пʼятнадцять, вікно три."
    assert (
        announcement_text(parse_call("ПB101", 12), "uk")
        == "Пільговий талон Бе сто один, вікно дванадцять."
    )
    assert announcement_text(parse_call("Д007", 1), "uk") == "Талон Де сім, вікно один."
    assert announcement_text(parse_call("A015", 3), "en") == "Ticket ay fifteen, window three."
    assert (
        announcement_text(parse_call("ПK1000", 8), "en")
        == "Priority ticket kay one thousand, window eight."
    )


@given(
    priority=st.booleans(),
    letters=st.text(alphabet=sorted(speech.LETTERS), min_size=1, max_size=3).filter(
        lambda s: not s.startswith("П")
    ),
    sequence=st.integers(1, 9999),
    window=st.integers(1, 999),
)
def test_any_valid_call_parses_back_and_is_said_in_both_languages(
    priority: bool, letters: str, sequence: int, window: int
) -> None:
    call = Call(priority, letters, sequence, window)
    assert parse_call(call.number, str(window)) == call
    uk = announcement_text(call, "uk")
    assert uk.startswith("Пільговий талон" if priority else "Талон")
    assert uk.endswith(f"вікно {number_words_uk(window)}.")
    assert number_words_uk(sequence) in uk
    assert not any(ch.isdigit() for ch in uk)
    en = announcement_text(call, "en")
    assert en.isascii()
    assert len(speech.clip_names(call)) == (
        1 + len(letters) + len(number_parts(sequence)) + 1 + len(number_parts(window))
    )
    assert set(speech.clip_names(call)) <= set(speech.all_clip_names())


@pytest.mark.parametrize(
    ("number", "window"),
    [
        ("", "1"),
        ("A", "1"),
        ("15", "1"),
        ("a015", "1"),
        ("A000", "1"),
        ("A12345", "1"),
        ("ABCD001", "1"),
        ("A015;rm -rf", "1"),
        ("A0\u0661\u0665", "1"),  # Arabic-Indic digits
        ("ПП001", "1"),
        ("A015", ""),
        ("A015", "0"),
        ("A015", "1000"),
        ("A015", "-1"),
        ("A015", "٣"),
        ("A015", "three"),
    ],
)
def test_nonsense_calls_are_refused(number: str, window: str) -> None:
    with pytest.raises(BadAnnouncement):
        parse_call(number, window)


# -- the endpoints -----------------------------------------------------------------------------


@pytest.fixture
def api(sqlite_url: str, tmp_path: Path) -> Iterator[Api]:
    with api_for(sqlite_url, speech_cache_dir=str(tmp_path / "cache")) as client:
        yield client


def read_wav(data: bytes) -> tuple[int, int, int, int]:
    with wave.open(io.BytesIO(data), "rb") as w:
        return w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()


def test_the_chimes_are_valid_wav(api: Api) -> None:
    for path in ("/audio/chime.wav", "/audio/chime-window.wav"):
        r = api.client.get(path)
        assert r.status_code == 200
        assert r.headers["content-type"] == "audio/wav"
        channels, width, rate, frames = read_wav(r.content)
        assert (channels, width, rate) == (1, 2, speech.SAMPLE_RATE)
        assert 0.5 < frames / rate < 2.5


@needs_espeak
def test_an_announcement_is_a_wav_and_is_made_only_once(api: Api, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    r = api.client.get("/audio/announce", params={"number": "A015", "window": "3"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "audio/wav"
    channels, width, rate, frames = read_wav(r.content)
    assert channels == 1
    assert width == 2
    assert 1.0 < frames / rate < 8.0
    files = list(cache.glob("*.wav"))
    assert len(files) == 1
    made = files[0].stat().st_mtime_ns
    speaker = api.client.app.state.backend.speaker  # type: ignore[attr-defined]
    runs = speaker.synth_runs

    again = api.client.get("/audio/announce", params={"number": "A015", "window": "3"})
    assert again.content == r.content
    assert speaker.synth_runs == runs
    assert [f.stat().st_mtime_ns for f in cache.glob("*.wav")] == [made]

    en = api.client.get("/audio/announce", params={"number": "ПA015", "window": "3", "lang": "en"})
    assert en.status_code == 200
    assert len(list(cache.glob("*.wav"))) == 2
    assert speaker.synth_runs == runs + 1


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"number": "A015"},
        {"window": "3"},
        {"number": "A015", "window": "x"},
        {"number": "hello", "window": "3"},
        {"number": "A015", "window": "3", "lang": "de"},
        {"number": "A" * 500, "window": "3"},
    ],
)
def test_bad_announcement_requests_get_400_with_a_message(api: Api, params: dict[str, str]) -> None:
    r = api.client.get("/audio/announce", params=params)
    assert r.status_code == 400
    body = r.json()
    assert body["error"] == "bad_announcement"
    assert body["message"]
    assert body["message_en"]


def test_without_espeak_the_page_says_no_voice_and_audio_is_503(
    sqlite_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with api_for(
        sqlite_url, speech_cache_dir=str(tmp_path / "c"), espeak_command="no-such-espeak-ng"
    ) as api:
        page = api.client.get("/display")
        assert page.status_code == 200
        assert '"voice":false' in page.text
        assert "no-such-espeak-ng" in caplog.text
        r = api.client.get("/audio/announce", params={"number": "A015", "window": "3"})
        assert r.status_code == 503
        assert r.json()["error"] == "no_voice"
        assert api.client.get("/audio/chime.wav").status_code == 200
        assert api.client.get("/audio/status").json()["uk"] is False


def tone(path: Path, freq: float, seconds: float = 0.05) -> None:
    rate = speech.SAMPLE_RATE
    frames = b"".join(
        int(8000 * ((i * freq / rate) % 1 - 0.5)).to_bytes(2, "little", signed=True)
        for i in range(int(rate * seconds))
    )
    path.write_bytes(speech.wav_bytes(frames))


def test_recorded_clips_are_joined_instead_of_espeak(sqlite_url: str, tmp_path: Path) -> None:
    clips = tmp_path / "clips" / "uk"
    clips.mkdir(parents=True)
    for i, name in enumerate(speech.all_clip_names()):
        tone(clips / name, 200 + i)
    with api_for(
        sqlite_url,
        speech_cache_dir=str(tmp_path / "c"),
        announcement_clips_dir=str(tmp_path / "clips"),
    ) as api:
        r = api.client.get("/audio/announce", params={"number": "A015", "window": "3"})
        assert r.status_code == 200, r.text
        speaker = api.client.app.state.backend.speaker  # type: ignore[attr-defined]
        assert speaker.synth_runs == 0
        _c, _w, rate, frames = read_wav(r.content)
        # ticket, a, 15, window, 3: five clips of 50 ms and four gaps of 90 ms
        assert frames == 5 * int(rate * 0.05) + 4 * (rate * 90 // 1000)
        assert api.client.get("/audio/status").json()["clips_uk"] is True

        # A missing clip: espeak-ng says it instead (or 503 where there is none).
        (clips / "n-15.wav").unlink()
        r = api.client.get("/audio/announce", params={"number": "A015", "window": "3"})
        assert r.status_code == (200 if HAS_ESPEAK else 503)


def test_clips_of_different_formats_are_refused(tmp_path: Path) -> None:
    a, b = tmp_path / "a.wav", tmp_path / "b.wav"
    tone(a, 300)
    b.write_bytes(speech.wav_bytes(b"\x00\x00" * 100, rate=44100))
    with pytest.raises(speech.ClipsError, match="one format"):
        speech.concatenate([a, b])
    assert read_wav(speech.concatenate([a, a]))[3] > 0
