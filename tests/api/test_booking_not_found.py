"""An unknown booking code: the kiosk is told to check the code; the public page gets one
answer for an unknown code and a wrong phone, so codes cannot be probed."""

from __future__ import annotations

from tests.helpers.app import Api


def test_kiosk_check_in_with_an_unknown_code_speaks_of_the_code_only(api: Api) -> None:
    r = api.post("/api/v1/bookings/ZZZ-ZZZ/check-in", "kiosk")
    assert r.status_code == 404
    assert r.json()["error"] == "booking_not_found"
    assert "телефон" not in r.json()["message"]


def test_public_lookup_does_not_tell_an_unknown_code_from_a_wrong_phone(api: Api) -> None:
    r = api.client.get("/api/v1/bookings/ZZZ-ZZZ", params={"phone": "0671234567"})
    assert r.status_code == 404
    assert r.json()["message"] == "Запис не знайдено: перевірте код і номер телефону"
