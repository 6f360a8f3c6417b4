"""The fitted tree as flat arrays: prediction, depth, feature importances and pruning.

Chapter "Decision trees and ensembles", section 2 derives minimal cost-complexity pruning,
implemented here by :meth:`Tree.pruning_sequence`. Node 0 is the root and nodes are numbered
in pre-order, like scikit-learn's ``tree_``.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass
class Tree:
    """A fitted binary tree in flat arrays; node 0 is the root, leaves have ``left == -1``.

    Each field is a Python list while the tree grows (:meth:`add` appends one node) and a
    numpy array of length ``node_count`` (``value``: shape (node_count, n_outputs)) once
    :meth:`freeze` has run; every method except :meth:`add` expects the frozen tree.
    """

    left: list[int] | np.ndarray = field(default_factory=list)  # child ids, -1 at a leaf
    right: list[int] | np.ndarray = field(default_factory=list)
    feature: list[int] | np.ndarray = field(default_factory=list)  # -1 at a leaf
    threshold: list[float] | np.ndarray = field(default_factory=list)  # NaN at a leaf
    # class proportions (classifier), the mean target (regressor) or, in a gradient-boosting
    # classifier's trees, the Newton step of each leaf
    value: list[np.ndarray] | np.ndarray = field(default_factory=list)
    impurity: list[float] | np.ndarray = field(default_factory=list)
    n_samples: list[int] | np.ndarray = field(default_factory=list)
    weighted_n: list[float] | np.ndarray = field(default_factory=list)

    def add(self, value: np.ndarray, impurity: float, n: int, w: float) -> int:
        for name, v in (("left", -1), ("right", -1), ("feature", -1), ("threshold", np.nan),
                        ("value", value), ("impurity", impurity), ("n_samples", n), ("weighted_n", w)):
            getattr(self, name).append(v)
        return len(self.left) - 1

    def freeze(self) -> "Tree":
        """Turn the lists into arrays once growth is over."""
        for name in self.__dataclass_fields__:
            setattr(self, name, np.asarray(getattr(self, name)))
        return self

    @property
    def node_count(self) -> int:
        return len(self.left)

    def apply(self, X: np.ndarray) -> np.ndarray:
        """Index of the leaf each row of X falls in: all rows descend together, one level per step."""
        node = np.zeros(X.shape[0], dtype=np.intp)
        rows = np.arange(X.shape[0])
        while True:
            inner = self.left[node] != -1
            if not inner.any():
                return node
            r, n = rows[inner], node[inner]
            go_left = X[r, self.feature[n]] <= self.threshold[n]
            node[inner] = np.where(go_left, self.left[n], self.right[n])

    def depth(self, node: int = 0) -> int:
        """Length of the longest path from ``node`` down to a leaf (a leaf has depth 0).

        Walks the subtree with an explicit stack, so a deep tree does not hit the recursion limit.
        """
        deepest, stack = 0, [(node, 0)]
        while stack:
            t, d = stack.pop()
            if self.left[t] == -1:
                deepest = max(deepest, d)
            else:
                stack += [(self.left[t], d + 1), (self.right[t], d + 1)]
        return deepest

    def n_leaves(self) -> int:
        return int(np.sum(self.left == -1))

    def feature_importances(self, n_features: int, normalize: bool = True) -> np.ndarray:
        """Weighted impurity decrease summed per feature, shape (n_features,).

        Notes
        -----
        .. math:: I_j = \\sum_{t:\\, j(t) = j} \\frac{w_t i(t) - w_{t_L} i(t_L) - w_{t_R} i(t_R)}{w_{\\text{root}}},

        divided by :math:`\\sum_j I_j` when ``normalize`` (as scikit-learn's
        ``tree_.compute_feature_importances``). A single-node tree gives zeros.
        """
        imp = np.zeros(n_features)
        wi = self.weighted_n * self.impurity
        for t in np.flatnonzero(self.left != -1):
            imp[self.feature[t]] += wi[t] - wi[self.left[t]] - wi[self.right[t]]
        imp /= self.weighted_n[0]
        if not normalize:
            return imp
        total = imp.sum()
        return imp / total if total > 0 else imp

    # ---- minimal cost-complexity pruning (section 2) -------------------------------------
    def pruning_sequence(self, max_alpha: float = np.inf) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Weakest-link pruning: collapse the node of smallest effective alpha, one at a time.

        Returns the alphas, the total leaf impurity R(T) after each step (the first entry is the
        full tree at alpha 0) and the boolean mask of nodes turned into leaves, stopping before
        the first effective alpha above ``max_alpha``.
        """
        n = self.node_count
        parent = np.full(n, -1)
        for t in np.flatnonzero(self.left != -1):
            parent[self.left[t]] = parent[self.right[t]] = t
        r_node = self.weighted_n * self.impurity / self.weighted_n[0]  # R(t) = (w_t / W) i(t)
        is_leaf = self.left == -1
        r_branch, n_leaves = r_node.copy(), is_leaf.astype(float)
        for t in range(n - 1, -1, -1):  # children have larger ids: reverse order is post-order
            if not is_leaf[t]:
                r_branch[t] = r_branch[self.left[t]] + r_branch[self.right[t]]
                n_leaves[t] = n_leaves[self.left[t]] + n_leaves[self.right[t]]
        # region: weakest link
        alive = np.ones(n, dtype=bool)
        collapsed = np.zeros(n, dtype=bool)
        alphas, impurities = [0.0], [r_branch[0]]
        while not collapsed[0] and self.left[0] != -1:
            candidates = alive & ~is_leaf & ~collapsed
            with np.errstate(divide="ignore", invalid="ignore"):
                g = np.where(candidates, (r_node - r_branch) / (n_leaves - 1), np.inf)
            t = int(np.argmin(g))  # the weakest link (lowest id on ties, as scikit-learn)
            if g[t] > max_alpha:
                break
            collapsed[t] = True
            stack = [self.left[t], self.right[t]]
            while stack:  # everything below t leaves the subtree
                s = stack.pop()
                alive[s] = False
                if self.left[s] != -1:
                    stack += [self.left[s], self.right[s]]
            d_r, d_leaves = r_branch[t] - r_node[t], n_leaves[t] - 1
            a = t
            while a != -1:  # t and its ancestors lose the pruned branch
                r_branch[a] -= d_r
                n_leaves[a] -= d_leaves
                a = parent[a]
            alphas.append(float(g[t]))
            impurities.append(float(r_branch[0]))
        # endregion
        return np.asarray(alphas), np.asarray(impurities), collapsed

    def pruned(self, collapsed: np.ndarray) -> "Tree":
        """A new compact tree in which the nodes flagged in ``collapsed`` are leaves."""
        out = Tree()
        stack = [(0, -1, "")]  # (old node, new parent, "left"/"right"): pre-order, left first
        while stack:
            t, parent, side = stack.pop()
            new = out.add(self.value[t], self.impurity[t], self.n_samples[t], self.weighted_n[t])
            if parent >= 0:
                getattr(out, side)[parent] = new
            if self.left[t] != -1 and not collapsed[t]:
                out.feature[new], out.threshold[new] = self.feature[t], self.threshold[t]
                stack += [(self.right[t], new, "right"), (self.left[t], new, "left")]
        return out.freeze()
