"""Refusals become ApiError subclasses carrying the server's own messages."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from cherha.client import (
    ApiError,
    Conflict,
    Forbidden,
    InvalidRequest,
    NotFoundError,
    QueueClient,
    ServerUnavailable,
    Unauthorized,
)
from cherha.client.errors import error_for
from tests.helpers.app import Centre, ThreadedServer, make_app, make_centre, settings_for
from tests.helpers.clerk_server import expire_tokens


def test_wrong_password_is_unauthorized(shared_live: tuple[ThreadedServer, Centre]) -> None:
    with QueueClient(shared_live[0].url) as client, pytest.raises(Unauthorized) as refused:
        client.login("clerk1", "wrong")
    err = refused.value
    assert (err.status, err.code) == (401, "bad_credentials")
    assert err.message_uk == "Неправильне ім'я користувача або пароль"
    assert err.message_en == "Wrong username or password"
    assert str(err) == f"{err.message_uk} / {err.message_en}"
    assert err.message("en") == err.message_en
    assert not err.expired
    assert client.token is None


def test_no_credentials_is_unauthorized(shared_live: tuple[ThreadedServer, Centre]) -> None:
    with QueueClient(shared_live[0].url) as client, pytest.raises(Unauthorized) as refused:
        client.open_counter(1)
    assert refused.value.code == "no_credentials"


def test_expired_session(live: tuple[ThreadedServer, Centre], clerk: QueueClient) -> None:
    expire_tokens(live[1].database_url)
    with pytest.raises(Unauthorized) as refused:
        clerk.staff_today()
    assert refused.value.expired
    assert refused.value.code == "token_expired"


def test_forbidden(shared_kiosk: QueueClient) -> None:
    with pytest.raises(Forbidden) as refused:
        shared_kiosk.open_counter(1)  # a device key cannot operate a window
    assert refused.value.status == 403


def test_conflict_when_the_called_visitor_is_pending(
    clerk: QueueClient, kiosk: QueueClient
) -> None:
    kiosk.issue_ticket(1)
    kiosk.issue_ticket(1)
    clerk.open_counter(1)
    assert clerk.call_next(1) is not None
    with pytest.raises(Conflict) as refused:
        clerk.call_next(1)
    assert refused.value.code == "ticket_pending"
    assert "викликано, але не обслуговано" in refused.value.message_uk


def test_not_found(shared_clerk: QueueClient) -> None:
    with pytest.raises(NotFoundError) as refused:
        shared_clerk.staff_ticket(999_999)
    assert refused.value.status == 404
    with pytest.raises(NotFoundError):
        shared_clerk.ticket_status("no-such-ticket-token")


def test_invalid_request(shared_kiosk: QueueClient) -> None:
    with pytest.raises(InvalidRequest) as refused:
        shared_kiosk.issue_ticket(0)
    assert refused.value.code == "invalid_request"
    assert "service_id" in refused.value.message_en


def test_stopped_server_is_unavailable(sqlite_url: str) -> None:
    make_centre(sqlite_url)
    server = ThreadedServer(make_app(settings_for(sqlite_url))).start()
    client = QueueClient(server.url)
    assert client.health().status == "ok"
    server.stop()
    with pytest.raises(ServerUnavailable) as refused:
        client.services()
    assert str(refused.value) == "Сервер недоступний / Server unreachable"
    assert refused.value.code == "server_unreachable"
    client.close()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    listener.close()


def test_timeout_is_unavailable(silent_port: int) -> None:
    with (
        QueueClient(f"http://127.0.0.1:{silent_port}", read_timeout=0.3) as client,
        pytest.raises(ServerUnavailable),
    ):
        client.health()


def test_error_bodies_are_mapped() -> None:
    busy = error_for(503, {"error": "database_unavailable", "message": "БД", "message_en": "DB"})
    assert isinstance(busy, ServerUnavailable)
    assert (busy.code, busy.message_uk, busy.message_en) == ("database_unavailable", "БД", "DB")
    gateway = error_for(502, None)
    assert isinstance(gateway, ServerUnavailable)
    assert gateway.status == 502
    odd = error_for(500, "Internal Server Error")
    assert type(odd) is ApiError
    assert odd.code == "http_500"
    assert "HTTP 500" in odd.message_en
    conflict = error_for(409, {"error": "recall_limit", "message": "Ліміт", "message_en": ""})
    assert isinstance(conflict, Conflict)
    assert conflict.message_en == "Ліміт"  # one language is better than none
