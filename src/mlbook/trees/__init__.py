"""Decision trees and ensembles (chapter "Decision trees and ensembles").

Impurity measures and split criteria, ID3's multiway tree on categorical features, CART-style trees
with cost-complexity pruning, bagging and random forests, AdaBoost and gradient boosting, all in the
scikit-learn estimator style.
"""
from .boosting import (AdaBoostClassifier, GradientBoostingClassifier, GradientBoostingRegressor,
                       second_order_leaf_weight, second_order_split_gain)
from .forest import RandomForestClassifier, RandomForestRegressor, bootstrap_indices, permutation_importance
from .id3 import id3_predict, id3_tree
from .impurity import (conditional_entropy, entropy, gain_ratio, gini, impurity_from_counts,
                       information_gain, misclassification_error, split_information)
from .plot import plot_decision_regions, plot_tree
from .tree import DecisionTreeClassifier, DecisionTreeRegressor, Tree, best_split

__all__ = [
    "entropy", "gini", "misclassification_error", "impurity_from_counts", "conditional_entropy",
    "information_gain", "split_information", "gain_ratio", "id3_tree", "id3_predict", "best_split", "Tree",
    "DecisionTreeClassifier", "DecisionTreeRegressor",
    "RandomForestClassifier", "RandomForestRegressor", "bootstrap_indices", "permutation_importance",
    "AdaBoostClassifier", "GradientBoostingRegressor", "GradientBoostingClassifier",
    "second_order_leaf_weight", "second_order_split_gain",
    "plot_tree", "plot_decision_regions",
]
