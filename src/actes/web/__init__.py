"""``actes serve``: a local web page over a folder of cases (see ``docs/web.md``)."""

from __future__ import annotations

from actes.web.app import create_app

__all__ = ["create_app"]


def __dir__() -> list[str]:
    return __all__
