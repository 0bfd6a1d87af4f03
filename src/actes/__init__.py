"""actes: French debt recovery, from one case file to the legal documents it needs."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
