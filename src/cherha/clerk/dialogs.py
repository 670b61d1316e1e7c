"""Two small dialogs: the password after an expired session, and the service to transfer to.

Both are opened with open() (window-modal, not a nested event loop), so the desk keeps
updating behind them and tests can drive them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from cherha.wire import Service

from .i18n import Translator


def _buttons(dialog: QDialog, i18n: Translator) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    ok.setText(i18n.t("dialog.ok"))
    cancel.setText(i18n.t("dialog.cancel"))
    box.rejected.connect(dialog.reject)
    return box


class PasswordDialog(QDialog):
    """The username is fixed; only the password is asked. Stays open until it is accepted."""

    submitted = Signal(str)

    def __init__(self, i18n: Translator, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(i18n.t("relogin.title"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        prompt = QLabel(i18n.t("relogin.prompt"))
        prompt.setWordWrap(True)
        self.user = QLabel(i18n.t("relogin.user", username=username))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setObjectName("loginError")
        self.error.setWordWrap(True)
        self.buttons = _buttons(self, i18n)
        self.buttons.accepted.connect(self._submit)
        layout = QVBoxLayout(self)
        for widget in (prompt, self.user, self.password, self.error, self.buttons):
            layout.addWidget(widget)
        self.password.setFocus()
        self.setMinimumWidth(520)

    def _submit(self) -> None:
        if self.password.text():
            self.error.clear()
            self.buttons.setEnabled(False)
            self.submitted.emit(self.password.text())

    def set_error(self, text: str) -> None:
        self.error.setText(text)
        self.password.clear()
        self.password.setFocus()
        self.buttons.setEnabled(True)


class TransferDialog(QDialog):
    """A list of the branch's services (except the ticket's own); Enter picks one."""

    chosen = Signal(int)

    def __init__(
        self,
        i18n: Translator,
        number: str,
        services: list[Service],
        current_service_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(i18n.t("transfer.title"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        prompt = QLabel(i18n.t("transfer.prompt", number=number))
        prompt.setWordWrap(True)
        self.list = QListWidget()
        for service in services:
            if service.id == current_service_id or not service.active:
                continue
            item = QListWidgetItem(f"{service.prefix} · {service.name(i18n.language)}")
            item.setData(Qt.ItemDataRole.UserRole, service.id)
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self._submit())
        buttons = _buttons(self, i18n)
        buttons.accepted.connect(self._submit)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.list.setFocus()
        self.setMinimumSize(640, 520)

    def select_service(self, service_id: int) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == service_id:
                self.list.setCurrentRow(row)
                return
        raise LookupError(service_id)

    def _submit(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.chosen.emit(int(item.data(Qt.ItemDataRole.UserRole)))
            self.accept()
