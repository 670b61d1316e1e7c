"""Prometheus metrics, in a registry of the app's own (several apps can live in one process)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Histogram(
            "cherha_http_request_seconds",
            "HTTP request latency",
            ["method", "route", "status"],
            registry=self.registry,
            buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5),
        )
        self.tickets_issued = Counter(
            "cherha_tickets_issued", "Tickets issued", ["service"], registry=self.registry
        )
        self.calls = Counter("cherha_calls", "Tickets called", ["counter"], registry=self.registry)
        self.refusals = Counter(
            "cherha_refusals", "Requests refused, by reason", ["error"], registry=self.registry
        )
        self.notifications = Counter(
            "cherha_notifications",
            "Telegram messages and webhook deliveries: sent, retried later, or given up",
            ["channel", "outcome"],
            registry=self.registry,
        )
        self.sse_clients = Gauge(
            "cherha_event_stream_clients", "Connected event-stream clients", registry=self.registry
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)
