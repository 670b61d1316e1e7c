"""Cherha's visitor kiosk: a full-screen touch application that issues and prints tickets."""
