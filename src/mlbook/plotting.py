"""The book's one plotting style, so every figure looks like it belongs to the same book.

Figure text is English (no CJK fonts are needed); captions live in the prose cells.
"""
from __future__ import annotations

from typing import Any

#: Colours used across the book, in order (colour-blind safe, after Okabe & Ito).
PALETTE: tuple[str, ...] = (
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000",
)

STYLE: dict[str, Any] = {
    "figure.figsize": (6.0, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "savefig.bbox": "tight",
    "font.size": 10,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "image.cmap": "viridis",
}


def use_style() -> None:
    """Apply the book's matplotlib style (figure size, grid, colour cycle) to all later figures."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(STYLE)
    mpl.rcParams["axes.prop_cycle"] = cycler(color=list(PALETTE))


def figure_to_png(fig: "matplotlib.figure.Figure", *, dpi: int = 80) -> bytes:  # noqa: F821
    """Render a matplotlib figure to PNG bytes and close it (used for precomputed frames)."""
    import io

    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()
