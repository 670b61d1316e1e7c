"""The pure rules behind the displays: text sizes from the viewing distance, where to go when a
window is on a break, services by group."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cherha.core.errors import Invalid
from cherha.core.grouping import group_in_order
from cherha.core.legibility import MIN_ENGLISH_SCALE, Viewing
from cherha.core.redirect import MAX_WINDOWS, WindowServices, windows_instead

# -- legibility ---------------------------------------------------------------------------------


def test_sizes_follow_the_distance() -> None:
    v = Viewing(diagonal_inches=55, distance_m=5, english_scale=0.7, last_calls=8)
    assert v.text_mm == 25  # 5 m / 200: the field's own example
    assert v.minimum_mm == pytest.approx(16.67, abs=0.01)
    assert v.number_mm == 50
    assert v.english_mm == pytest.approx(17.5)
    assert v.english_mm >= v.minimum_mm
    far = Viewing(75, 10, 1.0, 8)
    assert (far.text_mm, far.number_mm, far.english_mm) == (50, 100, 50)


@given(
    distance=st.floats(min_value=1, max_value=30),
    english=st.one_of(st.just(0.0), st.floats(min_value=MIN_ENGLISH_SCALE, max_value=1)),
)
def test_english_lines_never_fall_below_the_minimum(distance: float, english: float) -> None:
    v = Viewing(55, distance, english, 8)
    assert english == 0 or v.english_mm >= v.minimum_mm * 0.999
    assert v.number_mm > v.text_mm > v.minimum_mm


def test_a_display_s_address_overrides_the_centre_s_setting() -> None:
    centre = Viewing(55, 5, 0.7, 8)
    assert centre.overridden() == centre
    mine = centre.overridden(diagonal="75", distance="8,5", english="off", calls="12")
    assert mine == Viewing(75, 8.5, 0.0, 12)
    assert centre.overridden(english="1").english_scale == 1.0
    assert centre.overridden(english="0.67").english_scale == 0.67  # «two thirds», as written


@pytest.mark.parametrize(
    ("values", "names"),
    [
        ({"diagonal": "huge"}, "diagonal"),
        ({"diagonal": "5"}, "diagonal"),
        ({"diagonal": "nan"}, "diagonal"),
        ({"diagonal": "inf"}, "diagonal"),
        ({"distance": "0.5"}, "distance"),
        ({"distance": "31"}, "distance"),
        ({"english": "0.5"}, "english"),
        ({"english": "1.5"}, "english"),
        ({"calls": "0"}, "calls"),
        ({"calls": "51"}, "calls"),
        ({"calls": "-1"}, "calls"),
        ({"calls": "1e3"}, "calls"),
    ],
)
def test_a_bad_setting_is_refused_saying_which_and_why(values: dict[str, str], names: str) -> None:
    with pytest.raises(Invalid) as refused:
        Viewing(55, 5, 0.7, 8).overridden(**values)
    assert refused.value.message_uk.startswith(names)
    assert refused.value.message_en.startswith(names)


def test_english_smaller_than_the_minimum_is_refused_with_the_reason() -> None:
    with pytest.raises(Invalid, match="cannot be read from the distance"):
        Viewing(55, 5, 0.5, 8)


# -- where to go instead ------------------------------------------------------------------------


def w(number: int, services: set[int], *, open_: bool = True) -> WindowServices:
    return WindowServices(number, open_, frozenset(services))


def test_one_window_serving_everything_is_best_and_the_nearest_wins() -> None:
    this = w(3, {1, 2}, open_=False)
    windows = [this, w(1, {1, 2}), w(4, {1, 2}), w(5, {1, 2, 3}), w(2, {1})]
    assert windows_instead(this, windows) == [4]
    # Equally near: the lower number (4 and 2 are both one away from 3).
    assert windows_instead(this, [this, w(2, {1, 2}), w(4, {1, 2})]) == [2]


def test_several_windows_cover_what_no_single_one_serves() -> None:
    # The sample centre's window 8: social, certificates, consultation, civil status.
    this = w(8, {6, 9, 10, 8}, open_=False)
    windows = [this, w(1, {1, 9, 10}), w(2, {1, 8, 9}), w(7, {6, 10}), w(3, {2, 3})]
    assert windows_instead(this, windows) == [7, 2]


def test_closed_windows_and_unrelated_ones_are_never_named() -> None:
    this = w(3, {1}, open_=False)
    assert windows_instead(this, [this, w(4, {1}, open_=False), w(5, {2})]) == []
    assert windows_instead(w(3, set(), open_=False), [w(4, {1})]) == []


windows_strategy = st.lists(
    st.builds(
        WindowServices,
        number=st.integers(1, 30),
        open=st.booleans(),
        service_ids=st.frozensets(st.integers(1, 6), max_size=4),
    ),
    max_size=12,
    unique_by=lambda x: x.number,
)


@given(
    windows=windows_strategy,
    this_number=st.integers(1, 30),
    services=st.frozensets(st.integers(1, 6), max_size=4),
)
def test_windows_instead_are_open_relevant_distinct_and_cover_what_can_be_covered(
    windows: list[WindowServices], this_number: int, services: frozenset[int]
) -> None:
    this = WindowServices(this_number, False, services)
    others = [x for x in windows if x.number != this_number]
    chosen = windows_instead(this, [this, *others])
    by_number = {x.number: x for x in others}
    assert len(chosen) == len(set(chosen)) <= MAX_WINDOWS
    assert this_number not in chosen
    for number in chosen:
        assert by_number[number].open
        assert by_number[number].service_ids & services
    coverable = services & frozenset().union(*(x.service_ids for x in others if x.open))
    covered = frozenset().union(*(by_number[n].service_ids for n in chosen)) & services
    if len(chosen) < MAX_WINDOWS:
        assert covered == coverable
    # Each window chosen adds something the ones before it did not cover.
    seen: set[int] = set()
    for number in chosen:
        new = (by_number[number].service_ids & services) - seen
        assert new
        seen |= new
    # A window serving all of them is chosen alone, and no such window is nearer.
    full = [x for x in others if x.open and services and services <= x.service_ids]
    if full:
        assert len(chosen) == 1
        best = by_number[chosen[0]]
        assert services <= best.service_ids
        assert abs(best.number - this_number) == min(abs(x.number - this_number) for x in full)


# -- groups ---------------------------------------------------------------------------------------


def test_each_group_once_in_the_order_it_first_appears() -> None:
    items = [("a", "Docs"), ("b", "Passports"), ("c", "Docs"), ("d", ""), ("e", "Passports")]
    assert group_in_order(items, lambda i: i[1]) == [
        ("Docs", [("a", "Docs"), ("c", "Docs")]),
        ("Passports", [("b", "Passports"), ("e", "Passports")]),
        ("", [("d", "")]),
    ]
    assert group_in_order([], lambda i: str(i)) == []
