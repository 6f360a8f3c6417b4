"""Support vector machines: kernels, the SMO solver and the classifier (chapter 4).

Chapter 4 derives the soft-margin SVM from constrained optimisation (Lagrange multipliers,
KKT conditions, the dual) and solves the dual with Platt's SMO (module ``mlbook.svm.solver``). Everything is checked against
scikit-learn (``SVC``, ``sklearn.metrics.pairwise``, ``hinge_loss``) in ``tests/test_svm.py``.
"""
from .classifier import SVC, hinge_loss
from .kernels import linear_kernel, make_kernel, polynomial_kernel, rbf_kernel
from .solver import SMOResult, dual_objective, smo, two_variable_step

__all__ = ["SVC", "hinge_loss", "linear_kernel", "polynomial_kernel", "rbf_kernel", "make_kernel",
           "smo", "two_variable_step", "SMOResult", "dual_objective"]
