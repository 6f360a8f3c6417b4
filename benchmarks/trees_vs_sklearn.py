"""mlbook.trees against scikit-learn: held-out accuracy / R^2 and fit time, side by side.

Run from the project root:  python benchmarks/trees_vs_sklearn.py

Part 1 fits each of our estimators and scikit-learn's counterpart, with the same
hyper-parameters, on the bundled data sets (75/25 split, seed 0). Part 2 times a depth-10 tree
on 5,000 x 20 synthetic data, the case the vectorised split search is designed for (the target is
at most 10x scikit-learn's time). Times are the best of a few repeats (wall clock, one process).
"""
from __future__ import annotations

import time

import numpy as np
import sklearn.ensemble as ske
import sklearn.tree as skt
from sklearn.datasets import make_classification

import mlbook.trees as T
from mlbook.data import load, train_test_split


def best_time(make, X, y, repeats=3):
    times = []
    for _ in range(repeats):
        model = make()
        t0 = time.perf_counter()
        model.fit(X, y)
        times.append(time.perf_counter() - t0)
    return model, min(times)


PAIRS = {
    "classification": [
        ("DecisionTree(max_depth=5)", lambda: T.DecisionTreeClassifier(max_depth=5),
         lambda: skt.DecisionTreeClassifier(max_depth=5, random_state=0)),
        ("RandomForest(50 trees)", lambda: T.RandomForestClassifier(50, random_state=0),
         lambda: ske.RandomForestClassifier(50, random_state=0)),
        ("AdaBoost(50 stumps)", lambda: T.AdaBoostClassifier(50),
         lambda: ske.AdaBoostClassifier(n_estimators=50, random_state=0)),
        ("GradientBoosting(100, depth 3)", lambda: T.GradientBoostingClassifier(100),
         lambda: ske.GradientBoostingClassifier(n_estimators=100, random_state=0)),
    ],
    "regression": [
        ("DecisionTree(max_depth=4)", lambda: T.DecisionTreeRegressor(max_depth=4),
         lambda: skt.DecisionTreeRegressor(max_depth=4, random_state=0)),
        ("RandomForest(50 trees)", lambda: T.RandomForestRegressor(50, random_state=0),
         lambda: ske.RandomForestRegressor(50, random_state=0)),
        ("GradientBoosting(100, depth 3)", lambda: T.GradientBoostingRegressor(100),
         lambda: ske.GradientBoostingRegressor(n_estimators=100, random_state=0)),
    ],
}


def compare_on_datasets(repeats: int = 3) -> list[tuple]:
    rows = []
    for name in ("breast_cancer", "wine", "diabetes"):
        X, y = load(name)
        task = "regression" if name == "diabetes" else "classification"
        Xtr, Xte, ytr, yte = train_test_split(X, y, test_size=0.25, stratify=task == "classification",
                                              random_state=0)
        for label, ours, theirs in PAIRS[task]:
            a, ta = best_time(ours, Xtr, ytr, repeats)
            b, tb = best_time(theirs, Xtr, ytr, repeats)
            rows.append((name, label, "R2" if task == "regression" else "acc",
                         a.score(Xte, yte), b.score(Xte, yte), ta, tb))
    return rows


def depth10_benchmark(repeats: int = 3) -> list[tuple]:
    X, y = make_classification(n_samples=5000, n_features=20, n_informative=10, random_state=0)
    rng = np.random.default_rng(0)
    yr = X @ rng.normal(size=20) + np.sin(3 * X[:, 0])
    rows = []
    for label, data, ours, theirs in [
        ("classifier (gini)", y, lambda: T.DecisionTreeClassifier(max_depth=10),
         lambda: skt.DecisionTreeClassifier(max_depth=10, random_state=0)),
        ("classifier (entropy)", y, lambda: T.DecisionTreeClassifier(criterion="entropy", max_depth=10),
         lambda: skt.DecisionTreeClassifier(criterion="entropy", max_depth=10, random_state=0)),
        ("regressor", yr, lambda: T.DecisionTreeRegressor(max_depth=10),
         lambda: skt.DecisionTreeRegressor(max_depth=10, random_state=0)),
    ]:
        _, ta = best_time(ours, X, data, repeats)
        _, tb = best_time(theirs, X, data, repeats)
        rows.append((label, ta, tb, ta / tb))
    return rows


def main() -> None:
    print("Held-out score and fit time (75/25 split, seed 0)")
    head = f"{'data set':14} {'model':32} {'metric':6} {'ours':>7} {'sklearn':>7} {'fit ours':>9} {'fit sk':>8} {'ratio':>6}"
    print(head)
    print("-" * len(head))
    for name, label, metric, sa, sb, ta, tb in compare_on_datasets():
        print(f"{name:14} {label:32} {metric:6} {sa:7.3f} {sb:7.3f} {ta:8.3f}s {tb:7.3f}s {ta / tb:6.1f}")
    print()
    print("Depth-10 tree on 5,000 x 20 (make_classification, seed 0): fit time")
    head = f"{'tree':22} {'ours':>9} {'sklearn':>9} {'ratio':>6}"
    print(head)
    print("-" * len(head))
    for label, ta, tb, r in depth10_benchmark():
        print(f"{label:22} {ta:8.3f}s {tb:8.3f}s {r:6.1f}")


if __name__ == "__main__":
    main()
