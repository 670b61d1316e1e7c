"""The client and the server speak one language: the models of `cherha.wire`.

The server's /openapi.json is compared with the wire models' own JSON schemas, every /api/v1
route is checked to take and answer wire models, and every client call is checked to parse
the very model its route answers with. A model copied by hand on either side fails here.
"""

from __future__ import annotations

import inspect
import pkgutil
import re
import types
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

import cherha.client
from cherha import wire
from cherha.client import QueueClient
from cherha.server.api import bookings as api_bookings
from cherha.server.api import routes as api_routes
from cherha.server.api import stream as api_stream
from cherha.server.app import create_app
from tests.helpers.app import settings_for

WIRE_MODELS: dict[str, type[BaseModel]] = {
    name: obj
    for name, obj in vars(wire).items()
    if isinstance(obj, type)
    and issubclass(obj, BaseModel)
    and obj not in (wire.Reply, wire.Request)
}

# Each client call and the route it calls (method, path template of /openapi.json).
CLIENT_CALLS: dict[str, tuple[str, str]] = {
    "login": ("post", "/api/v1/auth/login"),
    "logout": ("post", "/api/v1/auth/logout"),
    "me": ("get", "/api/v1/auth/me"),
    "services": ("get", "/api/v1/services"),
    "counters": ("get", "/api/v1/counters"),
    "board": ("get", "/api/v1/board"),
    "branch": ("get", "/api/v1/branch"),
    "health": ("get", "/api/v1/health"),
    "issue_ticket": ("post", "/api/v1/tickets"),
    "request_outcome": ("post", "/api/v1/requests/{request_key}/outcome"),
    "ticket_status": ("get", "/api/v1/tickets/{public_token}"),
    "open_counter": ("post", "/api/v1/counters/{counter_id}/open"),
    "pause_counter": ("post", "/api/v1/counters/{counter_id}/pause"),
    "close_counter": ("post", "/api/v1/counters/{counter_id}/close"),
    "call_next": ("post", "/api/v1/counters/{counter_id}/call-next"),
    "call_ticket": ("post", "/api/v1/counters/{counter_id}/call"),
    "recall": ("post", "/api/v1/tickets/{ticket_id}/recall"),
    "start": ("post", "/api/v1/tickets/{ticket_id}/start"),
    "finish": ("post", "/api/v1/tickets/{ticket_id}/finish"),
    "no_show": ("post", "/api/v1/tickets/{ticket_id}/no-show"),
    "return_no_show": ("post", "/api/v1/tickets/{ticket_id}/return"),
    "transfer": ("post", "/api/v1/tickets/{ticket_id}/transfer"),
    "cancel": ("post", "/api/v1/tickets/{ticket_id}/cancel"),
    "staff_ticket": ("get", "/api/v1/staff/tickets/{ticket_id}"),
    "staff_today": ("get", "/api/v1/staff/today"),
    "booking_days": ("get", "/api/v1/services/{service_id}/booking-days"),
    "slots": ("get", "/api/v1/services/{service_id}/slots"),
    "booking_rules": ("get", "/api/v1/services/{service_id}/booking-rules"),
    "book": ("post", "/api/v1/bookings"),
    "booking": ("get", "/api/v1/bookings/{code}"),
    "cancel_booking": ("post", "/api/v1/bookings/{code}/cancel"),
    "check_in": ("post", "/api/v1/bookings/{code}/check-in"),
    "report_device_status": ("post", "/api/v1/devices/me/status"),
    "pause_branch": ("post", "/api/v1/branch/pause"),
    "resume_branch": ("post", "/api/v1/branch/resume"),
}
# Routes no client call uses: the administrators' list of devices (the console reads it).
NOT_CALLED_BY_THE_CLIENT = {("get", "/api/v1/devices")}
# The event stream is Server-Sent Events, outside OpenAPI's JSON bodies; its data is wire.Event.
NOT_JSON = {("get", "/api/v1/events")}


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FastAPI]:
    database = tmp_path_factory.mktemp("wire") / "cherha.db"
    application = create_app(settings_for(f"sqlite:///{database}"), migrate=True)
    yield application
    application.state.backend.db.dispose()


@pytest.fixture(scope="module")
def openapi(app: FastAPI) -> dict[str, Any]:
    response = TestClient(app).get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def _wire_schemas() -> dict[str, Any]:
    """Every wire model's JSON schema as pydantic makes it from the model itself."""
    modes = [
        (m, "serialization" if issubclass(m, wire.Reply) else "validation")
        for m in WIRE_MODELS.values()
    ]
    _, top = models_json_schema(modes, ref_template="#/components/schemas/{model}")  # type: ignore[arg-type]
    defs: dict[str, Any] = _numbers_as_floats(top["$defs"])
    return defs


def _numbers_as_floats(value: Any) -> Any:
    """The schema as /openapi.json writes it: some bounds as floats (2**63 - 1 → 9.2e18), no
    `"default": null`; the rest as it is."""
    if isinstance(value, dict):  # FastAPI leaves out a `"default": null`; so does this
        return {
            k: _numbers_as_floats(v) for k, v in value.items() if not (k == "default" and v is None)
        }
    if isinstance(value, list):
        return [_numbers_as_floats(v) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def _ref_name(schema: dict[str, Any]) -> str:
    """`#/components/schemas/Name` of a schema or of the items of an array schema."""
    if schema.get("type") == "array":
        schema = schema["items"]
    ref = schema.get("$ref")
    assert isinstance(ref, str), f"an inline schema, not a model: {schema}"
    return ref.rsplit("/", 1)[-1]


def _refs(schema: Any) -> set[str]:
    """The names of the models a schema refers to, at any depth."""
    if isinstance(schema, dict):
        found = {schema["$ref"].rsplit("/", 1)[-1]} if "$ref" in schema else set()
        return found.union(*(_refs(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_refs(v) for v in schema))
    return set()


def _operations(openapi: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in openapi["paths"].items():
        if path.startswith("/api/v1/"):
            for method, operation in item.items():
                yield method, path, operation


def _json_bodies(operation: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(what, schema) of the request body and of every response with a JSON body."""
    body = operation.get("requestBody")
    if body is not None:
        yield "request", body["content"]["application/json"]["schema"]
    for status, response in operation["responses"].items():
        content = response.get("content", {}).get("application/json")
        if content is not None:
            yield status, content["schema"]


def test_every_body_of_the_api_is_a_wire_model_with_the_wire_models_schema(
    openapi: dict[str, Any],
) -> None:
    components = _numbers_as_floats(openapi["components"]["schemas"])
    expected = _wire_schemas()
    seen: set[str] = set()
    for method, path, operation in _operations(openapi):
        if (method, path) in NOT_JSON:
            continue
        statuses = [s for s in operation["responses"] if s.startswith("2")]
        assert statuses, f"{method} {path} answers nothing"
        for what, schema in _json_bodies(operation):
            name = _ref_name(schema)
            assert name in WIRE_MODELS, f"{method} {path} {what}: {name} is not a wire model"
            seen.add(name)
    while nested := {n for body in seen for n in _refs(components[body])} - seen:
        seen |= nested
    for name in sorted(seen):
        # What /openapi.json says the body is, and what the wire model says of itself.
        assert components[name] == expected[name], name
    for name, schema in components.items():
        if name in expected:
            assert schema == expected[name], name
    # Each wire model is (in) a body of the API; the stream's Event travels as SSE data.
    assert set(WIRE_MODELS) - seen == {"Event"}


def test_every_route_takes_and_answers_wire_models() -> None:
    routers = (api_routes.router, api_bookings.router, api_stream.router)
    routes = [r for router in routers for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 30
    for route in routes:
        if route.body_field is not None:
            body = route.body_field.field_info.annotation
            assert isinstance(body, type), route.path
            assert body.__module__.startswith("cherha.wire."), (route.path, body)
        model = route.response_model
        if model is None:
            continue
        for inner in typing.get_args(model) or (model,):
            assert inner.__module__.startswith("cherha.wire."), (route.path, inner)


def _returned_models(annotation: Any) -> set[type]:
    """The classes a return annotation names (list[X], X | None, X)."""
    if isinstance(annotation, type) and not typing.get_args(annotation):
        return set() if annotation is type(None) else {annotation}
    found: set[type] = set()
    for arg in typing.get_args(annotation):
        found |= _returned_models(arg)
    return found


def _response_model(operation: dict[str, Any]) -> str | None:
    for status, response in operation["responses"].items():
        content = response.get("content", {}).get("application/json")
        if status.startswith("2") and content is not None:
            return _ref_name(content["schema"])
    return None


def _request_model(operation: dict[str, Any]) -> str | None:
    body = operation.get("requestBody")
    return None if body is None else _ref_name(body["content"]["application/json"]["schema"])


def test_each_client_call_parses_the_model_its_route_answers_with(
    openapi: dict[str, Any],
) -> None:
    public = {
        name
        for name, member in inspect.getmembers(QueueClient, inspect.isfunction)
        if not name.startswith("_")
    } - {"close", "request"}
    assert public == set(CLIENT_CALLS), "a client call without its route here, or the reverse"
    for name, (method, path) in CLIENT_CALLS.items():
        operation = openapi["paths"][path][method]
        hints = typing.get_type_hints(getattr(QueueClient, name))
        returned = _returned_models(hints["return"])
        answered = _response_model(operation)
        if answered is None:
            assert returned == set(), name
        else:
            assert returned == {WIRE_MODELS[answered]}, (name, returned, answered)
        # The request body the client builds is the model the route takes.
        source = inspect.getsource(getattr(QueueClient, name))
        sent = set(re.findall(r"wire\.(\w+)\.model_construct", source))
        wanted = _request_model(operation)
        assert sent == ({wanted} if wanted else set()), (name, sent, wanted)
    called = set(CLIENT_CALLS.values())
    for method, path, _operation in _operations(openapi):
        if (method, path) not in NOT_JSON | NOT_CALLED_BY_THE_CLIENT:
            assert (method, path) in called, f"{method} {path}: no client call"


def test_the_client_declares_no_bodies_of_its_own() -> None:
    package = Path(cherha.client.__file__).parent
    for module_info in pkgutil.iter_modules([str(package)]):
        module = __import__(f"cherha.client.{module_info.name}", fromlist=["_"])
        assert isinstance(module, types.ModuleType)
        for obj in vars(module).values():
            if isinstance(obj, type) and obj.__module__ == module.__name__:
                assert not issubclass(obj, BaseModel), obj
                assert not hasattr(obj, "from_json"), obj
