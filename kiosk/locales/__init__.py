"""Message catalogues, one module per language (see kiosk/i18n.py)."""
