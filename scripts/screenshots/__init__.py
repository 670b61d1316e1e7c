"""Documentation tools: screenshots of the kiosk and the desk (not shipped)."""
