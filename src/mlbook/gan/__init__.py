"""Generative adversarial networks (chapter 11).

* :mod:`~mlbook.gan.core` (NumPy): :func:`optimal_discriminator`, :func:`gan_value`,
  :func:`wasserstein_1d`, :func:`frechet_distance` (and :func:`frechet_distance_of_samples`),
  :func:`inception_score`, :func:`spectral_norm` and :func:`mode_coverage`.
* :mod:`~mlbook.gan.modules` (PyTorch): :class:`MLPGenerator`, :class:`MLPCritic`,
  :class:`DigitsGenerator`, :class:`DigitsCritic` and :func:`gradient_penalty`.
* :mod:`~mlbook.gan.training` (PyTorch): :func:`gan_losses` and :func:`train_gan`.

The NumPy functions import without torch; the PyTorch names import torch when first used.
The 2-D data of the chapter come from :func:`mlbook.data.make_gaussian_ring`.
"""
from __future__ import annotations

from .._lazy import lazy_getattr
from .core import (frechet_distance, frechet_distance_of_samples, gan_value, inception_score, mode_coverage,
                   optimal_discriminator, spectral_norm, wasserstein_1d)

_TORCH_NAMES = {"MLPGenerator": "modules", "MLPCritic": "modules", "DigitsGenerator": "modules",
                "DigitsCritic": "modules", "gradient_penalty": "modules", "gan_losses": "training",
                "train_gan": "training"}

__all__ = ["optimal_discriminator", "gan_value", "wasserstein_1d", "frechet_distance", "frechet_distance_of_samples",
           "inception_score", "spectral_norm", "mode_coverage", *_TORCH_NAMES]


__getattr__ = lazy_getattr(__name__, _TORCH_NAMES, globals())
