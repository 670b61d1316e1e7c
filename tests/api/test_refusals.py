"""Bad input, missing rights and closed services: a clear 4xx and nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest

from cherha.server.store.centre_file import SAMPLE_CENTRE, read_centre_file
from tests.helpers.app import Api, FakeClock, api_for, make_centre


def _last_event(api: Api) -> int:
    last: int = api.client.get("/api/v1/board").json()["last_event_id"]
    return last


def test_no_credentials_is_401_with_a_message(api: Api) -> None:
    r = api.client.post("/api/v1/tickets", json={"service_id": 1})
    assert r.status_code == 401
    assert r.json()["error"] == "no_credentials"
    assert "ключ" in r.json()["message"]


def test_a_wrong_key_is_401(api: Api) -> None:
    r = api.client.post(
        "/api/v1/tickets", json={"service_id": 1}, headers={"Authorization": "Bearer nope"}
    )
    assert r.status_code == 401
    assert r.json()["error"] == "bad_token"


def test_wrong_password_is_401(api: Api) -> None:
    r = api.client.post("/api/v1/auth/login", json={"username": "clerk1", "password": "wrong"})
    assert r.status_code == 401
    assert r.json()["message_en"] == "Wrong username or password"


def test_an_expired_login_says_so(api: Api, clock: FakeClock) -> None:
    headers = api.as_user("clerk1")
    clock.advance(hours=13)
    r = api.client.post("/api/v1/counters/1/open", headers=headers)
    assert r.status_code == 401
    assert r.json()["error"] == "token_expired"


def test_the_desk_s_busiest_writes_check_the_login_inside_the_write(
    api: Api, clock: FakeClock
) -> None:
    """Call-next, start, recall and no-show look the token up in their own transaction
    (issue 19): every refusal is the same as elsewhere, and nothing is written."""
    api.open("clerk1", 1)
    called = api.call_next("clerk1", 1)
    assert called is None
    ticket = api.issue(1)
    before = _last_event(api)
    paths = [
        "/api/v1/counters/1/call-next",
        *(f"/api/v1/tickets/{ticket['id']}/{action}" for action in ("start", "recall", "no-show")),
    ]
    refusals = [
        ({}, 401, "no_credentials"),
        ({"Authorization": "Bearer nope"}, 401, "bad_token"),
        (api.kiosk(), 403, "staff_only"),
    ]
    for path in paths:
        for headers, status, code in refusals:
            r = api.client.post(path, headers=headers)
            assert (r.status_code, r.json()["error"]) == (status, code), (path, r.text)
    headers = api.as_user("clerk1")
    clock.advance(hours=13)
    for path in paths:
        r = api.client.post(path, headers=headers)
        assert (r.status_code, r.json()["error"]) == (401, "token_expired"), (path, r.text)
    assert _last_event(api) == before  # nothing called, started or missed
    assert api.client.get(f"/api/v1/tickets/{ticket['public_token']}").json()["status"] == "waiting"


def test_a_kiosk_cannot_call_and_a_display_cannot_issue(api: Api) -> None:
    r = api.client.post("/api/v1/counters/1/open", headers=api.kiosk())
    assert r.status_code == 403
    assert r.json()["error"] == "staff_only"
    display = {"Authorization": f"Bearer {api.centre.display_key}"}
    r = api.client.post("/api/v1/tickets", json={"service_id": 1}, headers=display)
    assert r.status_code == 403
    assert r.json()["error"] == "kiosk_only"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ('{"service_id": 1', None),
        ("[]", None),
        ('{"service_id": "x"}', "service_id"),
        ('{"service_id": 0}', "service_id"),
        ('{"service_id": 1, "extra": true}', "extra"),
        ("{}", "service_id"),
    ],
)
def test_malformed_requests_are_422_and_change_nothing(
    api: Api, body: str, field: str | None
) -> None:
    before = _last_event(api)
    r = api.client.post(
        "/api/v1/tickets", content=body, headers={**api.kiosk(), "Content-Type": "application/json"}
    )
    assert r.status_code == 422
    problem = r.json()
    assert problem["error"] == "invalid_request"
    assert problem["message"]
    assert problem["message_en"]
    if field:
        assert field in problem["message"]
    assert _last_event(api) == before


def test_unknown_service_and_window_are_404(api: Api) -> None:
    r = api.client.post("/api/v1/tickets", json={"service_id": 999}, headers=api.kiosk())
    assert r.status_code == 404
    assert "999" in r.json()["message"]
    assert api.post("/api/v1/counters/999/open", "clerk1").status_code == 404
    assert api.post("/api/v1/tickets/999/finish", "clerk1").status_code == 404


def test_unknown_routes_answer_in_the_same_shape(api: Api) -> None:
    r = api.client.get("/api/v1/nothing-here")
    assert r.status_code == 404
    assert r.json()["error"] == "http_404"


def test_priority_where_the_service_has_no_priority_lane(tmp_path: Path) -> None:
    spec = read_centre_file(SAMPLE_CENTRE)
    services = [
        s.model_copy(update={"allow_priority": s.code != "residence"}) for s in spec.services
    ]
    every_day = {d: ["00:00-24:00"] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    spec = spec.model_copy(
        update={"services": services, "hours": spec.hours.model_validate(every_day)}
    )
    url = f"sqlite:///{tmp_path / 'p.db'}"
    with api_for(url, FakeClock(), centre=make_centre(url, spec=spec)) as api:
        r = api.client.post(
            "/api/v1/tickets", json={"service_id": 1, "priority": True}, headers=api.kiosk()
        )
        assert r.status_code == 422
        assert r.json()["error"] == "no_priority_lane"


def test_outside_working_hours_is_refused_with_today_s_hours(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    url = f"sqlite:///{tmp_path / 'h.db'}"
    centre = make_centre(url, spec=read_centre_file(SAMPLE_CENTRE))  # real hours: Tue 08–20
    night = FakeClock(datetime(2026, 11, 24, 20, 30, tzinfo=UTC))  # 22:30 in Kyiv
    with api_for(url, night, centre=centre) as api:
        r = api.client.post("/api/v1/tickets", json={"service_id": 1}, headers=api.kiosk())
        assert r.status_code == 409
        assert r.json()["error"] == "outside_hours"
        assert "08:00–20:00" in r.json()["message"]
        night.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 09:00 in Kyiv
        assert (
            api.client.post(
                "/api/v1/tickets", json={"service_id": 1}, headers=api.kiosk()
            ).status_code
            == 201
        )
