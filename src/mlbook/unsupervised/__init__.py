"""Unsupervised learning: k-means, PCA, Gaussian mixtures and anomaly detection (chapter 7).

* :mod:`~mlbook.unsupervised.kmeans`: :class:`KMeans` (Lloyd's algorithm, k-means++ seeding),
  and its steps as functions, :func:`assign_to_centres`, :func:`update_centres`,
  :func:`kmeans_plusplus` and :func:`lloyd_steps` (every half-step, for the chapter's widget).
* :mod:`~mlbook.unsupervised.pca`: :class:`PCA`, by the SVD of the centred data.
* :mod:`~mlbook.unsupervised.mixture`: :class:`GaussianMixture`, fitted by EM ("full" or "diag").
* :mod:`~mlbook.unsupervised.anomaly`: :class:`GaussianAnomalyDetector`, a Gaussian density with a
  threshold chosen by the best F1 on a validation set.

The component densities are the book's one Gaussian, :func:`mlbook.probability.gaussian_logpdf`.
Every estimator is checked against scikit-learn in ``tests/test_unsupervised.py``.
"""
from .anomaly import GaussianAnomalyDetector
from .kmeans import KMeans, assign_to_centres, kmeans_plusplus, lloyd_steps, squared_distances, update_centres
from .mixture import GaussianMixture
from .pca import PCA

__all__ = ["KMeans", "PCA", "GaussianMixture", "GaussianAnomalyDetector", "lloyd_steps", "assign_to_centres",
           "update_centres", "kmeans_plusplus", "squared_distances"]
