"""The desk's dialogs, all by keyboard: Enter does it, Esc closes, arrows pick, a digit picks
and does it. Opened with open() (window-modal, not a nested event loop), so the desk keeps
updating behind them and tests can drive them. Texts from outside are plain text.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from .i18n import Translator
from .panels import plain_label


def _buttons(dialog: QDialog, i18n: Translator) -> QDialogButtonBox:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    ok = box.button(QDialogButtonBox.StandardButton.Ok)
    cancel = box.button(QDialogButtonBox.StandardButton.Cancel)
    ok.setText(i18n.t("dialog.ok"))
    ok.setDefault(True)
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
        prompt = plain_label("prompt", i18n.t("relogin.prompt"))
        self.user = plain_label("field", i18n.t("relogin.user", username=username))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = plain_label("loginError")
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


@dataclass(frozen=True, slots=True)
class Choice:
    """One line of a ChoiceDialog: what it means (`value`) and what it says."""

    value: object
    text: str
    enabled: bool = True


HEADING = object()
"""The value of a line that only heads a group (never chosen)."""


class ChoiceDialog(QDialog):
    """Pick one line (arrows, or its digit 1…9) and Enter; an optional note under the list."""

    chosen = Signal(object, str)  # (the choice's value, the note)

    def __init__(
        self,
        i18n: Translator,
        title: str,
        prompt: str,
        choices: list[Choice],
        *,
        with_note: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.prompt = plain_label("prompt", prompt)
        self.list = QListWidget()
        self.list.setObjectName("choices")
        self._digits: list[int] = []
        for choice in choices:
            heading = choice.value is HEADING
            text = choice.text
            if not heading and choice.enabled and len(self._digits) < 9:
                text = f"{len(self._digits) + 1}. {text}"
            item = QListWidgetItem(text)  # list items never interpret HTML
            item.setData(Qt.ItemDataRole.UserRole, choice)
            if heading or not choice.enabled:
                off = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                item.setFlags(item.flags() & ~off)
            if heading:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
            if not heading and choice.enabled:
                self._digits.append(self.list.count() - 1)
        if self._digits:
            self.list.setCurrentRow(self._digits[0])
        self.list.itemActivated.connect(lambda _item: self._submit())
        self.list.installEventFilter(self)
        self.note: QLineEdit | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.prompt)
        layout.addWidget(self.list, 1)
        if with_note:
            self.note = QLineEdit()
            self.note.setMaxLength(500)  # Enter in it reaches the dialog's default button
            note_label = plain_label("field", i18n.t("dialog.note"))
            note_label.setBuddy(self.note)
            layout.addWidget(note_label)
            layout.addWidget(self.note)
        self.buttons = _buttons(self, i18n)
        self.buttons.accepted.connect(self._submit)
        layout.addWidget(self.buttons)
        self.list.setFocus()
        self.setMinimumSize(640, 420)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            digit = event.key() - Qt.Key.Key_1
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if 0 <= digit < len(self._digits) and plain:
                self.list.setCurrentRow(self._digits[digit])
                self._submit()
                return True
        return super().eventFilter(watched, event)

    def values(self) -> list[object]:
        """The values that can be chosen, in order."""
        return [self._choice(row).value for row in self._digits]

    def select(self, value: object) -> None:
        for row in self._digits:
            if self._choice(row).value == value:
                self.list.setCurrentRow(row)
                return
        raise LookupError(value)

    def _choice(self, row: int) -> Choice:
        choice = self.list.item(row).data(Qt.ItemDataRole.UserRole)
        assert isinstance(choice, Choice)
        return choice

    def _submit(self) -> None:
        # Enter on the list both activates the item and reaches the default button: once only.
        row = self.list.currentRow()
        if row not in self._digits or self.result() == QDialog.DialogCode.Accepted:
            return
        note = self.note.text().strip() if self.note is not None else ""
        self.chosen.emit(self._choice(row).value, note)
        self.accept()


class ReasonDialog(QDialog):
    """A reason picked from a short list (arrows) or typed; Enter with at least 3 characters."""

    chosen = Signal(str)

    def __init__(
        self,
        i18n: Translator,
        title: str,
        prompt: str,
        presets: list[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.i18n = i18n
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.prompt = plain_label("prompt", prompt)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.reason.addItems(presets)
        self.reason.setCurrentIndex(-1)
        self.reason.setEditText("")
        line = self.reason.lineEdit()
        assert line is not None
        line.setMaxLength(200)  # Enter in it reaches the dialog's default button
        self.error = plain_label("loginError")
        self.buttons = _buttons(self, i18n)
        self.buttons.accepted.connect(self._submit)
        layout = QVBoxLayout(self)
        for widget in (self.prompt, self.reason, self.error, self.buttons):
            layout.addWidget(widget)
        self.reason.setFocus()
        self.setMinimumWidth(640)

    def _submit(self) -> None:
        text = " ".join(self.reason.currentText().split())
        if self.result() == QDialog.DialogCode.Accepted:
            return
        if len(text) < 3:
            self.error.setText(self.i18n.t("reason.short"))
            self.reason.setFocus()
            return
        self.chosen.emit(text)
        self.accept()
