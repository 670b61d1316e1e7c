"""DeskController: the desk's three jobs made and wired together.

`session` (login, clients, event stream, online), `live` (what is on screen, kept in step with
the server) and `actions` (what the clerk does). The controller adds what needs all three:
which actions are available now (the view enables exactly these, so a key never surprises),
the selection in the waiting list, the language, and shutting down.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from cherha.client import ServerClock

from .actions import DeskActions
from .desk import available_actions, idle_hint
from .i18n import Translator
from .live import LiveDesk
from .session import DeskSession
from .settings import StateStore


class DeskController(QObject):
    actions_changed = Signal(dict)  # action name -> available
    hint_changed = Signal(str)  # i18n key of what to do when nobody is at the window
    notice = Signal(str, str)  # ("info" | "error" | "offline", text)

    def __init__(
        self,
        store: StateStore,
        i18n: Translator,
        *,
        server_url: str | None = None,
        stream_max_delay: float = 15.0,
        refresh_delay_ms: int = 250,
        clock: ServerClock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.i18n = i18n
        self.session = DeskSession(
            store,
            i18n,
            server_url=server_url,
            stream_max_delay=stream_max_delay,
            clock=clock,
            parent=self,
        )
        self.live = LiveDesk(self.session, refresh_delay_ms=refresh_delay_ms, parent=self)
        self.actions = DeskActions(self.session, self.live, parent=self)
        self.selected: int | None = None
        """The ticket chosen in the waiting list (F11 cancels it, F12 calls it)."""
        s, live = self.session, self.live
        for signal in (
            s.logged_in,
            s.logged_out,
            s.asking_changed,
            live.ticket_changed,
            live.counter_changed,
            live.branch_changed,
            live.no_shows_changed,
            live.refreshed,
            self.actions.busy_changed,
        ):
            signal.connect(self.publish)
        s.online_changed.connect(self._online)
        s.relogged_in.connect(lambda: self.notice.emit("info", i18n.t("msg.relogged")))
        s.relogin_cancelled.connect(lambda: self.notice.emit("error", i18n.t("relogin.cancelled")))
        self.actions.notice.connect(self.notice)

    @property
    def busy(self) -> bool:
        return self.actions.busy

    def available(self) -> dict[str, bool]:
        s, live = self.session, self.live
        return available_actions(
            user=s.user,
            ready=s.user is not None and not self.busy and not s.asking_password,
            online=s.online,
            counter=live.counter,
            ticket=live.ticket,
            branch=live.branch,
            has_no_show=bool(live.returnable),
            selected=self.selected,
        )

    def publish(self, *_args: object) -> None:
        self.actions_changed.emit(self.available())
        self.hint_changed.emit(
            idle_hint(
                online=self.session.online,
                counter=self.live.counter,
                mine=self.live.holds_counter(),
                branch=self.live.branch,
            )
        )

    def _online(self, online: bool) -> None:
        if online:
            self.notice.emit("reconnected", self.i18n.t("msg.reconnected"))
        self.publish()

    def select(self, ticket_id: int | None) -> None:
        if ticket_id != self.selected:
            self.selected = ticket_id
            self.publish()

    def set_language(self, language: str) -> None:
        self.i18n.set_language(language)
        self.session.state.language = self.i18n.language
        self.session.save()
        self.live.publish_waiting()
        self.publish()

    def toggle_language(self) -> None:
        self.set_language("en" if self.i18n.language == "uk" else "uk")

    def shutdown(self) -> None:
        """Stop timers, the listener and the workers (the window stays as it is on the server)."""
        self.live.shutdown()
        self.actions.shutdown()
        self.session.shutdown()
