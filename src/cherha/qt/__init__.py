"""Qt pieces the kiosk and the desk share: jobs off the GUI thread, the event stream as signals.

Only the apps import this package; `cherha.client` itself knows no Qt.
"""
