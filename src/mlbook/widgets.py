"""Interactive figures that work in a live kernel *and* on the static website.

``flipbook(draw, lr=Range(0.01, 0.2), surface=["bowl", "valley"])`` returns an ipywidgets control
built around a function that draws one matplotlib figure for one choice of parameters.

Each parameter is declared in one of two ways, and the declaration says what ``draw`` can draw:

* a **list of values** (``depth=[1, 2, 4]``, ``surface=["bowl", "valley"]``): ``draw`` can draw
  exactly these (for instance because it looks results up in a table computed in advance). The
  control offers exactly these values, live and on the website: a selection slider for numbers,
  buttons for labels.
* a :class:`Range` (``lr=Range(0.01, 0.2)``): ``draw`` computes any value between the ends. Live,
  the control is a continuous slider (logarithmic with ``log=True``, whole numbers with
  ``integer=True``); on the website it offers ``Range.frames`` values, drawn in advance.

So a live control never offers a value its drawing function cannot draw.

* **Live** (Jupyter, Colab, any kernel): the figure is redrawn by calling ``draw`` in the kernel.
* **Static** (the website, built with no kernel behind it): ``draw`` is called once for every
  point of the grid at build time; the frames are stored in nested ``Stack`` widgets and each
  control is linked to them *in the browser* with ``jslink``, so moving a slider flips frames with
  no kernel at all.

The mode is chosen by the environment variable ``MLBOOK_WIDGETS`` (``static`` or ``live``,
default ``live``); the book's build sets ``static``.

``draw`` must not read notebook globals that later cells change: after "Run All" the reader moves
the control with the notebook's *last* state in memory. Bind what ``draw`` needs when the widget
is built (a function that returns the drawing function, or default arguments).
:func:`exercise` moves every control to its ends and back, as a reader would, and the book's
tests call it on every flipbook after running the whole notebook.
"""
from __future__ import annotations

import itertools
import math
import os
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .plotting import figure_to_png

__all__ = ["Range", "flipbook", "grid_points", "exercise", "built"]

MAX_FRAMES = 400
_BUILT: list[weakref.ref] = []


@dataclass(frozen=True)
class Range:
    """A parameter that the drawing function computes at any value between ``low`` and ``high``.

    Parameters
    ----------
    low, high : float
        The ends of the range, both included; ``low < high``.
    frames : int or sequence of numbers, default 9
        The values the static website shows: how many, spaced evenly (geometrically with ``log``),
        ends included; or the values themselves, to put frames where the picture changes (each
        inside the range).
    log : bool, default False
        Slide on a logarithmic scale (``0 < low``): right for learning rates and weight scales.
    integer : bool, default False
        Whole numbers only (a depth, a number of steps).
    start : float, optional
        The value shown first (default ``low``); on the static website, the frame nearest to it.
    """

    low: float
    high: float
    frames: int | tuple[float, ...] = 9
    log: bool = False
    integer: bool = False
    start: float | None = None

    def __post_init__(self) -> None:
        for name in ("low", "high"):
            v = getattr(self, name)
            if not _is_number(v) or not math.isfinite(float(v)):
                raise ValueError(f"Range.{name} must be a finite number, got {v!r}")
        if not float(self.low) < float(self.high):
            raise ValueError(f"Range needs low < high, got low={self.low!r}, high={self.high!r}")
        if self.log and float(self.low) <= 0:
            raise ValueError(f"a logarithmic Range needs low > 0, got low={self.low!r}")
        if self.integer and (float(self.low) != int(self.low) or float(self.high) != int(self.high)):
            raise ValueError(f"an integer Range needs whole-number ends, got {self.low!r} and {self.high!r}")
        if isinstance(self.frames, (list, tuple, np.ndarray)):
            object.__setattr__(self, "frames", tuple(self.frames))
            outside = [v for v in self.frames if not (_is_number(v) and self.low <= v <= self.high)]
            if outside or not self.frames:
                raise ValueError(f"Range.frames must be numbers inside [{self.low!r}, {self.high!r}], got {outside or '[]'}")
        elif not isinstance(self.frames, (int, np.integer)) or self.frames < 2:
            raise ValueError(f"Range.frames must be an integer >= 2 or a list of values, got {self.frames!r}")
        if self.start is not None and not float(self.low) <= float(self.start) <= float(self.high):
            raise ValueError(f"Range.start = {self.start!r} lies outside [{self.low!r}, {self.high!r}]")

    def grid(self) -> list[float] | list[int]:
        """The values the static website shows."""
        if isinstance(self.frames, tuple):
            return [int(v) for v in self.frames] if self.integer else [float(v) for v in self.frames]
        lo, hi = float(self.low), float(self.high)
        pts = np.geomspace(lo, hi, self.frames) if self.log else np.linspace(lo, hi, self.frames)
        if self.integer:
            return sorted({int(round(v)) for v in pts})
        short = [float(f"{v:.3g}") if 0.001 <= abs(v) < 1e4 else float(v) for v in pts]  # readable labels
        return [r if lo <= r <= hi else float(v) for r, v in zip(short, pts)]      # never outside the range

    @property
    def initial(self) -> float | int:
        v = self.low if self.start is None else self.start
        return int(v) if self.integer else float(v)


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


def _check_grids(grids: dict[str, Any]) -> dict[str, list[Any]]:
    """Each parameter's static frames, checked; a Range contributes ``Range.grid()``."""
    if not grids:
        raise ValueError("flipbook needs at least one parameter, e.g. flipbook(draw, lr=[0.1, 0.5])")
    out: dict[str, list[Any]] = {}
    for name, values in grids.items():
        if isinstance(values, Range):
            values = values.grid()
        elif isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError(f"the values for {name!r} must be a list of values or a Range, got {values!r}")
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


_STYLE = {"description_width": "initial"}


def _grid_control(values: list[Any], label: str, *, by_index: bool, start: int = 0):
    """Offers exactly the grid's values. ``by_index``: the value is the position (for jslink).
    ``start``: the position shown first."""
    import ipywidgets as w

    options = [(_label(v), i if by_index else v) for i, v in enumerate(values)]
    first = options[start][1]
    if all(_is_number(v) for v in values):
        return w.SelectionSlider(options=options, value=first, description=label, continuous_update=True,
                                 style=_STYLE, layout=w.Layout(width="420px"))
    return w.ToggleButtons(options=options, value=first, description=label,
                           style={**_STYLE, "button_width": "auto"})


def _start_index(spec: Any, grid: list[Any]) -> int:
    """The frame shown first: for a Range with ``start``, the frame nearest to it; otherwise the first."""
    if not isinstance(spec, Range) or spec.start is None:
        return 0
    key = (lambda v: abs(math.log(v) - math.log(spec.initial))) if spec.log else (lambda v: abs(v - spec.initial))
    return min(range(len(grid)), key=lambda i: key(grid[i]))


def _range_control(spec: Range, label: str):
    """A continuous control over the whole range: the drawing function computes any value."""
    import ipywidgets as w

    lo, hi = float(spec.low), float(spec.high)
    common = dict(description=label, continuous_update=False, style=_STYLE, layout=w.Layout(width="420px"))
    if spec.integer:
        return w.IntSlider(value=int(spec.initial), min=int(lo), max=int(hi), step=1, **common)
    if spec.log:
        return w.FloatLogSlider(value=spec.initial, base=10, min=math.log10(lo), max=math.log10(hi),
                                step=(math.log10(hi) - math.log10(lo)) / 200, readout_format=".3g", **common)
    return w.FloatSlider(value=spec.initial, min=lo, max=hi, step=(hi - lo) / 200, readout_format=".3g", **common)


def flipbook(draw: Callable[..., Any], /, *, labels: dict[str, str] | None = None, dpi: int = 80,
             live: bool | None = None, **params: Sequence[Any] | Range):
    """Make an interactive figure from a drawing function and the values of its parameters.

    Parameters
    ----------
    draw : callable
        ``draw(**params)`` draws one figure and returns it (or returns None and leaves it current).
        It must depend only on its arguments and on what was bound when it was defined, not on
        notebook globals that later cells change.
    labels : dict, optional
        Text shown beside each control, by parameter name (default: the name).
    dpi : int, default 80
        Resolution of the rendered frames.
    live : bool, optional
        Force the live (kernel) or static (precomputed) form; by default ``MLBOOK_WIDGETS`` decides.
    **params : list or Range
        One entry per parameter of ``draw``. A list: ``draw`` can draw exactly these values, and
        the control offers exactly these (a slider for numbers, buttons for labels). A
        :class:`Range`: ``draw`` computes any value in it, and the live control is continuous.
        In the static form every combination of the grids is drawn, so keep the product small (≤ 400).

    Returns
    -------
    ipywidgets.VBox
        The controls above the figure, with ``.controls`` (dict by name), ``.live`` (bool),
        ``.n_frames``, ``.params`` (the declarations) and ``.draw``; in the static form also
        ``.links``, the browser-side links from each control to its stacks of frames.
    """
    import ipywidgets as w

    if not callable(draw):
        raise TypeError(f"draw must be callable, got {type(draw).__name__}")
    params = dict(params)
    grids = _check_grids(params)
    labels = dict(labels or {})
    unknown = set(labels) - set(grids)
    if unknown:
        raise ValueError(f"labels given for unknown parameters {sorted(unknown)}; the parameters are {sorted(grids)}")
    names = list(grids)
    text = {n: labels.get(n, n) for n in names}

    if _resolve_mode(live):
        controls = {n: _range_control(params[n], text[n]) if isinstance(params[n], Range)
                    else _grid_control(grids[n], text[n], by_index=False) for n in names}
        image = w.Image(format="png", value=_render(draw, {n: c.value for n, c in controls.items()}, dpi))

        def redraw(_change: Any = None) -> None:
            image.value = _render(draw, {n: c.value for n, c in controls.items()}, dpi)

        for c in controls.values():
            c.observe(redraw, names="value")
        box = w.VBox([*controls.values(), image])
        box.controls, box.live, box.n_frames = controls, True, 1
        box.params, box.draw = params, draw
        _BUILT.append(weakref.ref(box))
        return box

    starts = {n: _start_index(params[n], grids[n]) for n in names}      # a Range's start: its nearest frame
    # region: static form
    controls = {n: _grid_control(grids[n], text[n], by_index=True, start=starts[n]) for n in names}
    links = []

    def build(level: int, fixed: dict[str, Any]):
        name = names[level]
        children = []
        for v in grids[name]:
            point = {**fixed, name: v}
            if level + 1 == len(names):
                children.append(w.Image(format="png", value=_render(draw, point, dpi)))
            else:
                children.append(build(level + 1, point))
        stack = w.Stack(children, selected_index=starts[name])
        links.append(w.jslink((controls[name], "index"), (stack, "selected_index")))
        return stack

    root = build(0, {})
    # endregion
    box = w.VBox([*controls.values(), root])
    box.controls, box.live, box.links = controls, False, links
    box.params, box.draw = params, draw
    box.n_frames = math.prod(len(v) for v in grids.values())
    _BUILT.append(weakref.ref(box))
    return box


def grid_points(**params: Sequence[Any] | Range) -> list[dict[str, Any]]:
    """Every combination of the static grids as a list of parameter dicts (the frames' order)."""
    grids = _check_grids(dict(params))
    return [dict(zip(grids, combo)) for combo in itertools.product(*grids.values())]


def _probe_values(control) -> list[Any]:
    """A reader's moves: the lowest value, the highest, one step above the lowest, one in between."""
    if hasattr(control, "options") and not hasattr(control, "min"):
        values = [v for _, v in control.options] if isinstance(control.options[0], tuple) else list(control.options)
        picks = [values[0], values[-1], values[min(1, len(values) - 1)], values[len(values) // 2]]
        picks += values if len(values) <= 4 else []
    elif type(control).__name__ == "FloatLogSlider":
        lo, hi, st = control.min, control.max, control.step
        picks = [control.base ** e for e in (lo, hi, lo + st, (lo + hi) / 2)]
    else:
        lo, hi, st = control.min, control.max, control.step
        mid = (lo + hi) / 2
        picks = [lo, hi, lo + st, int(mid) if isinstance(lo, int) else mid]
    out: list[Any] = []
    for v in picks:
        if not any(v == u for u in out):
            out.append(v)
    return out


def exercise(box) -> list[dict[str, Any]]:
    """Move every control of a live flipbook as a reader would, redrawing each time.

    Each control in turn is set to its lowest value, its highest, one step above the lowest and a
    value in between (every option, for a control with at most four), the others staying where
    they are; then it returns to its first value. Returns the settings drawn.

    Raises
    ------
    RuntimeError
        When a redraw fails, naming the setting; the drawing function's error is the cause.
    """
    if not getattr(box, "live", False):
        raise ValueError("exercise moves the controls of a live flipbook (built with live=True)")
    drawn = []
    for name, control in box.controls.items():
        first = control.value
        for value in _probe_values(control):
            setting = {n: c.value for n, c in box.controls.items()} | {name: value}
            try:
                control.value = value
            except Exception as exc:  # the drawing function's error, with the setting that caused it
                raise RuntimeError(f"redrawing {box.draw.__name__} failed at {setting}: "
                                   f"{type(exc).__name__}: {exc}") from exc
            drawn.append({n: c.value for n, c in box.controls.items()})
        control.value = first
    return drawn


def built() -> list[Any]:
    """The flipbooks built so far in this process and still alive, oldest first."""
    alive = [b for ref in _BUILT if (b := ref()) is not None]
    _BUILT[:] = [weakref.ref(b) for b in alive]
    return alive
