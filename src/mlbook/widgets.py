"""Interactive figures that work in a live kernel *and* on the static website.

``flipbook(draw, lr=[...])`` returns an ipywidgets control built around a function that
draws one matplotlib figure for one choice of parameters.

* **Live** (Jupyter, Colab, any kernel): each control accepts any value in its range (a
  continuous slider for numbers, a menu for labels) and the figure is redrawn by calling
  ``draw`` in the kernel.
* **Static** (the website, built with no kernel behind it): ``draw`` is called once for
  every point of the grid at build time; the frames are stored in nested ``Stack`` widgets
  and each control is linked to them *in the browser* with ``jslink``, so moving a slider
  flips frames with no kernel at all.

The mode is chosen by the environment variable ``MLBOOK_WIDGETS`` (``static`` or ``live``,
default ``live``); the book's build sets ``static``.
"""
from __future__ import annotations

import itertools
import math
import os
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .plotting import figure_to_png

MAX_FRAMES = 400


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def _label(v: Any) -> str:
    return f"{v:g}" if _is_number(v) else str(v)


def _resolve_mode(live: bool | None) -> bool:
    if live is not None:
        return bool(live)
    mode = os.environ.get("MLBOOK_WIDGETS", "live").strip().lower()
    if mode not in ("live", "static"):
        raise ValueError(f"MLBOOK_WIDGETS must be 'live' or 'static', got {mode!r}")
    return mode == "live"


def _check_grids(grids: dict[str, Sequence[Any]]) -> dict[str, list[Any]]:
    if not grids:
        raise ValueError("flipbook needs at least one parameter grid, e.g. flipbook(draw, lr=[0.1, 0.5])")
    out: dict[str, list[Any]] = {}
    for name, values in grids.items():
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError(f"the grid for {name!r} must be a sequence of values, got {values!r}")
        values = list(values)
        if not values:
            raise ValueError(f"the grid for {name!r} is empty")
        if len({_label(v) for v in values}) != len(values):
            raise ValueError(f"the grid for {name!r} has repeated values: {values!r}")
        numeric = [_is_number(v) for v in values]
        if any(numeric) and not all(numeric):
            raise TypeError(f"the grid for {name!r} mixes numbers and labels: {values!r}")
        if all(numeric) and not all(math.isfinite(float(v)) for v in values):
            raise ValueError(f"the grid for {name!r} contains NaN or infinity")
        out[name] = values
    n_frames = math.prod(len(v) for v in out.values())
    if n_frames > MAX_FRAMES:
        raise ValueError(f"the grids make {n_frames} frames; at most {MAX_FRAMES} are precomputed")
    return out


def _render(draw: Callable[..., Any], params: dict[str, Any], dpi: int) -> bytes:
    import matplotlib.pyplot as plt

    fig = draw(**params)
    if fig is None:
        fig = plt.gcf()
    if not hasattr(fig, "savefig"):
        raise TypeError(f"draw must return a matplotlib Figure (or None after drawing), got {type(fig).__name__}")
    return figure_to_png(fig, dpi=dpi)


def _static_control(values: list[Any], label: str):
    import ipywidgets as w

    options = [(_label(v), i) for i, v in enumerate(values)]
    if all(_is_number(v) for v in values):
        ctl = w.SelectionSlider(options=options, value=0, description=label, continuous_update=True,
                                style={"description_width": "initial"}, layout=w.Layout(width="420px"))
    else:
        ctl = w.ToggleButtons(options=options, value=0, description=label,
                              style={"description_width": "initial", "button_width": "auto"})
    return ctl


def _live_control(values: list[Any], label: str):
    import ipywidgets as w

    style = {"description_width": "initial"}
    if not all(_is_number(v) for v in values) or len(values) == 1:
        return w.Dropdown(options=[(_label(v), v) for v in values], value=values[0],
                          description=label, style=style)
    lo, hi = float(min(values)), float(max(values))
    if all(isinstance(v, (int, np.integer)) for v in values):
        return w.IntSlider(value=int(values[0]), min=int(lo), max=int(hi), step=1, description=label,
                           continuous_update=False, style=style, layout=w.Layout(width="420px"))
    if lo > 0 and hi / lo > 50:  # log-spaced grid: slide in log space
        return w.FloatLogSlider(value=float(values[0]), base=10, min=math.log10(lo), max=math.log10(hi),
                                step=(math.log10(hi) - math.log10(lo)) / 200, description=label,
                                continuous_update=False, readout_format=".3g", style=style,
                                layout=w.Layout(width="420px"))
    return w.FloatSlider(value=float(values[0]), min=lo, max=hi, step=(hi - lo) / 200, description=label,
                         continuous_update=False, readout_format=".3g", style=style,
                         layout=w.Layout(width="420px"))


def flipbook(draw: Callable[..., Any], /, *, labels: dict[str, str] | None = None, dpi: int = 80,
             live: bool | None = None, **grids: Sequence[Any]):
    """Make an interactive figure from a drawing function and a grid of parameter values.

    Parameters
    ----------
    draw : callable
        ``draw(**params)`` draws one figure and returns it (or returns None and leaves it current).
    labels : dict, optional
        Text shown beside each control, by parameter name (default: the name).
    dpi : int, default 80
        Resolution of the rendered frames.
    live : bool, optional
        Force the live (kernel) or static (precomputed) form; by default ``MLBOOK_WIDGETS`` decides.
    **grids : sequence
        One sequence of values per parameter of ``draw``. Numbers get a slider, labels get buttons.
        In the static form every combination is drawn, so keep the product small (≤ 400).

    Returns
    -------
    ipywidgets.VBox
        The controls above the figure, with ``.controls`` (dict by name), ``.live`` (bool) and
        ``.n_frames``; in the static form also ``.links``, the browser-side links from each
        control to its stacks of frames.
    """
    import ipywidgets as w

    if not callable(draw):
        raise TypeError(f"draw must be callable, got {type(draw).__name__}")
    grids = _check_grids(dict(grids))
    labels = dict(labels or {})
    unknown = set(labels) - set(grids)
    if unknown:
        raise ValueError(f"labels given for unknown parameters {sorted(unknown)}; the grids are {sorted(grids)}")
    names = list(grids)
    text = {n: labels.get(n, n) for n in names}

    if _resolve_mode(live):
        controls = {n: _live_control(grids[n], text[n]) for n in names}
        image = w.Image(format="png", value=_render(draw, {n: c.value for n, c in controls.items()}, dpi))

        def redraw(_change: Any = None) -> None:
            image.value = _render(draw, {n: c.value for n, c in controls.items()}, dpi)

        for c in controls.values():
            c.observe(redraw, names="value")
        box = w.VBox([*controls.values(), image])
        box.controls, box.live, box.n_frames = controls, True, 1
        return box

    controls = {n: _static_control(grids[n], text[n]) for n in names}

    links = []

    def build(level: int, fixed: dict[str, Any]):
        name = names[level]
        children = []
        for v in grids[name]:
            params = {**fixed, name: v}
            if level + 1 == len(names):
                children.append(w.Image(format="png", value=_render(draw, params, dpi)))
            else:
                children.append(build(level + 1, params))
        stack = w.Stack(children, selected_index=0)
        links.append(w.jslink((controls[name], "index"), (stack, "selected_index")))
        return stack

    root = build(0, {})
    box = w.VBox([*controls.values(), root])
    box.controls, box.live, box.links = controls, False, links
    box.n_frames = math.prod(len(v) for v in grids.values())
    return box


def grid_points(**grids: Sequence[Any]) -> list[dict[str, Any]]:
    """Every combination of the grids as a list of parameter dicts (the frames' order)."""
    grids = _check_grids(dict(grids))
    return [dict(zip(grids, combo)) for combo in itertools.product(*grids.values())]
