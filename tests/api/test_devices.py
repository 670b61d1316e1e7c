from __future__ import annotations

from tests.helpers.app import Api


def test_a_kiosk_reports_paper_out_and_the_administrator_sees_it(api: Api) -> None:
    ticket = api.issue(1)
    before = api.client.get("/api/v1/board").json()["last_event_id"]
    body = {"printer": "paper_out", "message": "Закінчився папір", "ticket_id": ticket["id"]}
    assert api.post("/api/v1/devices/me/status", "kiosk", body).status_code == 204
    assert api.post("/api/v1/devices/me/status", "kiosk", body).status_code == 204  # no change
    after = api.client.get("/api/v1/board").json()["last_event_id"]
    assert after == before + 1, "one event for the change, none for the repeat"
    devices = api.client.get("/api/v1/devices", headers=api.as_user("admin")).json()
    kiosk = next(d for d in devices if d["name"] == "kiosk-1")
    assert (kiosk["printer_status"], kiosk["status_message"]) == ("paper_out", "Закінчився папір")
    assert api.post("/api/v1/devices/me/status", "kiosk", {"printer": "ok"}).status_code == 204
    assert api.client.get("/api/v1/board").json()["last_event_id"] == after + 1


def test_device_status_is_validated_and_for_devices_only(api: Api) -> None:
    r = api.post("/api/v1/devices/me/status", "kiosk", {"printer": "on fire"})
    assert r.status_code == 422
    assert "printer" in r.json()["message"]
    assert api.post("/api/v1/devices/me/status", "clerk1", {"printer": "ok"}).status_code == 403
    assert api.client.get("/api/v1/devices", headers=api.as_user("clerk1")).status_code == 403
