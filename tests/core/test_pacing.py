"""Pacing messages: the overall rate and one per chat per interval, the most urgent first."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from cherha.core.pacing import Pacer, Waiting


def test_the_most_urgent_goes_first_and_one_per_chat() -> None:
    pacer: Pacer[int] = Pacer(per_second=30, chat_interval=1.0)
    waiting = [Waiting(1, 10, 1), Waiting(2, 10, 0), Waiting(3, 11, 2), Waiting(4, 12, 1)]
    chosen = pacer.choose(waiting, now=0.0)
    assert [w.id for w in chosen] == [2, 4, 3], "the call (0) before news (1) before reminders"
    assert pacer.choose([Waiting(1, 10, 1)], now=0.5) == [], "chat 10 had one half a second ago"
    assert [w.id for w in pacer.choose([Waiting(1, 10, 1)], now=1.0)] == [1]


def test_a_call_does_not_wait_for_the_news_sent_just_before() -> None:
    pacer: Pacer[int] = Pacer(per_second=30, chat_interval=1.0)
    assert len(pacer.choose([Waiting(1, 10, 1)], now=0.0)) == 1
    assert [w.id for w in pacer.choose([Waiting(2, 10, 0)], now=0.1)] == [2]
    assert pacer.choose([Waiting(3, 10, 1)], now=0.5) == [], "but the news after it waits"


def test_the_interval_counts_from_when_a_message_went_out() -> None:
    pacer: Pacer[int] = Pacer(per_second=30, chat_interval=1.0)
    pacer.choose([Waiting(1, 10, 1)], now=0.0)
    pacer.sent(10, 0.5)  # the send took half a second
    assert pacer.choose([Waiting(2, 10, 1)], now=1.0) == []
    assert len(pacer.choose([Waiting(2, 10, 1)], now=1.5)) == 1


def test_a_429_pauses_everything_until_its_time() -> None:
    pacer: Pacer[int] = Pacer(per_second=30, chat_interval=1.0)
    pacer.pause_until(5.0)
    assert pacer.choose([Waiting(1, 10, 0)], now=4.9) == []
    assert pacer.next_ready([Waiting(1, 10, 0)], now=4.9) == 5.0
    assert len(pacer.choose([Waiting(1, 10, 0)], now=5.0)) == 1


@settings(max_examples=200, deadline=None)
@given(
    rate=st.integers(min_value=1, max_value=40),
    interval=st.sampled_from([0.0, 0.5, 1.0]),
    ticks=st.lists(
        st.tuples(
            st.floats(min_value=0.0, max_value=0.5),
            st.lists(st.tuples(st.integers(0, 20), st.integers(0, 2)), min_size=0, max_size=60),
        ),
        min_size=1,
        max_size=30,
    ),
)
def test_never_faster_than_the_rate_nor_twice_to_a_chat_in_the_interval(
    rate: int, interval: float, ticks: list[tuple[float, list[tuple[int, int]]]]
) -> None:
    pacer: Pacer[int] = Pacer(per_second=rate, chat_interval=interval)
    now, next_id = 0.0, 0
    sent: list[tuple[float, int, bool]] = []
    for step, batch in ticks:
        now += step
        waiting = []
        for chat, priority in batch:
            next_id += 1
            waiting.append(Waiting(next_id, chat, priority))
        chosen = pacer.choose(waiting, now)
        sent += [(now, w.chat, w.priority == 0) for w in chosen]
        # Within one pass: the most urgent first among those chosen.
        assert [w.priority for w in chosen] == sorted(w.priority for w in chosen)
    burst = max(1.0, rate / 5)
    for i, (at, chat, _urgent) in enumerate(sent):
        later = [t for t, c, urgent in sent[i + 1 :] if c == chat and not urgent]
        assert all(t - at >= interval for t in later), "one per chat per interval"
        window = [t for t, _c, _u in sent if at <= t < at + 1.0]
        assert len(window) <= rate + burst, "never more than the rate and a small burst"
