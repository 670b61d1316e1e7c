"""A service's short names for the displays, edited in the console over HTTP: saved and served
to the hall, audited with before and after, too long refused with a message (and nothing
changed), empty meaning the full name."""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from cherha.server.store.centre_file import SHORT_NAME_MAX
from cherha.server.store.models import AuditEntry
from tests.admin.test_console_access import log_in, token_in
from tests.admin.test_console_users import database
from tests.helpers.app import Api, api_for
from tests.helpers.server import ADMIN_PASSWORD

RESIDENCE = 1  # the sample's «Реєстрація / зняття з реєстрації місця проживання»


@pytest.fixture
def api(sqlite_url: str) -> Iterator[Api]:
    with api_for(sqlite_url) as client:
        yield client


@pytest.fixture
def admin(api: Api) -> TestClient:
    assert log_in(api.client, "admin", ADMIN_PASSWORD) == 303
    return api.client


def served(api: Api, service_id: int = RESIDENCE) -> dict[str, Any]:
    """The service as the displays read it (GET /api/v1/services)."""
    services = api.client.get("/api/v1/services").json()
    found: dict[str, Any] = next(s for s in services if s["id"] == service_id)
    return found


def save(admin: TestClient, api: Api, **changes: str) -> tuple[int, str]:
    """The service's form as the page posts it: every field as it is, these changed."""
    s = served(api)
    form = {
        "csrf_token": token_in(admin.get(f"/admin/services/{RESIDENCE}").text),
        "code": s["code"],
        "prefix": s["prefix"],
        "name_uk": s["name_uk"],
        "name_en": s["name_en"],
        "short_name_uk": s["short_name_uk"],
        "short_name_en": s["short_name_en"],
        "group_uk": s["group_uk"],
        "group_en": s["group_en"],
        "average_minutes": str(s["average_service_minutes"]),
        "allow_priority": "on",
        "bookable": "on",
        "active": "on",
        **changes,
    }
    r = admin.post(f"/admin/services/{RESIDENCE}", data=form, follow_redirects=False)
    return r.status_code, html.unescape(r.text)


def service_audit(api: Api) -> list[dict[str, Any]]:
    with database(api.centre.database_url) as db, db.read() as session:
        return [
            {"actor": a.actor, "target": a.target, **a.data}
            for a in session.scalars(
                select(AuditEntry)
                .where(AuditEntry.action == "service_changed")
                .order_by(AuditEntry.id)
            )
        ]


def test_the_form_shows_the_short_names_and_their_limit(admin: TestClient) -> None:
    page = html.unescape(admin.get(f"/admin/services/{RESIDENCE}").text)
    assert 'name="short_name_uk" value="Реєстрація місця проживання"' in page
    assert 'name="short_name_en" value="Residence registration"' in page
    assert f'maxlength="{SHORT_NAME_MAX}"' in page
    assert f"До {SHORT_NAME_MAX} знаків" in page
    new = html.unescape(admin.get("/admin/services/new").text)
    assert 'name="short_name_uk" value=""' in new


def test_a_short_name_saved_in_the_console_is_served_and_audited(
    api: Api, admin: TestClient
) -> None:
    status, _page = save(admin, api, short_name_uk="Місце проживання", short_name_en="Residence")
    assert status == 303
    s = served(api)
    assert (s["short_name_uk"], s["short_name_en"]) == ("Місце проживання", "Residence")
    board = api.client.get("/api/v1/board").json()
    on_board = next(b for b in board["services"] if b["id"] == RESIDENCE)
    assert on_board["short_name_uk"] == "Місце проживання"  # what the hall display shows
    [entry] = service_audit(api)
    assert entry["actor"] == "user:admin"
    assert entry["target"] == "service:residence"
    assert entry["before"]["short_name_uk"] == "Реєстрація місця проживання"
    assert entry["after"]["short_name_uk"] == "Місце проживання"
    assert entry["before"]["short_name_en"] == "Residence registration"
    assert entry["after"]["short_name_en"] == "Residence"

    # Emptied: the displays show the full name again.
    status, _page = save(admin, api, short_name_uk="", short_name_en="")
    assert status == 303
    s = served(api)
    assert (s["short_name_uk"], s["short_name_en"]) == ("", "")
    assert service_audit(api)[-1]["after"]["short_name_uk"] == ""


@pytest.mark.parametrize("field", ["short_name_uk", "short_name_en"])
def test_a_short_name_too_long_is_refused_with_a_message_and_nothing_changes(
    api: Api, admin: TestClient, field: str
) -> None:
    before = served(api)
    too_long = "Д" * (SHORT_NAME_MAX + 1)
    status, page = save(admin, api, **{field: too_long})
    assert status == 422
    label_uk, label_en = {
        "short_name_uk": ("Коротка назва для табло", "Short name for the displays"),
        "short_name_en": ("Коротка назва англійською", "Short name in English"),
    }[field]
    assert f"{label_uk}: задовге (найбільше {SHORT_NAME_MAX} знаків)" in page
    assert f"{label_en}: String should have at most {SHORT_NAME_MAX} characters" in page
    assert f'value="{too_long}"' in page  # the form keeps what was typed, to be shortened
    assert served(api) == before
    assert service_audit(api) == []
    # Exactly the limit is fine.
    status, _page = save(admin, api, **{field: "Д" * SHORT_NAME_MAX})
    assert status == 303
    assert served(api)[field] == "Д" * SHORT_NAME_MAX
