"""Metrics for classifiers and regressors (chapter "Linear models", section "Evaluating models").

Every function checks its input (equal lengths, no NaN, numeric scores) and is compared with
``sklearn.metrics`` in ``tests/test_metrics.py``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from .validation import as_float_array, as_label_array


def _same_length(y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true has {len(y_true)} values but y_pred has {len(y_pred)}; they must match")
    return y_true, y_pred


def _labels_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Two 1-D label arrays of the same length with no NaN."""
    return _same_length(as_label_array(y_true, "y_true"), as_label_array(y_pred, "y_pred"))


def confusion_matrix(y_true: Any, y_pred: Any, labels: Any = None) -> np.ndarray:
    """Counts ``C[i, j]`` of samples of true class ``labels[i]`` predicted as ``labels[j]``.

    Parameters
    ----------
    y_true, y_pred : array-like of shape (n_samples,)
    labels : array-like of shape (n_classes,), optional
        Row and column order; by default the sorted union of the labels that occur.

    Returns
    -------
    ndarray of shape (n_classes, n_classes), int
    """
    y_true, y_pred = _labels_pair(y_true, y_pred)
    labels = np.unique(np.r_[y_true, y_pred]) if labels is None else np.asarray(labels)
    index = {lab: i for i, lab in enumerate(labels.tolist())}
    C = np.zeros((len(labels), len(labels)), dtype=np.int64)
    for t, p in zip(y_true.tolist(), y_pred.tolist()):
        if t in index and p in index:
            C[index[t], index[p]] += 1
    return C


def accuracy_score(y_true: Any, y_pred: Any) -> float:
    """The fraction of predictions equal to the true label."""
    y_true, y_pred = _labels_pair(y_true, y_pred)
    return float(np.mean(y_true == y_pred))


def precision_recall_f1(y_true: Any, y_pred: Any, pos_label: Any = 1) -> tuple[float, float, float]:
    """Precision ``TP/(TP+FP)``, recall ``TP/(TP+FN)`` and their harmonic mean F1 (binary).

    A ratio whose denominator is zero is reported as 0.0 (as scikit-learn's ``zero_division=0``).
    """
    y_true, y_pred = _labels_pair(y_true, y_pred)
    present = np.unique(np.r_[y_true, y_pred])
    if len(present) > 2:
        raise ValueError(f"precision_recall_f1 is binary, but the labels {present.tolist()} occur")
    t, p = y_true == pos_label, y_pred == pos_label
    tp, fp, fn = int(np.sum(t & p)), int(np.sum(~t & p)), int(np.sum(t & ~p))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _binary_scores(y_true: Any, scores: Any, pos_label: Any) -> tuple[np.ndarray, np.ndarray]:
    y_true = as_label_array(y_true, "y_true")
    s = as_float_array(scores, "scores", ndim=1)
    if len(y_true) != len(s):
        raise ValueError(f"y_true (shape {y_true.shape}) and scores (shape {s.shape}) must be 1-D of equal length")
    classes = np.unique(y_true)
    if len(classes) != 2:
        raise ValueError(f"a ranking curve needs both classes in y_true, got {classes.tolist()}")
    if pos_label is None:
        pos_label = classes[1]
    return (y_true == pos_label).astype(np.int64), s


def counts_at_thresholds(y_true: Any, scores: Any,
                         pos_label: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False and true positives when predicting positive for ``scores >= t``, for every distinct score t.

    The counts behind :func:`roc_curve` and :func:`precision_recall_curve`, computed with one sort
    and one cumulative sum.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Two classes.
    scores : array-like of shape (n_samples,)
        Higher means more likely positive.
    pos_label : optional
        The positive class (default: the larger label).

    Returns
    -------
    fps, tps : ndarray of shape (n_thresholds,)
        Counts of false and true positives at each threshold.
    thresholds : ndarray of shape (n_thresholds,)
        The distinct scores, decreasing.
    """
    y, s = _binary_scores(y_true, scores, pos_label)
    # region: counts
    order = np.argsort(-s, kind="mergesort")
    y, s = y[order], s[order]
    last = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]    # last index of every distinct score
    tps = np.cumsum(y)[last]
    fps = (last + 1) - tps
    return fps, tps, s[last]
    # endregion


def best_f1_threshold(y_true: Any, scores: Any, pos_label: Any = None) -> tuple[float, float]:
    """The threshold t that maximises F1 when predicting positive for ``scores >= t``, and that F1.

    Used to choose a detector's threshold on a labelled validation set (an anomaly detector
    flags a low density, so its scores are ``-log p(x)``). Ties go to the highest threshold.

    Returns
    -------
    (threshold, f1) : tuple of float

    Notes
    -----
    With the counts of :func:`counts_at_thresholds`, :math:`F_1 = 2\\,TP / (2\\,TP + FP + FN)` and
    :math:`FN = P - TP`, for every distinct score at once.
    """
    fps, tps, thresholds = counts_at_thresholds(y_true, scores, pos_label)
    # region: best-f1
    positives = tps[-1]
    f1 = 2 * tps / (2 * tps + fps + (positives - tps))
    best = int(np.argmax(f1))
    # endregion
    return float(thresholds[best]), float(f1[best])


def roc_curve(y_true: Any, scores: Any, pos_label: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The receiver operating characteristic: one point per distinct score threshold.

    Returns
    -------
    fpr, tpr : ndarray of shape (n_thresholds + 1,)
        False- and true-positive rates when predicting positive for ``scores >= thresholds``;
        the first point (0, 0) belongs to the threshold ``inf``.
    thresholds : ndarray, decreasing
    """
    fps, tps, thr = counts_at_thresholds(y_true, scores, pos_label)
    fps, tps = np.r_[0, fps], np.r_[0, tps]
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, thr]


def precision_recall_curve(y_true: Any, scores: Any, pos_label: Any = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Precision and recall for every threshold, ordered by increasing threshold.

    The last point (precision 1, recall 0) has no threshold, as in scikit-learn.
    """
    fps, tps, thr = counts_at_thresholds(y_true, scores, pos_label)
    precision = tps / (tps + fps)
    recall = tps / tps[-1]
    return np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thr[::-1]


def average_precision(y_true: Any, scores: Any, pos_label: Any = None) -> float:
    """The area under the step-wise P-R curve: ``Σ_n (R_n - R_{n-1}) P_n``."""
    precision, recall, _ = precision_recall_curve(y_true, scores, pos_label)
    return float(-np.sum(np.diff(recall) * precision[:-1]))


def auc(x: Any, y: Any) -> float:
    """The area under the curve through the points (x, y) by the trapezoidal rule; x monotonic."""
    x = as_float_array(x, "x", ndim=1)
    y = as_float_array(y, "y", ndim=1)
    if len(x) != len(y):
        raise ValueError(f"x has {len(x)} points but y has {len(y)}")
    if len(x) < 2:
        raise ValueError(f"at least 2 points are needed to compute an area, got {len(x)}")
    dx = np.diff(x)
    if np.all(dx >= 0):
        direction = 1.0
    elif np.all(dx <= 0):
        direction = -1.0
    else:
        raise ValueError("x is neither increasing nor decreasing; sort the points along x first")
    return direction * float(np.sum(dx * (y[1:] + y[:-1]) / 2))


def _binary_probabilities(y_true: Any, proba: Any, pos_label: Any) -> tuple[np.ndarray, np.ndarray]:
    """0/1 outcomes and the predicted probabilities of the positive class, checked."""
    y_true = as_label_array(y_true, "y_true")
    p = as_float_array(proba, "proba", ndim=1)
    if len(y_true) != len(p):
        raise ValueError(f"y_true has {len(y_true)} values but proba has {len(p)}; they must match")
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"proba must hold probabilities in [0, 1], got values in [{p.min():g}, {p.max():g}]; "
                         "pass sigmoid(scores), not the scores")
    classes = np.unique(y_true)
    if len(classes) > 2:
        raise ValueError(f"these scores are binary, but y_true holds the classes {classes.tolist()}")
    if pos_label is None:
        if len(classes) == 2:
            pos_label = classes[1]
        elif set(classes.tolist()) <= {0, 1}:
            pos_label = 1
        else:
            raise ValueError(f"y_true holds the single class {classes.tolist()}; say which is positive with pos_label")
    return (y_true == pos_label).astype(np.float64), p


def log_loss(y_true: Any, proba: Any, pos_label: Any = None) -> float:
    r"""The mean negative log-likelihood of binary outcomes (the cross-entropy, in nats).

    .. math:: \frac1n \sum_i -\big[y_i \log p_i + (1 - y_i)\log(1 - p_i)\big],

    with :math:`0 \log 0 = 0`. It is a strictly proper scoring rule: its expectation under
    :math:`y \sim \mathrm{Bernoulli}(q)` is minimised only at :math:`p = q`. A positive predicted
    with probability 0 (or a negative with probability 1) costs :math:`+\infty`, which is returned as
    ``inf``; scikit-learn's ``log_loss`` clips the probabilities to ``[eps, 1 - eps]`` instead.

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
    proba : array-like of shape (n_samples,)
        The predicted probability of the positive class, in [0, 1].
    pos_label : optional
        The positive class; by default the larger of the two classes in ``y_true`` (1 when only 0 or
        only 1 occurs).
    """
    y, p = _binary_probabilities(y_true, proba, pos_label)
    with np.errstate(divide="ignore"):
        terms = np.where(y == 1, -np.log(p), -np.log1p(-p))
    return float(np.mean(terms))


def brier_score(y_true: Any, proba: Any, pos_label: Any = None) -> float:
    r"""The mean squared difference between the predicted probability and the 0/1 outcome (Brier, 1950).

    .. math:: \frac1n \sum_i (p_i - y_i)^2 .

    A strictly proper scoring rule, bounded by 1: :math:`\mathbb E(p - y)^2 = (p - q)^2 + q(1 - q)` for
    :math:`y \sim \mathrm{Bernoulli}(q)`. Arguments as in :func:`log_loss`.
    """
    y, p = _binary_probabilities(y_true, proba, pos_label)
    return float(np.mean((p - y) ** 2))


def _regression_pair(y_true: Any, y_pred: Any) -> tuple[np.ndarray, np.ndarray]:
    """Two 1-D float arrays of the same length with no NaN."""
    return _same_length(as_float_array(y_true, "y_true", ndim=1), as_float_array(y_pred, "y_pred", ndim=1))


def mean_squared_error(y_true: Any, y_pred: Any) -> float:
    """MSE ``mean((y - ŷ)²)``: in squared units, dominated by the largest errors."""
    y, yhat = _regression_pair(y_true, y_pred)
    return float(np.mean((y - yhat) ** 2))


def root_mean_squared_error(y_true: Any, y_pred: Any) -> float:
    """RMSE ``sqrt(MSE)``: back in the units of y."""
    return float(np.sqrt(mean_squared_error(y_true, y_pred)))


def mean_absolute_error(y_true: Any, y_pred: Any) -> float:
    """MAE ``mean(|y - ŷ|)``: every unit of error counts the same."""
    y, yhat = _regression_pair(y_true, y_pred)
    return float(np.mean(np.abs(y - yhat)))


def mean_absolute_percentage_error(y_true: Any, y_pred: Any) -> float:
    """MAPE ``mean(|y - ŷ| / max(|y|, ε))`` as a fraction (0.1 means 10 %); explodes as y → 0."""
    y, yhat = _regression_pair(y_true, y_pred)
    eps = np.finfo(np.float64).eps
    return float(np.mean(np.abs(y - yhat) / np.maximum(np.abs(y), eps)))


def r2_score(y_true: Any, y_pred: Any) -> float:
    """The coefficient of determination ``1 - Σ(y - ŷ)² / Σ(y - ȳ)²``."""
    y, yhat = _regression_pair(y_true, y_pred)
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    if ss_tot == 0:
        raise ValueError("R² is undefined when y_true is constant")
    return 1.0 - float(np.sum((y - yhat) ** 2)) / ss_tot
