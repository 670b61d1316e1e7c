"""The names of the events a webhook may ask for (`cherha-server webhook add --events`).

Apart from the notification senders so that the command line lists them without loading them.
"""

from __future__ import annotations

# Webhook event names: the event types, and printer_fault for a printer that stops printing.
WEBHOOK_EVENTS = (
    "ticket_issued",
    "ticket_called",
    "ticket_recalled",
    "ticket_transferred",
    "ticket_finished",
    "ticket_no_show",
    "ticket_cancelled",
    "booking_created",
    "booking_cancelled",
    "booking_checked_in",
    "booking_no_show",
    "booking_running_late",
    "branch_paused",
    "branch_resumed",
    "printer_fault",
    "device_status",
)
