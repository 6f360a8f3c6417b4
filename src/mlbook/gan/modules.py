"""Small PyTorch generators and critics for chapter 11, and the gradient penalty of WGAN-GP."""
from __future__ import annotations

from typing import Any

import torch
from torch import nn

from ..validation import check_positive

__all__ = ["MLPGenerator", "MLPCritic", "DigitsGenerator", "DigitsCritic", "gradient_penalty"]


def _mlp(n_in: int, n_out: int, hidden: int, n_layers: int, activation: type[nn.Module],
         spectral: bool = False) -> nn.Sequential:
    check_positive(hidden, "hidden", integer=True)
    check_positive(n_layers, "n_layers", integer=True)
    wrap = nn.utils.parametrizations.spectral_norm if spectral else (lambda m: m)
    layers: list[nn.Module] = []
    width = n_in
    for _ in range(int(n_layers)):
        layers += [wrap(nn.Linear(width, hidden)), activation()]
        width = hidden
    layers.append(wrap(nn.Linear(width, n_out)))
    return nn.Sequential(*layers)


class MLPGenerator(nn.Module):
    """A generator :math:`G: \\mathbb{R}^{\\text{latent}} \\to \\mathbb{R}^{\\text{out}}`, an MLP with ReLU.

    ``n_layers`` hidden layers of width ``hidden``; the output is linear (unbounded), as the 2-D data of
    the chapter are. ``latent_dim`` is stored so that training code can draw the noise.
    """

    def __init__(self, latent_dim: int = 2, out_dim: int = 2, hidden: int = 64, n_layers: int = 3) -> None:
        super().__init__()
        check_positive(latent_dim, "latent_dim", integer=True)
        check_positive(out_dim, "out_dim", integer=True)
        self.latent_dim = int(latent_dim)
        self.net = _mlp(self.latent_dim, int(out_dim), hidden, n_layers, nn.ReLU)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"z must have shape (batch, {self.latent_dim}), got {tuple(z.shape)}")
        return self.net(z)


class MLPCritic(nn.Module):
    """A discriminator or critic :math:`D: \\mathbb{R}^{\\text{in}} \\to \\mathbb{R}`, an MLP with LeakyReLU(0.2).

    It returns one real number per sample: a logit for the standard GAN (the probability of "real" is
    its sigmoid) and the critic's score for a Wasserstein GAN. ``spectral=True`` divides every weight
    matrix by its spectral norm (torch's ``spectral_norm`` parametrisation, one power-iteration step per
    forward pass; Miyato et al., 2018), which makes each layer, and so the network, at most
    1-Lipschitz (LeakyReLU is 1-Lipschitz).
    """

    def __init__(self, in_dim: int = 2, hidden: int = 64, n_layers: int = 3, spectral: bool = False) -> None:
        super().__init__()
        check_positive(in_dim, "in_dim", integer=True)
        self.in_dim = int(in_dim)
        self.net = _mlp(self.in_dim, 1, hidden, n_layers, lambda: nn.LeakyReLU(0.2), spectral)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x.flatten(1)
        if x.shape[1] != self.in_dim:
            raise ValueError(f"x must have {self.in_dim} features per sample, got {x.shape[1]}")
        return self.net(x).squeeze(1)


class DigitsGenerator(nn.Module):
    """A DCGAN-style generator for 8×8 images (Radford et al., 2016): noise → 2×2 → 4×4 → 8×8.

    A linear layer maps the noise to ``2c`` channels of 2×2; two transposed convolutions (kernel 4,
    stride 2, padding 1) double the size twice, with batch normalisation and ReLU between them; the
    output goes through tanh, so images live in [-1, 1] (scale the data to that range).
    """

    def __init__(self, latent_dim: int = 16, channels: int = 16) -> None:
        super().__init__()
        check_positive(latent_dim, "latent_dim", integer=True)
        check_positive(channels, "channels", integer=True)
        self.latent_dim, c = int(latent_dim), int(channels)
        # region: dcgan generator
        self.net = nn.Sequential(
            nn.Linear(self.latent_dim, 2 * c * 2 * 2), nn.Unflatten(1, (2 * c, 2, 2)),   # (B, 2c, 2, 2)
            nn.BatchNorm2d(2 * c), nn.ReLU(),
            nn.ConvTranspose2d(2 * c, c, 4, stride=2, padding=1),                          # (B, c, 4, 4)
            nn.BatchNorm2d(c), nn.ReLU(),
            nn.ConvTranspose2d(c, 1, 4, stride=2, padding=1),                              # (B, 1, 8, 8)
            nn.Tanh())
        # endregion

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        if z.ndim != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"z must have shape (batch, {self.latent_dim}), got {tuple(z.shape)}")
        return self.net(z)


class DigitsCritic(nn.Module):
    """A DCGAN-style discriminator for 8×8 images: 8×8 → 4×4 → 2×2 → one logit (or critic score).

    Strided convolutions (kernel 4, stride 2, padding 1) with LeakyReLU(0.2) replace pooling, as in
    Radford et al. (2016). No batch normalisation: it would make the gradient penalty of WGAN-GP,
    which is per sample, ill defined (Gulrajani et al., 2017).
    """

    def __init__(self, channels: int = 16) -> None:
        super().__init__()
        check_positive(channels, "channels", integer=True)
        c = int(channels)
        self.net = nn.Sequential(
            nn.Conv2d(1, c, 4, stride=2, padding=1), nn.LeakyReLU(0.2),          # (B, c, 4, 4)
            nn.Conv2d(c, 2 * c, 4, stride=2, padding=1), nn.LeakyReLU(0.2),      # (B, 2c, 2, 2)
            nn.Flatten(), nn.Linear(2 * c * 2 * 2, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.ndim == 3:
            x = x.unsqueeze(1)
        if x.shape[1:] != (1, 8, 8):
            raise ValueError(f"x must have shape (batch, 1, 8, 8) or (batch, 8, 8), got {tuple(x.shape)}")
        return self.net(x).squeeze(1)


def gradient_penalty(critic: nn.Module, real: torch.Tensor, fake: torch.Tensor, *,
                     random_state: int | torch.Generator | None = None) -> torch.Tensor:
    """The gradient penalty of WGAN-GP (Gulrajani et al., 2017).

    .. math:: \\mathbb{E}_{\\hat x}\\big[(\\lVert \\nabla_{\\hat x} f(\\hat x) \\rVert_2 - 1)^2\\big],
              \\qquad \\hat x = \\epsilon x + (1 - \\epsilon) \\tilde x, \\ \\epsilon \\sim U[0, 1],

    one :math:`\\epsilon` per pair of a real sample :math:`x` and a generated one :math:`\\tilde x`. An
    optimal 1-Lipschitz critic has gradient norm 1 almost everywhere on the lines between the two
    distributions, so the penalty pushes towards it. The gradient is built with ``create_graph=True``
    so that the penalty itself can be differentiated with respect to the critic's parameters.

    Parameters
    ----------
    critic : module returning one value per sample
    real, fake : tensors of the same shape (batch, ...)
    random_state : int or torch.Generator, optional
        Seeds the draw of :math:`\\epsilon`.
    """
    if real.shape != fake.shape:
        raise ValueError(f"real and fake must have the same shape, got {tuple(real.shape)} and {tuple(fake.shape)}")
    gen = torch.Generator().manual_seed(random_state) if isinstance(random_state, int) else random_state
    shape = (real.shape[0],) + (1,) * (real.ndim - 1)          # one ε per sample, broadcast over features
    eps = torch.rand(shape, generator=gen, dtype=real.dtype,
                     device=gen.device if gen is not None else real.device).to(real.device)
    # region: gradient penalty
    x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
    scores = critic(x_hat)
    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)  # ∇f at each x̂ (rows are independent)
    return ((grad.flatten(1).norm(dim=1) - 1) ** 2).mean()
    # endregion
