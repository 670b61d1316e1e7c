"""The page routes without a browser: status codes, keys, headers, no personal data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest

from tests.helpers.app import Api, api_for


@pytest.fixture
def api(sqlite_url: str) -> Iterator[Api]:
    with api_for(sqlite_url) as client:
        yield client


def page_config(html: str) -> dict[str, object]:
    match = re.search(r'<script id="cherha-config" type="application/json">(.*?)</script>', html)
    assert match is not None
    config: dict[str, object] = json.loads(match.group(1))
    return config


def test_the_hall_page(api: Api) -> None:
    r = api.client.get("/display")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer"
    assert '<html lang="uk">' in r.text
    assert "http://" not in r.text
    assert "https://" not in r.text
    config = page_config(r.text)
    assert config["lastCalls"] == 8
    assert config["key"] is None
    for asset in ("/static/css/display.css", "/static/js/common.js", "/static/js/hall.js"):
        assert asset in r.text
        served = api.client.get(asset)
        assert served.status_code == 200
        assert "http://" not in served.text
        assert "https://" not in served.text


def test_the_number_of_last_calls_is_configurable(sqlite_url: str) -> None:
    with api_for(sqlite_url, board_last_calls=5, announce_english=True) as api:
        config = page_config(api.client.get("/display").text)
        assert config["lastCalls"] == 5
        assert config["english"] is True


def test_the_window_page(api: Api) -> None:
    r = api.client.get("/display/counters/3")
    assert r.status_code == 200
    assert "Вікно 3" in r.text
    assert page_config(r.text)["counterId"] == 3
    for bad in ("99", "0", "abc", "1e3", "-1", "99999999999999999999"):
        r = api.client.get(f"/display/counters/{bad}")
        assert r.status_code == 404, bad
        assert "Такого вікна немає" in r.text
        assert "No such window" in r.text


def test_the_ticket_page(api: Api) -> None:
    ticket = api.issue(1)
    r = api.client.get(f"/t/{ticket['public_token']}")
    assert r.status_code == 200
    assert str(ticket["number"]) in r.text
    assert page_config(r.text)["stream"] is True
    assert "Дякуємо" in r.text
    assert "Thank you" in r.text


@pytest.mark.parametrize("token", ["unknown-token-123", "short", "x" * 65, "%3Cscript%3E"])
def test_an_unknown_ticket_gets_a_404_page_in_both_languages(api: Api, token: str) -> None:
    r = api.client.get(f"/t/{token}")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "Талон не знайдено" in r.text
    assert "Ticket not found" in r.text
    assert "<script>" not in r.text


def test_display_keys(sqlite_url: str) -> None:
    with api_for(sqlite_url, require_display_key=True) as api:
        key = api.centre.display_key
        missing = api.client.get("/display")
        assert missing.status_code == 401
        assert "?key=" in missing.text
        assert api.client.get("/display?key=nonsense").status_code == 403
        assert api.client.get("/display/counters/1").status_code == 401
        assert api.client.get("/display/counters/1?key=nonsense").status_code == 403
        ok = api.client.get(f"/display?key={key}")
        assert ok.status_code == 200
        assert page_config(ok.text)["key"] == key
        assert api.client.get(f"/display/counters/1?key={key}").status_code == 200
        # The audio of announcements follows the key; the phone page needs none.
        assert (
            api.client.get("/audio/announce", params={"number": "А001", "window": "1"}).status_code
            == 401
        )
        ticket = api.issue(1)
        phone = api.client.get(f"/t/{ticket['public_token']}")
        assert phone.status_code == 200
        assert page_config(phone.text)["stream"] is False
        assert key not in phone.text


def test_a_key_in_the_page_cannot_break_out_of_the_script(sqlite_url: str) -> None:
    with api_for(sqlite_url) as api:
        r = api.client.get("/display", params={"key": "</script><script>alert(1)</script>"})
        assert r.status_code == 200
        assert "<script>alert" not in r.text


def test_pages_show_no_personal_data(api: Api) -> None:
    ticket = api.issue(1)
    api.open("clerk1", 1)
    api.call_next("clerk1", 1)
    texts = [
        api.client.get("/display").text,
        api.client.get("/display/counters/1").text,
        api.client.get(f"/t/{ticket['public_token']}").text,
    ]
    for text in texts:
        assert "clerk1" not in text
        assert not re.search(r"\+?380\d{9}", text)
