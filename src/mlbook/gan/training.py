"""One training loop for the GANs of chapter 11: the saturating, non-saturating and Wasserstein losses."""
from __future__ import annotations

from typing import Any

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from ..runtime import device as _default_device
from ..runtime import progress
from ..validation import as_float_array, check_positive
from .modules import gradient_penalty

__all__ = ["LOSSES", "gan_losses", "train_gan"]

#: The losses :func:`train_gan` knows.
LOSSES = ("saturating", "non-saturating", "wgan-gp", "wgan-clip")


def gan_losses(loss: str, real_out: torch.Tensor, fake_out: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The discriminator's (critic's) loss and the generator's loss from the outputs on real and fake data.

    ``real_out`` and ``fake_out`` are logits for the standard GAN and scores for a Wasserstein critic.
    With :math:`D = \\sigma(\\ell)` and :math:`\\log \\sigma(\\ell) = -\\operatorname{softplus}(-\\ell)`,
    :math:`\\log(1 - \\sigma(\\ell)) = -\\operatorname{softplus}(\\ell)` (both computed stably):

    * discriminator, standard GAN: :math:`-\\mathbb{E}\\log D(x) - \\mathbb{E}\\log(1 - D(G(z)))`;
    * generator, ``"saturating"``: :math:`\\mathbb{E}\\log(1 - D(G(z)))`, the minimax loss;
      ``"non-saturating"``: :math:`-\\mathbb{E}\\log D(G(z))` (Goodfellow et al., 2014);
    * critic, Wasserstein: :math:`\\mathbb{E} f(G(z)) - \\mathbb{E} f(x)`; generator: :math:`-\\mathbb{E} f(G(z))`
      (Arjovsky et al., 2017). The gradient penalty or the clipping is added by :func:`train_gan`.

    The generator's loss is computed from ``fake_out`` only; in training it is evaluated on a fresh
    forward pass of the generated batch.
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {LOSSES}")
    # region: losses
    if loss.startswith("wgan"):
        d_loss = fake_out.mean() - real_out.mean()
        g_loss = -fake_out.mean()
    else:
        d_loss = F.softplus(-real_out).mean() + F.softplus(fake_out).mean()
        g_loss = (-F.softplus(fake_out).mean() if loss == "saturating"     # E log(1 - D(G(z)))
                  else F.softplus(-fake_out).mean())                         # -E log D(G(z))
    # endregion
    return d_loss, g_loss


def train_gan(generator: nn.Module, critic: nn.Module, data: Any, *, loss: str = "non-saturating",
              steps: int = 1000, batch_size: int = 128, n_critic: int = 1, lr: float = 2e-4,
              betas: tuple[float, float] = (0.5, 0.999), gp_weight: float = 10.0, clip_value: float = 0.01,
              snapshot_every: int | None = None, n_snapshot: int = 512, device: Any = None,
              random_state: int = 0, show_progress: bool = True) -> dict[str, Any]:
    """Train a GAN by alternating gradient steps; return the history and snapshots of generated samples.

    Each of the ``steps`` generator steps is preceded by ``n_critic`` steps of the discriminator
    (critic), each on a fresh mini-batch of real data and fresh noise. Both networks use Adam with the
    same ``lr`` and ``betas``.

    Parameters
    ----------
    generator : module with an attribute ``latent_dim``, mapping noise (batch, latent_dim) to samples
    critic : module mapping samples to one value per sample (a logit, or a Wasserstein critic's score)
    data : array or tensor of shape (n_samples, ...)
        The real samples, drawn with replacement for each mini-batch.
    loss : {"saturating", "non-saturating", "wgan-gp", "wgan-clip"}
        See :func:`gan_losses`. ``"wgan-gp"`` adds ``gp_weight`` times :func:`gradient_penalty`;
        ``"wgan-clip"`` clips every critic parameter to ``[-clip_value, clip_value]`` after each step.
    snapshot_every : int, optional
        Every so many generator steps (and at steps 0 and ``steps``), generate ``n_snapshot`` samples
        from one fixed batch of noise and keep them, so that training can be replayed.
    device : torch.device or str, optional
        Default :func:`mlbook.device`. Noise and mini-batch indices are drawn on the CPU from
        ``random_state``, so a run draws the same numbers on every device.

    Returns
    -------
    dict
        ``d_loss`` and ``g_loss`` (one value per generator step; ``d_loss`` is the last critic step's,
        without the penalty), ``d_real`` and ``d_fake`` (the mean of :math:`D` on the real and the
        generated mini-batch, probabilities for the standard GAN and critic scores for WGAN), and
        ``snapshots``, a list of ``(step, samples)`` with ``samples`` a NumPy array.
    """
    if loss not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; choose one of {LOSSES}")
    for name, value in (("steps", steps), ("batch_size", batch_size), ("n_critic", n_critic),
                        ("n_snapshot", n_snapshot)):
        check_positive(value, name, integer=True)
    check_positive(lr, "lr")
    check_positive(gp_weight, "gp_weight", strict=False)
    check_positive(clip_value, "clip_value")
    if snapshot_every is not None:
        check_positive(snapshot_every, "snapshot_every", integer=True)
    latent_dim = getattr(generator, "latent_dim", None)
    if not isinstance(latent_dim, int):
        raise TypeError("generator must have an integer attribute latent_dim (the width of its noise input)")
    X = torch.as_tensor(as_float_array(data, "data"), dtype=torch.float32)
    if X.ndim < 2 or len(X) < 2:
        raise ValueError(f"data must have shape (n_samples, ...) with at least 2 samples, got {tuple(X.shape)}")

    device = _default_device() if device is None else torch.device(device)
    generator.to(device).train()
    critic.to(device).train()
    X = X.to(device)
    # foreach: one multi-tensor update per step instead of a loop over the parameters (the default on
    # CUDA; on the CPU it gives the same numbers, faster for the many small steps of a WGAN critic)
    opt_g = torch.optim.Adam(generator.parameters(), lr=lr, betas=betas, foreach=True)
    opt_d = torch.optim.Adam(critic.parameters(), lr=lr, betas=betas, foreach=True)
    rng = torch.Generator().manual_seed(int(random_state))
    fixed_noise = torch.randn(int(n_snapshot), latent_dim, generator=rng).to(device)

    def noise() -> torch.Tensor:
        return torch.randn(int(batch_size), latent_dim, generator=rng).to(device)

    def snapshot(step: int) -> None:
        with torch.no_grad():
            history["snapshots"].append((step, generator(fixed_noise).cpu().numpy()))

    history: dict[str, Any] = {"d_loss": [], "g_loss": [], "d_real": [], "d_fake": [], "snapshots": []}
    if snapshot_every is not None:
        snapshot(0)
    to_prob = (lambda t: t) if loss.startswith("wgan") else torch.sigmoid
    for step in progress(range(1, int(steps) + 1), desc=f"{loss} GAN", disable=None if show_progress else True):
        # region: training step
        for _ in range(int(n_critic)):                       # 1. the critic, with the generator fixed
            real = X[torch.randint(len(X), (int(batch_size),), generator=rng).to(device)]
            fake = generator(noise()).detach()
            real_out, fake_out = critic(real), critic(fake)
            d_loss, _ = gan_losses(loss, real_out, fake_out)
            penalty = (gp_weight * gradient_penalty(critic, real, fake, random_state=rng)
                       if loss == "wgan-gp" else 0.0)
            opt_d.zero_grad()
            (d_loss + penalty).backward()
            opt_d.step()
            if loss == "wgan-clip":
                with torch.no_grad():
                    for p in critic.parameters():
                        p.clamp_(-clip_value, clip_value)
        fake_out_g = critic(generator(noise()))              # 2. the generator, through the critic
        _, g_loss = gan_losses(loss, real_out.detach(), fake_out_g)
        opt_g.zero_grad()
        g_loss.backward()                                   # the critic's gradients are discarded next step
        opt_g.step()
        # endregion
        history["d_loss"].append(float(d_loss.detach()))
        history["g_loss"].append(float(g_loss.detach()))
        history["d_real"].append(float(to_prob(real_out.detach()).mean()))
        history["d_fake"].append(float(to_prob(fake_out.detach()).mean()))
        if snapshot_every is not None and (step % int(snapshot_every) == 0 or step == int(steps)):
            if history["snapshots"][-1][0] != step:
                snapshot(step)
    return history
