"""The priority question lists the centre's categories: one list, the hall's and the kiosk's.

The centre sets its legal priority categories in its centre file (`[centre]
priority_categories`); the server serves them in GET /api/v1/branch (and the hall's board), and
the kiosk asks exactly those. A change of the centre's list reaches a running kiosk on its next
refresh; a centre with no list gets no priority question.
"""

from __future__ import annotations

import httpx

from cherha.server.store.centre import load_centre
from cherha.server.store.db import Database
from cherha.wire import PriorityCategory
from tests.helpers.app import Centre
from tests.helpers.clerk_server import RestartableServer
from tests.helpers.templates import sample_centre

from .conftest import CATEGORIES, TIMEOUT, WITH_CATEGORIES, Kiosk, KioskFactory, with_categories


def listed(categories: tuple[PriorityCategory, ...], language: str) -> str:
    """The priority screen's list as the visitor reads it."""
    return "\n".join(f"•  {c.en if language == 'en' else c.uk}" for c in categories)


def the_centre_lists(centre: Centre, categories: tuple[PriorityCategory, ...]) -> None:
    """What `cherha-server load-centre` does with the centre file, this list in it."""
    db = Database(centre.database_url)
    try:
        load_centre(db, with_categories(sample_centre(), categories))
    finally:
        db.dispose()


def the_hall_lists(server: RestartableServer) -> list[dict[str, str]]:
    """The categories the hall display's legend is drawn from (its board)."""
    board = httpx.get(f"{server.url}/api/v1/board", timeout=10).json()
    categories: list[dict[str, str]] = board["branch"]["priority_categories"]
    return categories


def to_priority_question(kiosk: Kiosk) -> None:
    kiosk.to_services(group_index=0)
    kiosk.tap(kiosk.w.services_page.cards[0])
    kiosk.wait_screen("priority")


@WITH_CATEGORIES
def test_the_kiosk_asks_the_centre_s_categories_and_follows_a_change(
    make_kiosk: KioskFactory, server: RestartableServer, centre: Centre
) -> None:
    kiosk = make_kiosk()
    kiosk.wait_ready()
    page = kiosk.w.priority_page
    assert the_hall_lists(server) == [c.model_dump() for c in CATEGORIES]

    to_priority_question(kiosk)
    assert page.categories.text() == listed(CATEGORIES, "uk")
    kiosk.tap(kiosk.w.lang_button)
    assert page.categories.text() == listed(CATEGORIES, "en")

    # The centre changes its list; the kiosk on the question shows the new one by itself.
    changed = (
        CATEGORIES[2],
        PriorityCategory(uk="Ветерани війни", en="War veterans"),
    )
    the_centre_lists(centre, changed)
    assert the_hall_lists(server) == [c.model_dump() for c in changed]
    kiosk.qtbot.waitUntil(lambda: page.categories.text() == listed(changed, "en"), timeout=TIMEOUT)
    kiosk.tap(kiosk.w.lang_button)
    assert page.categories.text() == listed(changed, "uk")
    kiosk.tap(page.yes)
    kiosk.wait_screen("ticket")
    assert kiosk.c.ticket is not None
    assert kiosk.c.ticket.number.startswith("П")

    # The centre lists none: the hall explains «П» without a list, and the kiosk asks nothing.
    the_centre_lists(centre, ())
    assert the_hall_lists(server) == []
    kiosk.qtbot.waitUntil(lambda: kiosk.c.priority_categories == (), timeout=TIMEOUT)
    kiosk.tap(kiosk.w.ticket_page.done_button)
    kiosk.wait_screen("start")
    kiosk.take_ticket()  # one tap on the service: the ticket, no question
    assert kiosk.c.ticket is not None
    assert kiosk.c.ticket.lane == "ordinary"
    assert kiosk.c.ticket.number == "А001"
