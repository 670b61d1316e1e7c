"""Booking rules in the core: codes, phone numbers, names, quotas, no-show blocks, check-in,
rate limits."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cherha.core.booking_rules import (
    CODE_ALPHABET,
    CODE_LENGTH,
    BookingBlocked,
    Limits,
    QuotaExceeded,
    ensure_not_blocked,
    ensure_within_quota,
    find_code,
    format_code,
    format_typed_code,
    mask_phone,
    new_code,
    normalise_name,
    normalise_phone,
    parse_code,
)
from cherha.core.checkin import CheckInWindow, TooEarly, check_in, no_show_after
from cherha.core.errors import Invalid
from cherha.core.ratelimit import Rate, RateLimited, RateLimiter

KYIV = ZoneInfo("Europe/Kyiv")

# -- codes --------------------------------------------------------------------------------------


def test_the_alphabet_has_no_confusable_characters() -> None:
    for confusable in "0O1IL":
        assert confusable not in CODE_ALPHABET
    assert len(set(CODE_ALPHABET)) == len(CODE_ALPHABET)


def test_codes_are_six_characters_of_the_alphabet_and_vary() -> None:
    codes = {new_code() for _ in range(500)}
    assert len(codes) > 495
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)


def test_codes_are_shown_grouped_and_accepted_in_any_spelling() -> None:
    assert format_code("ABCDEF") == "ABC-DEF"
    for typed in ("ABC-DEF", "abc-def", "abcdef", " abc def ", "Abc–Def", "ABC_DEF"):
        assert parse_code(typed) == "ABCDEF"


@pytest.mark.parametrize("typed", ["", "ABCDE", "ABCDEFG", "ABCDE0", "ABC-DE1", "ABCDEO", "АБВГДЕ"])
def test_what_cannot_be_a_code_is_refused(typed: str) -> None:
    assert parse_code(typed) is None


@given(st.text(alphabet=CODE_ALPHABET, min_size=6, max_size=6))
def test_a_shown_code_reads_back_as_itself(code: str) -> None:
    assert parse_code(format_code(code)) == code
    assert parse_code(format_code(code).lower()) == code


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ("ABC-DEF", "ABCDEF"),
        ("abcdef", "ABCDEF"),
        (" abc def \n", "ABCDEF"),
        ("http://cnap.example/book/qr/K7M-P2Q.png", "K7MP2Q"),
        ("https://cnap.example/book/cancel?code=k7m-p2q", "K7MP2Q"),
        ("https://cnap.example/b/K7MP2Q/", "K7MP2Q"),
        ("ABC-DE0", None),  # 0 is not in the alphabet
        ("ABCDEFG", None),
        ("https://cnap.example/t/Xk2lQ9rTzzABCDEF", None),  # a ticket's link, not a booking
        ("", None),
    ],
)
def test_booking_code_in_a_scan_or_typed_text(payload: str, code: str | None) -> None:
    assert find_code(payload) == code


def test_a_code_being_typed_is_shown_as_it_will_look() -> None:
    assert format_typed_code("") == ""
    assert format_typed_code("AB") == "AB"
    assert format_typed_code("ABC") == "ABC"
    assert format_typed_code("ABCD") == "ABC-D"
    assert format_typed_code("ABCDEF") == "ABC-DEF"


@pytest.mark.parametrize("text", ["", "AB", "ABCD", "ABCDEFG", "abcdef", "ABC-DEF", "ABCDE0"])
def test_only_a_whole_stored_code_is_formatted_as_one(text: str) -> None:
    with pytest.raises(ValueError, match="not a booking code"):
        format_code(text)


PREFIXES = ["", " ", "https://cnap.example/book/qr/", "http://x/book/cancel?code="]
codes = st.text(alphabet=CODE_ALPHABET, min_size=6, max_size=6)


@given(code=codes, lower=st.booleans(), dash=st.booleans(), prefix=st.sampled_from(PREFIXES))
def test_any_code_comes_back_from_any_usual_spelling(
    code: str, lower: bool, dash: bool, prefix: str
) -> None:
    text = f"{code[:3]}-{code[3:]}" if dash else code
    text = text.lower() if lower else text
    assert find_code(prefix + text) == code
    assert find_code(prefix + text + ".png") == code


@given(st.text(max_size=40))
def test_booking_code_never_invents_a_code(text: str) -> None:
    code = find_code(text)
    assert code is None or (len(code) == 6 and set(code) <= set(CODE_ALPHABET))


# -- phone numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "+380671234567",
        "380671234567",
        "0671234567",
        "067 123 45 67",
        "(067) 123-45-67",
        "+38 (067) 123-45-67",
        "8 067 123 45 67",
        " +380 67 123 45 67 ",
        "067.123.45.67",
    ],
)
def test_ukrainian_numbers_in_any_usual_spelling_become_one_form(typed: str) -> None:
    assert normalise_phone(typed) == "+380671234567"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "+48 601 234 567",  # Poland
        "+1 202 555 0100",
        "067123456",  # one digit short
        "06712345678",  # one too many
        "+3800671234567",
        "0071234567",  # no operator code starts with 0
        "067 ABC 45 67",
        "٠٦٧١٢٣٤٥٦٧",  # Arabic-Indic digits
    ],
)
def test_other_numbers_are_refused_with_a_clear_message(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        normalise_phone(typed)
    assert refused.value.code == "bad_phone"
    assert "0XX XXX XX XX" in refused.value.message_uk


@given(st.text(alphabet="0123456789 +-()", max_size=20))
def test_normalising_is_idempotent(typed: str) -> None:
    try:
        once = normalise_phone(typed)
    except Invalid:
        return
    assert normalise_phone(once) == once
    assert once.startswith("+380")
    assert len(once) == 13
    assert once[1:].isdigit()


@given(st.from_regex(r"[1-9][0-9]{8}", fullmatch=True))
def test_every_national_number_is_accepted_in_every_form(national: str) -> None:
    expected = f"+380{national}"
    for typed in (expected, f"380{national}", f"0{national}", f"80{national}"):
        assert normalise_phone(typed) == expected


def test_a_masked_phone_shows_only_the_last_four_digits() -> None:
    assert mask_phone("+380671234567") == "+380 ** *** 45 67"
    assert mask_phone("") == ""


# -- names --------------------------------------------------------------------------------------


def test_names_are_trimmed_and_inner_spaces_collapsed() -> None:
    assert normalise_name("  Олена   Коваль ") == "Олена Коваль"
    assert normalise_name("Іґор Ʉ") == "Іґор Ʉ"


@pytest.mark.parametrize("typed", ["", " ", "А", "12", "x" * 101, "Ім\x00я", "Ім\u202eя"])
def test_bad_names_are_refused(typed: str) -> None:
    with pytest.raises(Invalid) as refused:
        normalise_name(typed)
    assert refused.value.code == "bad_name"


# -- quotas and blocks --------------------------------------------------------------------------


def test_the_monthly_quota_refuses_the_fifth_booking() -> None:
    limits = Limits(monthly_quota=4)
    for made in range(4):
        ensure_within_quota(made, limits)
    with pytest.raises(QuotaExceeded) as refused:
        ensure_within_quota(4, limits)
    assert "скасовані теж рахуються" in refused.value.message_uk
    ensure_within_quota(100, Limits(monthly_quota=0))  # 0: no quota


def test_repeated_no_shows_block_online_booking() -> None:
    limits = Limits(no_show_block=4, no_show_window_days=90)
    ensure_not_blocked(3, limits)
    with pytest.raises(BookingBlocked) as refused:
        ensure_not_blocked(4, limits)
    assert "90" in refused.value.message_uk
    ensure_not_blocked(100, Limits(no_show_block=0))


# -- check-in -----------------------------------------------------------------------------------

SLOT = datetime(2026, 11, 24, 10, 0, tzinfo=KYIV)
WINDOW = CheckInWindow(early=timedelta(minutes=15), late=timedelta(minutes=5))


def test_too_early_says_when_check_in_opens_today_or_on_another_day() -> None:
    with pytest.raises(TooEarly) as today:
        check_in(SLOT, SLOT - timedelta(minutes=30), WINDOW)
    assert today.value.message_uk == "Реєстрація на цей запис відкриється о 09:45"
    assert today.value.details == {"opens_at": "2026-11-24T09:45:00+02:00"}
    with pytest.raises(TooEarly) as other_day:
        check_in(SLOT, SLOT - timedelta(days=1), WINDOW)
    assert "24.11.2026 о 09:45" in other_day.value.message_uk


def test_the_window_edges() -> None:
    assert check_in(SLOT, SLOT - timedelta(minutes=15), WINDOW).on_time
    assert check_in(SLOT, SLOT + timedelta(minutes=5), WINDOW).order_key == SLOT
    late = check_in(SLOT, SLOT + timedelta(minutes=5, seconds=1), WINDOW)
    assert not late.on_time
    assert late.order_key == SLOT + timedelta(minutes=5, seconds=1)
    assert no_show_after(SLOT, WINDOW) == SLOT + timedelta(minutes=5)


# -- rate limits --------------------------------------------------------------------------------


class Ticking:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_bucket_allows_a_burst_then_refuses_with_retry_after() -> None:
    clock = Ticking()
    limiter = RateLimiter({"write": Rate(3, 3600)}, clock)
    for _ in range(3):
        limiter.take("write", "192.0.2.1")
    with pytest.raises(RateLimited) as refused:
        limiter.take("write", "192.0.2.1")
    assert refused.value.status == 429
    assert refused.value.retry_after == 1200
    assert "20 хв" in refused.value.message_uk
    limiter.take("write", "192.0.2.2")  # another address has its own bucket
    clock.now += 1200
    limiter.take("write", "192.0.2.1")  # one token came back
    with pytest.raises(RateLimited):
        limiter.take("write", "192.0.2.1")


def test_a_zero_rate_is_no_limit_and_full_buckets_are_forgotten() -> None:
    clock = Ticking()
    limiter = RateLimiter({"read": Rate(0, 60), "w": Rate(2, 60)}, clock, max_keys=10)
    for _ in range(1000):
        limiter.take("read", "a")
    for i in range(10):
        limiter.take("w", f"addr{i}")
    clock.now += 60
    limiter.take("w", "new")  # the table was full: refilled buckets are dropped
    assert len(limiter._buckets) == 1


@given(st.lists(st.floats(min_value=0, max_value=100), max_size=50))
def test_never_more_than_the_burst_plus_the_refill(steps: list[float]) -> None:
    clock = Ticking()
    limiter = RateLimiter({"r": Rate(5, 60)}, clock)
    allowed = 0
    for step in steps:
        clock.now += step
        try:
            limiter.take("r", "x")
            allowed += 1
        except RateLimited:
            pass
    assert allowed <= 5 + (clock.now - 1000.0) * 5 / 60 + 1e-9
