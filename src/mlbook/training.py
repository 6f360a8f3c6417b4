"""A small, reusable training loop for PyTorch models (chapter 8, section 6).

``fit`` trains a model for some epochs on a ``DataLoader`` and returns a history of the mean
loss (and, for class labels, the accuracy) per epoch on the training data and, if given,
on validation data. The same code runs on the CPU and on CUDA: the model and each batch
are moved to ``device`` (default :func:`mlbook.device`).
"""
from __future__ import annotations

from typing import Any, Callable

import numpy as np

from .runtime import device as _default_device
from .runtime import progress
from .validation import as_float_array, check_positive

__all__ = ["make_loader", "evaluate", "train_epoch", "fit"]


def make_loader(X: Any, y: Any, *, batch_size: int = 64, shuffle: bool = True,
                random_state: int | None = 0) -> "torch.utils.data.DataLoader":  # noqa: F821
    """Wrap arrays in a ``DataLoader`` of ``(x, y)`` batches.

    Float features become float32 and integer features int64 (token ids for an embedding layer);
    integer labels become int64 (classification, also one label per position of a sequence), float
    labels float32 (regression). Shuffling uses a local generator seeded with ``random_state``.
    """
    import torch
    from torch.utils.data import DataLoader, TensorDataset

    check_positive(batch_size, "batch_size", integer=True)
    X_raw = np.asarray(X.detach().cpu() if hasattr(X, "detach") else X)
    integer_X = X_raw.dtype.kind in "iu"
    X = X_raw if integer_X else as_float_array(X, "X")  # numeric, finite, non-empty (torch tensors are converted)
    y = np.asarray(y.detach().cpu() if hasattr(y, "detach") else y)
    if X.ndim < 2 or X.shape[0] != y.shape[0] or X.size == 0:
        raise ValueError(f"X must have one row per label: got X of shape {X.shape} and y of shape {y.shape}")
    X, y = np.ascontiguousarray(X), np.ascontiguousarray(y)  # torch refuses views with negative strides (X[:, ::-1])
    Xt = torch.as_tensor(X, dtype=torch.int64 if integer_X else torch.float32)
    yt = torch.as_tensor(y, dtype=torch.int64 if y.dtype.kind in "iub" else torch.float32)
    gen = torch.Generator().manual_seed(random_state) if random_state is not None else None
    return DataLoader(TensorDataset(Xt, yt), batch_size=batch_size, shuffle=shuffle, generator=gen)


def _is_classification(y: "torch.Tensor") -> bool:  # noqa: F821
    return not y.is_floating_point()


def _check_mean_reduction(loss_fn: Callable) -> None:
    """The helpers weight each batch's loss by its size, which is right for a mean-reduced loss only."""
    reduction = getattr(loss_fn, "reduction", "mean")
    if reduction != "mean":
        raise ValueError(f"the loss function must average over the batch (reduction='mean'), got reduction={reduction!r}")


def _accumulator(device: "torch.device") -> "torch.Tensor":  # noqa: F821
    """A zero on the device for running sums (float64 where the device has it), read once per epoch."""
    import torch

    return torch.zeros((), dtype=torch.float32 if device.type == "mps" else torch.float64, device=device)


def evaluate(model: "torch.nn.Module", loader: Any, loss_fn: Callable | None = None,  # noqa: F821
             device: Any = None) -> dict[str, float]:
    """Mean loss (and accuracy for class labels) of ``model`` over ``loader``, in eval mode, no grad.

    ``loss_fn`` must average over the batch (``reduction="mean"``, the default of torch's losses):
    each batch's value is weighted by its size. The sums stay on the device until the end.
    """
    import torch

    device = _default_device() if device is None else torch.device(device)
    loss_fn = torch.nn.functional.cross_entropy if loss_fn is None else loss_fn
    _check_mean_reduction(loss_fn)
    model.eval()
    total, correct = _accumulator(device), _accumulator(device)
    n, labels, classify = 0, 0, False
    with torch.no_grad():
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            out = model(xb)
            total += loss_fn(out, yb) * len(yb)
            n += len(yb)
            if _is_classification(yb):
                classify = True
                correct += (out.argmax(dim=1) == yb).sum()
                labels += yb.numel()
    if n == 0:
        raise ValueError("the loader yielded no samples")
    result = {"loss": float(total) / n}
    if classify:
        result["accuracy"] = float(correct) / labels
    return result


def train_epoch(model: "torch.nn.Module", loader: Any, optimizer: "torch.optim.Optimizer",  # noqa: F821
                loss_fn: Callable | None = None, device: Any = None,
                accumulation_steps: int = 1) -> dict[str, float]:
    """One pass over ``loader`` in train mode; returns the mean loss (and accuracy) seen in training.

    With ``accumulation_steps = k`` the gradients of k consecutive minibatches are summed (each
    loss divided by k) before one optimiser step: k batches of b samples then act as one batch
    of k·b (for equal batch sizes and no batch-dependent layers). ``loss_fn`` must average over
    the batch (``reduction="mean"``). The running sums stay on the device, so a GPU is read
    back once per epoch rather than once per batch.
    """
    import torch

    check_positive(accumulation_steps, "accumulation_steps", integer=True)
    device = _default_device() if device is None else torch.device(device)
    loss_fn = torch.nn.functional.cross_entropy if loss_fn is None else loss_fn
    _check_mean_reduction(loss_fn)
    # region: training loop
    model.train()
    total, correct = _accumulator(device), _accumulator(device)  # running sums, kept on the device
    n, labels, classify = 0, 0, False
    optimizer.zero_grad()
    n_batches = len(loader)
    for i, (xb, yb) in enumerate(loader):
        xb, yb = xb.to(device), yb.to(device)
        out = model(xb)
        loss = loss_fn(out, yb)
        (loss / accumulation_steps).backward()  # gradients add up across backward() calls
        if (i + 1) % accumulation_steps == 0 or i + 1 == n_batches:
            optimizer.step()
            optimizer.zero_grad()
        total += loss.detach() * len(yb)
        n += len(yb)
        if _is_classification(yb):
            classify = True
            correct += (out.detach().argmax(dim=1) == yb).sum()  # class axis 1, as cross_entropy's
            labels += yb.numel()                                   # one label per sample or per position
    result = {"loss": float(total) / n}  # one read-back from the device per epoch
    if classify:
        result["accuracy"] = float(correct) / labels
    return result
    # endregion


def fit(model: "torch.nn.Module", train_loader: Any, optimizer: "torch.optim.Optimizer", *,  # noqa: F821
        epochs: int = 10, loss_fn: Callable | None = None, val_loader: Any = None, device: Any = None,
        scheduler: Any = None, accumulation_steps: int = 1, show_progress: bool = True) -> dict[str, list[float]]:
    """Train ``model`` for ``epochs`` passes; return the history per epoch.

    Parameters
    ----------
    model : torch.nn.Module
        Moved to ``device`` before training (create ``optimizer`` from its parameters; moving
        a module keeps the same parameter objects, so the optimiser stays valid).
    train_loader, val_loader : DataLoader
    optimizer : torch.optim.Optimizer
    epochs : int
    loss_fn : callable, default ``torch.nn.functional.cross_entropy``
    device : torch.device or str, optional
        Default :func:`mlbook.device` (CUDA when present).
    scheduler : torch.optim.lr_scheduler, optional
        Stepped once per epoch.
    accumulation_steps : int, default 1
    show_progress : bool, default True
        Show a progress bar over the epochs (:func:`mlbook.progress`).

    Returns
    -------
    dict of list
        ``train_loss`` and ``lr`` always; ``train_accuracy`` for class labels; ``val_loss``
        (and ``val_accuracy``) with ``val_loader``. One value per epoch.
    """
    import torch

    check_positive(epochs, "epochs", integer=True)
    device = _default_device() if device is None else torch.device(device)
    model.to(device)
    history: dict[str, list[float]] = {}
    bar = progress(range(epochs), desc="epochs", disable=None if show_progress else True)
    for _ in bar:
        history.setdefault("lr", []).append(optimizer.param_groups[0]["lr"])
        for k, v in train_epoch(model, train_loader, optimizer, loss_fn, device, accumulation_steps).items():
            history.setdefault(f"train_{k}", []).append(v)
        if val_loader is not None:
            for k, v in evaluate(model, val_loader, loss_fn, device).items():
                history.setdefault(f"val_{k}", []).append(v)
        if scheduler is not None:
            scheduler.step()
    return history
