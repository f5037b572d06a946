"""Persistence behind the interfaces the core defines (TinyDB lives here and only here)."""
