"""Charts of a portfolio report (matplotlib, no display needed): the aged balance as bars and
the encours over the months as a line, as PNG or SVG bytes.

The figures are drawn with :class:`matplotlib.figure.Figure` directly (not ``pyplot``), so
several threads of ``actes serve`` can draw at once; SVG output is made reproducible (no date,
fixed ids) so the same report gives the same file.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, Literal

from actes.portfolio.report import BUCKETS, Report

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["CHARTS", "aged_balance_chart", "chart", "encours_chart"]

Format = Literal["png", "svg"]

CHARTS = {
    "balance_agee": "Balance âgée",
    "encours": "Évolution de l'encours",
}
"""The charts (file stem -> French title)."""

_BARS = ("#7fb3d5", "#f7dc6f", "#f0b27a", "#e59866", "#d35400", "#922b21")
_LINE = "#1f4e79"
# The usual French abbreviations (« nov. », not « nove. »); short names stay whole.


def _euros(value: float, _position: object = None) -> str:
    return f"{value:,.0f}".replace(",", "\u202f") + " €"


def _figure(width: float = 7.5, height: float = 3.6) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(width, height), dpi=110, layout="constrained")
    axes = figure.add_subplot()
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#dddddd", linewidth=0.6)
    axes.set_axisbelow(True)
    return figure, axes


def _save(figure: Figure, fmt: Format) -> bytes:
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "actes", "svg.fonttype": "none"}):
        figure.savefig(
            buffer, format=fmt, metadata={"Date": None} if fmt == "svg" else {"Software": None}
        )
    return buffer.getvalue()


def aged_balance_chart(report: Report, fmt: Format = "png") -> bytes:
    """Bars: the amount due in each aged-balance bucket, with its amount written above."""
    from matplotlib.ticker import FuncFormatter

    figure, axes = _figure()
    labels = [label for _, label in BUCKETS]
    values = [float(report.balance.buckets[key]) for key, _ in BUCKETS]
    bars = axes.bar(labels, values, color=_BARS)
    axes.bar_label(bars, labels=[_euros(v) for v in values], fontsize=8, padding=2)
    axes.yaxis.set_major_formatter(FuncFormatter(_euros))
    axes.set_title(
        f"Principal restant dû par ancienneté au {report.au:%d/%m/%Y} — plus intérêts et "
        f"indemnités {_euros(float(report.balance.accessories))}, total "
        f"{_euros(float(report.total_due))}",
        fontsize=9,
    )
    axes.tick_params(axis="x", labelsize=8)
    axes.margins(y=0.15)
    return _save(figure, fmt)


def encours_chart(report: Report, fmt: Format = "png") -> bytes:
    """Line: the amount due at each month end and on the report's date."""
    from babel.dates import format_date
    from matplotlib.ticker import FuncFormatter

    figure, axes = _figure()
    # Days since the first point on the x axis, so that the report's date (often a few days
    # after the last month end) sits at its true distance, not a month further.
    first = report.encours[0][0]
    days = [(d - first).days for d, _ in report.encours]
    labels = [
        format_date(d, "MMM yy", locale="fr_FR") if d != report.au else f"{d:%d/%m}"
        for d, _ in report.encours
    ]
    values = [float(amount) for _, amount in report.encours]
    axes.plot(days, values, marker="o", color=_LINE)
    axes.fill_between(days, values, color=_LINE, alpha=0.08)
    shown = [i for i in range(len(days)) if i == len(days) - 1 or days[-1] - days[i] > 12]
    axes.set_xticks([days[i] for i in shown], [labels[i] for i in shown])
    axes.yaxis.set_major_formatter(FuncFormatter(_euros))
    axes.set_ylim(bottom=0)
    axes.set_title("Encours (montant dû) en fin de mois", fontsize=10)
    axes.tick_params(axis="x", labelsize=7, rotation=45)
    return _save(figure, fmt)


def chart(name: str, report: Report, fmt: Format = "png") -> bytes:
    """The chart ``name`` (a key of :data:`CHARTS`)."""
    if name == "balance_agee":
        return aged_balance_chart(report, fmt)
    if name == "encours":
        return encours_chart(report, fmt)
    raise KeyError(name)
