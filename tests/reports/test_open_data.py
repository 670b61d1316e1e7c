"""/open-data/: published without a login per finished day and service, counts under 5
suppressed, nothing personal, a documented schema, and switched off by the centre."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from tests.admin.test_console_access import log_in, token_in
from tests.helpers.app import Api, FakeClock, api_for, make_centre
from tests.helpers.server import ADMIN_PASSWORD
from tests.reports.scripted import ID_CARD, RESIDENCE, START, set_target

SCHEMA = [
    "date",
    "service_id",
    "service_name_uk",
    "service_name_en",
    "tickets_issued",
    "tickets_served",
    "wait_median_minutes",
    "wait_p90_minutes",
    "share_within_target",
    "out_of_order_calls",
]


def play_day(api: Api, clock: FakeClock) -> list[str]:
    """Six residence visitors waiting 1, 3, 5, 7, 9, 11 minutes (target 15), two for the ID
    card, one of them called out of order. Returns what must never be published."""
    secret = []
    residence = [api.issue(RESIDENCE) for _ in range(6)]
    id_cards = [api.issue(ID_CARD) for _ in range(2)]
    for body in residence + id_cards:
        secret += [str(body["number"]), str(body["public_token"])]
    api.open("clerk1", 1)
    api.open("admin", 3)
    for minute, body in zip((1, 3, 5, 7, 9, 11), residence, strict=True):
        clock.now = START + timedelta(minutes=minute)
        called = api.call_next("clerk1", 1)
        assert called is not None
        assert called["id"] == body["id"]
        assert api.post(f"/api/v1/tickets/{body['id']}/start", "clerk1").status_code == 200
    clock.now = START + timedelta(minutes=13)
    assert api.post(f"/api/v1/tickets/{residence[-1]['id']}/finish", "clerk1").status_code == 200
    out_of_order = api.post(
        "/api/v1/counters/3/call", "admin", {"ticket_id": id_cards[1]["id"], "reason": "urgent"}
    )
    assert out_of_order.status_code == 200
    assert api.post(f"/api/v1/tickets/{id_cards[1]['id']}/finish", "admin").status_code == 200
    assert api.call_next("admin", 3) is not None
    assert api.post(f"/api/v1/tickets/{id_cards[0]['id']}/finish", "admin").status_code == 200
    return secret


@pytest.fixture
def published(database_url: str) -> Iterator[tuple[Api, list[str]]]:
    centre = make_centre(database_url)
    set_target(database_url, RESIDENCE, 15)
    clock = FakeClock(START)
    with api_for(database_url, clock, centre=centre, report_refresh_seconds=0) as api:
        secret = play_day(api, clock)
        assert api.client.get("/open-data/daily.json").json()["data"] == []  # not over yet
        clock.now = START + timedelta(days=1)
        yield api, secret


def test_a_finished_day_is_published_with_small_counts_suppressed(
    published: tuple[Api, list[str]],
) -> None:
    api, secret = published
    r = api.client.get("/open-data/daily.csv")
    assert r.status_code == 200
    assert r.headers["access-control-allow-origin"] == "*"
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == SCHEMA
    by_service = {int(row[1]): dict(zip(SCHEMA, row, strict=True)) for row in rows[1:]}
    residence = by_service[RESIDENCE]
    assert residence["date"] == "2026-11-24"
    assert residence["service_name_uk"].startswith("Реєстрація")
    assert residence["tickets_issued"] == "6"
    assert residence["tickets_served"] == "6"
    assert residence["wait_median_minutes"] == "6.0"
    assert residence["wait_p90_minutes"] == "10.0"  # 9 + 0.5 × (11 − 9)
    assert residence["share_within_target"] == "100.0"
    assert residence["out_of_order_calls"] == "0"
    id_card = by_service[ID_CARD]
    assert id_card["tickets_issued"] == ""  # 2: fewer than 5
    assert id_card["tickets_served"] == ""
    assert id_card["wait_median_minutes"] == ""  # from 2 waits
    assert id_card["out_of_order_calls"] == ""  # 1
    body = api.client.get("/open-data/daily.json").text
    for text in (r.text, body):
        for value in secret:
            assert value not in text
        assert "Тест" not in text
        assert "+380" not in text
    data = json.loads(body)
    assert [f["name"] for f in data["schema"]["fields"]] == SCHEMA
    assert data["data"][0]["tickets_issued"] in (6, None)
    assert {d["service_id"]: d["tickets_issued"] for d in data["data"]} == {
        RESIDENCE: 6,
        ID_CARD: None,
    }


def test_schema_page_and_period_choices(published: tuple[Api, list[str]]) -> None:
    api, _secret = published
    schema = api.client.get("/open-data/schema.json").json()
    assert [f["name"] for f in schema["fields"]] == SCHEMA
    assert schema["primaryKey"] == ["date", "service_id"]
    package = api.client.get("/open-data/datapackage.json").json()
    assert package["resources"][0]["schema"] == schema
    home = api.client.get("/")
    assert home.status_code == 200
    assert 'href="/open-data/"' in home.text  # the server's first page leads to it
    page = api.client.get("/open-data/")
    assert page.status_code == 200
    assert "daily.csv" in page.text
    assert "tickets_issued" in page.text
    assert len(api.client.get("/open-data/daily.csv", params={"year": 2026}).text.splitlines()) == 3
    assert len(api.client.get("/open-data/daily.csv", params={"year": 2025}).text.splitlines()) == 1
    bad = api.client.get("/open-data/daily.csv", params={"from": "tomorrow"})
    assert bad.status_code == 422
    assert bad.json()["message_en"]


def test_the_centre_switches_it_off_and_on(published: tuple[Api, list[str]]) -> None:
    api, _secret = published
    client = api.client
    assert log_in(client, "admin", ADMIN_PASSWORD) == 303
    form = client.get("/admin/reports/open-data")
    assert form.status_code == 200
    off = client.post(
        "/admin/reports/open-data", data={"csrf_token": token_in(form.text)}, follow_redirects=False
    )
    assert off.status_code == 303
    client.cookies.clear()
    for path in ("/open-data/daily.csv", "/open-data/daily.json", "/open-data/schema.json"):
        refused = client.get(path)
        assert refused.status_code == 404
        assert refused.json()["error"] == "open_data_off"
    page = client.get("/open-data/")
    assert page.status_code == 200
    assert "не публікує" in page.text
    assert log_in(client, "admin", ADMIN_PASSWORD) == 303
    form = client.get("/admin/reports/open-data")
    client.post(
        "/admin/reports/open-data",
        data={"csrf_token": token_in(form.text), "open_data": "on"},
        follow_redirects=False,
    )
    assert client.get("/open-data/daily.csv").status_code == 200
    audit = client.get("/admin/audit", params={"day": "2026-11-25"}).text
    assert "open_data_changed" in audit
