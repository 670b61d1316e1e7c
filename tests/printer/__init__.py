"""Tests of the printer package (layouts, ESC/POS bytes, transports, CLI)."""
