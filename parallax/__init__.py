"""Parallax: who said what, when, reported by whom, and how each side tells it."""

__version__ = "0.1.0"
