"""Drawing a fitted tree and the decision regions of any fitted 2-D classifier."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..plotting import PALETTE
from ..validation import check_is_fitted


def plot_tree(model: Any, *, feature_names: Sequence[str] | None = None, class_names: Sequence[str] | None = None,
              ax: Any = None, fontsize: int = 7) -> Any:
    """Draw a fitted :class:`DecisionTreeClassifier` or :class:`DecisionTreeRegressor` as boxes and edges.

    Leaves are placed left to right in order; each internal node sits above the middle of its
    children. Internal boxes show the test ``x_j <= threshold``; every box shows the sample count
    and the prediction (majority class or mean). Returns the matplotlib Axes.
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection

    check_is_fitted(model, "tree_")
    t = model.tree_
    depth = t.depth()
    ax = ax if ax is not None else plt.subplots(figsize=(min(2 + 1.1 * t.n_leaves(), 14), 1.2 + 1.1 * depth))[1]
    # leaves get consecutive x positions from left to right (a left-first walk with a stack);
    # each internal node sits above the middle of its children, which have larger ids
    xs = np.zeros(t.node_count)
    depths = np.zeros(t.node_count, dtype=int)
    n_placed, stack = 0, [0]
    while stack:
        node = stack.pop()
        if t.left[node] == -1:
            xs[node] = n_placed
            n_placed += 1
        else:
            depths[t.left[node]] = depths[t.right[node]] = depths[node] + 1
            stack += [t.right[node], t.left[node]]
    for node in range(t.node_count - 1, -1, -1):  # children before parents
        if t.left[node] != -1:
            xs[node] = (xs[t.left[node]] + xs[t.right[node]]) / 2
    classifier = hasattr(model, "classes_")
    edges = []  # one LineCollection for all edges: fast for large trees
    for node, x in enumerate(xs):
        y = -depths[node]
        if t.left[node] != -1:
            edges += [[(x, y), (xs[child], -depths[child])] for child in (t.left[node], t.right[node])]
            name = feature_names[t.feature[node]] if feature_names is not None else f"x{t.feature[node]}"
            text = f"{name} <= {t.threshold[node]:.3g}\n"
        else:
            text = ""
        if classifier:
            k = int(np.argmax(t.value[node]))
            label = class_names[k] if class_names is not None else str(model.classes_[k])
            text += f"n={t.n_samples[node]}\n{label}"
            colour = PALETTE[k % len(PALETTE)]
        else:
            mean = t.value[node][0]
            text += f"n={t.n_samples[node]}\nmean={mean:.3g}"
            colour = PALETTE[0]
        ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, zorder=2,
                bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=colour, lw=1.5))
    ax.add_collection(LineCollection(edges, colors="0.6", linewidths=1, zorder=1))
    ax.set_xlim(-0.7, n_placed - 0.3)
    ax.set_ylim(-depth - 0.6, 0.6)
    ax.axis("off")
    return ax


def plot_decision_regions(model: Any, X: np.ndarray, y: np.ndarray, *, ax: Any = None, resolution: int = 200,
                          title: str | None = None) -> Any:
    """Colour the plane by a fitted classifier's prediction and scatter the 2-D samples on top."""
    import matplotlib.pyplot as plt

    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[1] != 2:
        raise ValueError(f"plot_decision_regions needs X of shape (n_samples, 2), got {X.shape}")
    ax = ax if ax is not None else plt.subplots()[1]
    pad = 0.1 * (X.max(axis=0) - X.min(axis=0))
    lo, hi = X.min(axis=0) - pad, X.max(axis=0) + pad
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    classes = np.unique(y)
    Z = model.predict(np.c_[g0.ravel(), g1.ravel()]).reshape(g0.shape)
    Zi = np.searchsorted(classes, Z)
    from matplotlib.colors import ListedColormap

    cmap = ListedColormap(list(PALETTE[:classes.size]))
    ax.contourf(g0, g1, Zi, levels=np.arange(classes.size + 1) - 0.5, cmap=cmap, alpha=0.25)
    for k, c in enumerate(classes):
        ax.scatter(*X[y == c].T, s=12, color=PALETTE[k], edgecolor="white", linewidth=0.3, label=f"class {c}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title)
    return ax
