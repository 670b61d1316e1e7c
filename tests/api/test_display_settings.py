"""The centre's display settings, service short names and priority categories: from the centre
file to the database to the API and the display pages; and a paused window's alternatives."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from cherha.core.errors import Invalid
from cherha.server.store.centre_file import SAMPLE_CENTRE, read_centre_file
from tests.helpers.app import Api, api_for


def page_config(html: str) -> dict[str, object]:
    match = re.search(r'<script id="cherha-config" type="application/json">(.*?)</script>', html)
    assert match is not None
    config: dict[str, object] = json.loads(match.group(1))
    return config


def test_the_branch_serves_the_priority_categories(api: Api) -> None:
    branch = api.client.get("/api/v1/branch").json()
    assert branch["priority_categories"] == [
        {
            "uk": "Особи з інвалідністю I групи та їхні супровідники",
            "en": "People with group I disabilities and their companions",
        },
        {"uk": "Члени сімей загиблих захисників України", "en": "Families of fallen defenders of Ukraine"},
        {"uk": "Військовослужбовці", "en": "Serving military"},
    ]  # fmt: skip
    board = api.client.get("/api/v1/board").json()
    assert board["branch"]["priority_categories"] == branch["priority_categories"]


def test_services_carry_their_short_names(api: Api) -> None:
    services = {s["code"]: s for s in api.client.get("/api/v1/services").json()}
    assert services["property"]["short_name_uk"] == "Реєстрація нерухомості"
    assert services["property"]["short_name_en"] == "Real estate"
    assert services["consultation"]["short_name_uk"] == ""  # short enough as it is
    board = {s["id"]: s for s in api.client.get("/api/v1/board").json()["services"]}
    assert board[services["property"]["id"]]["short_name_uk"] == "Реєстрація нерухомості"


def test_a_paused_window_names_the_nearest_open_ones_serving_its_services(api: Api) -> None:
    for clerk, window in (("clerk1", 3), ("clerk2", 4), ("clerk3", 8)):
        api.open(clerk, window)
    r = api.post("/api/v1/counters/3/pause", "clerk1")
    assert r.status_code == 200, r.text
    assert r.json()["go_instead"] == [4]
    counters = {c["number"]: c for c in api.client.get("/api/v1/counters").json()}
    assert counters[4]["go_instead"] == []  # open: nowhere else to go
    # Window 7 (social, consultation) is closed: window 8 covers its services.
    assert counters[7]["go_instead"] == [8]
    assert counters[5]["go_instead"] == []  # property and land: no open window serves them


def test_the_phone_hears_why_service_is_paused(api: Api) -> None:
    ticket = api.issue(1)
    status = api.client.get(f"/api/v1/tickets/{ticket['public_token']}").json()
    assert (status["branch_paused"], status["branch_pause_reason"]) == (False, "")
    r = api.post("/api/v1/branch/pause", "admin", {"reason": "повітряна тривога"})
    assert r.status_code == 200, r.text
    status = api.client.get(f"/api/v1/tickets/{ticket['public_token']}").json()
    assert (status["branch_paused"], status["branch_pause_reason"]) == (True, "повітряна тривога")


def test_the_board_keeps_as_many_calls_as_the_centre_says(api: Api) -> None:
    for _ in range(10):
        api.issue(1)
    api.open("clerk1", 1)
    for _ in range(9):
        current = api.call_next("clerk1", 1)
        assert current is not None
        for action in ("start", "finish"):
            assert (
                api.post(f"/api/v1/tickets/{current['id']}/{action}", "clerk1").status_code == 200
            )
    assert len(api.client.get("/api/v1/board").json()["last_calls"]) == 8  # sample: last_calls
    assert len(api.client.get("/api/v1/board", params={"last": 3}).json()["last_calls"]) == 3


def test_the_display_pages_start_from_the_centre_s_viewing_setup(sqlite_url: str) -> None:
    with api_for(sqlite_url) as api:
        hall = page_config(api.client.get("/display").text)
        assert hall["lastCalls"] == 8
        assert hall["viewing"] == {
            "diagonalInches": 55.0,
            "distanceM": 5.0,
            "englishScale": 0.7,
            "lastCalls": 8,
            "textMm": 25.0,
            "englishMm": pytest.approx(17.5),
            "numberMm": 50.0,
            "minimumMm": pytest.approx(16.667, abs=0.001),
        }
        window = page_config(api.client.get("/display/counters/3").text)
        assert window["viewing"]["diagonalInches"] == 24.0  # type: ignore[index]
        assert window["viewing"]["distanceM"] == 4.0  # type: ignore[index]

        # One display says otherwise in its address.
        mine = page_config(
            api.client.get(
                "/display",
                params={"diagonal": "75", "distance": "8", "english": "off", "calls": "12"},
            ).text
        )
        assert mine["lastCalls"] == 12
        assert mine["viewing"]["englishScale"] == 0.0  # type: ignore[index]
        assert mine["viewing"]["textMm"] == 40.0  # type: ignore[index]
        small = page_config(api.client.get("/display/counters/3?diagonal=32&distance=6").text)
        assert small["viewing"]["diagonalInches"] == 32.0  # type: ignore[index]


@pytest.mark.parametrize(
    ("address", "uk", "en"),
    [
        ("/display?diagonal=5", "diagonal: від 10″ до 120″", "diagonal: from 10in to 120in"),
        ("/display?distance=far", "distance: число", "distance: a number"),
        ("/display?english=0.3", "english: 0 (приховати)", "english: 0 (hidden)"),
        ("/display?calls=99", "calls: від 1 до 50", "calls: from 1 to 50"),
        ("/display/counters/1?distance=40", "distance: від 1 м до 30 м", "distance: from 1 m"),
    ],
)
def test_a_wrong_setting_in_a_display_s_address_gets_a_page_saying_what(
    sqlite_url: str, address: str, uk: str, en: str
) -> None:
    with api_for(sqlite_url) as api:
        r = api.client.get(address)
        assert r.status_code == 400
        assert "Неправильне налаштування дисплея" in r.text
        assert uk in r.text
        assert en in r.text


def test_the_centre_file_checks_the_display_settings(tmp_path: Path) -> None:
    text = SAMPLE_CENTRE.read_text(encoding="utf-8")
    spec = read_centre_file(SAMPLE_CENTRE)
    assert (spec.displays.hall_diagonal_inches, spec.displays.hall_distance_m) == (55, 5)
    assert (spec.displays.window_diagonal_inches, spec.displays.window_distance_m) == (24, 4)
    assert spec.displays.english_scale == 0.7
    assert [p.en for p in spec.centre.priority_categories][-1] == "Serving military"
    for line, replacement, says in [
        ("english_scale = 0.7", "english_scale = 0.4", "cannot be read from the distance"),
        ("hall_distance_m = 5", "hall_distance_m = 31", "less than or equal to 30"),
        ("last_calls = 8", "last_calls = 0", "greater than or equal to 1"),
        ("last_calls = 8", "last_calls = 8\nbig_font = true", "Extra inputs are not permitted"),
    ]:
        found = re.search(rf"^{re.escape(line)}\b.*$", text, re.MULTILINE)
        assert found is not None, line
        bad = tmp_path / "centre.toml"
        bad.write_text(text.replace(found.group(0), replacement), encoding="utf-8")
        with pytest.raises(Invalid) as refused:
            read_centre_file(bad)
        assert "displays." in refused.value.message_en
        assert says in refused.value.message_en
