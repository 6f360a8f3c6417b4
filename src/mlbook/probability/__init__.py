"""Probability: the multivariate Gaussian, samplers, estimating a proportion, and the bootstrap.

Chapter 2 derives each function here and checks it against SciPy. The Gaussian density is the
book's only one: later chapters (anomaly detection, mixtures, generative models) call it.

* :mod:`~mlbook.probability.gaussian`: :func:`gaussian_logpdf`, :func:`gaussian_pdf` (through a
  Cholesky factor, which is also the test that :math:`\\Sigma` is a covariance), :func:`mahalanobis`,
  :func:`gaussian_conditional` (the Schur complement), :func:`fit_gaussian` (maximum likelihood or
  unbiased) and :func:`sample_gaussian` (an affine map of standard normals).
* :mod:`~mlbook.probability.sampling`: :func:`box_muller`, :func:`inverse_cdf_sample`,
  :func:`discrete_quantile` (searching the cdf), :func:`rejection_sample` and :func:`sample_means` (the exact laws of means,
  for the central limit theorem).
* :mod:`~mlbook.probability.estimation`: :func:`beta_bernoulli_posterior`, :func:`beta_mode` and
  :func:`binomial_ci` (Wald, Wilson and Clopper–Pearson intervals for a proportion).
* :mod:`~mlbook.probability.bootstrap`: :func:`bootstrap_distribution` and :func:`bootstrap_ci`
  (percentile, basic, studentized and BCa intervals).
"""
from __future__ import annotations

from .bootstrap import bootstrap_ci, bootstrap_distribution
from .estimation import beta_bernoulli_posterior, beta_mode, binomial_ci
from .gaussian import fit_gaussian, gaussian_conditional, gaussian_logpdf, gaussian_pdf, mahalanobis, sample_gaussian
from .sampling import box_muller, discrete_quantile, inverse_cdf_sample, rejection_sample, sample_means

__all__ = ["gaussian_logpdf", "gaussian_pdf", "mahalanobis", "gaussian_conditional", "fit_gaussian",
           "sample_gaussian", "box_muller", "inverse_cdf_sample", "discrete_quantile", "rejection_sample",
           "sample_means",
           "beta_bernoulli_posterior", "beta_mode", "binomial_ci", "bootstrap_distribution", "bootstrap_ci"]
