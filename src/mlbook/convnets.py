"""The convolutional networks of chapter 9, as small PyTorch modules.

* :class:`LeNet`: two convolution–ReLU–max-pooling stages and two fully connected layers, in the
  spirit of LeCun et al. (1998), sized for scikit-learn's 8 × 8 digits.
* :class:`ConvBlock` and :class:`DeepConvNet`: a stack of two-convolution blocks, with or without
  the identity shortcut of a residual network (He et al., 2016), to train a deep *plain* network
  and the same depth with residual connections side by side.

They are trained with :func:`mlbook.training.fit`, like every PyTorch model of the book. Importing
this module imports torch.
"""
from __future__ import annotations

import torch
from torch import nn

from .validation import check_positive

__all__ = ["LeNet", "ConvBlock", "DeepConvNet"]


def _check_images(x: torch.Tensor, in_channels: int, name: str) -> None:
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"{name} expects a torch.Tensor, got {type(x).__name__}")
    if x.ndim != 4 or x.shape[1] != in_channels:
        raise ValueError(f"{name} expects a batch of images of shape (N, {in_channels}, H, W), got {tuple(x.shape)}; "
                         "reshape flat 8 × 8 digits with X.reshape(-1, 1, 8, 8)")


class LeNet(nn.Module):
    """A LeNet-style network: [conv 3×3 → ReLU → max-pool 2×2] × 2 → flatten → dense → ReLU → dense.

    Parameters
    ----------
    in_channels : int, default 1
    n_classes : int, default 10
    channels : pair of int, default (32, 64)
        Output channels of the two convolutions (padding 1 keeps the size before each pooling).
    hidden : int, default 128
        Width of the hidden fully connected layer.
    image_size : int, default 8
        Side of the square input; must be divisible by 4 (two poolings halve it twice).
    dropout : float, default 0.0
        Dropout probability before the last layer.

    Notes
    -----
    For an 8 × 8 input: ``(N,1,8,8) → conv → (N,c₁,8,8) → pool → (N,c₁,4,4) → conv → (N,c₂,4,4)
    → pool → (N,c₂,2,2) → flatten → (N,4c₂) → (N,hidden) → (N,n_classes)``. LeCun's LeNet-5 used
    5 × 5 kernels, sigmoidal units and subsampling on 32 × 32 images; ReLU and max pooling are the
    modern defaults.
    """

    def __init__(self, in_channels: int = 1, n_classes: int = 10, *, channels: tuple[int, int] = (32, 64),
                 hidden: int = 128, image_size: int = 8, dropout: float = 0.0):
        super().__init__()
        for value, name in ((in_channels, "in_channels"), (n_classes, "n_classes"), (hidden, "hidden"),
                            (image_size, "image_size")):
            check_positive(value, name, integer=True)
        if len(tuple(channels)) != 2:
            raise ValueError(f"channels must be a pair (c1, c2), got {channels!r}")
        c1, c2 = channels
        check_positive(c1, "channels[0]", integer=True)
        check_positive(c2, "channels[1]", integer=True)
        if image_size % 4:
            raise ValueError(f"image_size must be divisible by 4 (two 2 × 2 poolings), got {image_size}")
        if not 0.0 <= dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout!r}")
        self.in_channels, self.image_size = int(in_channels), int(image_size)
        # region: LeNet
        self.features = nn.Sequential(
            nn.Conv2d(in_channels, c1, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),  # (N, c1, s/2, s/2)
            nn.Conv2d(c1, c2, kernel_size=3, padding=1), nn.ReLU(), nn.MaxPool2d(2),           # (N, c2, s/4, s/4)
        )
        self.classifier = nn.Sequential(
            nn.Flatten(),                                                                       # (N, c2·(s/4)²)
            nn.Linear(c2 * (image_size // 4) ** 2, hidden), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden, n_classes),                                                       # (N, n_classes)
        )
        # endregion

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_images(x, self.in_channels, "LeNet")
        if x.shape[-2:] != (self.image_size, self.image_size):
            raise ValueError(f"LeNet was built for {self.image_size} × {self.image_size} images, got {tuple(x.shape[-2:])}")
        return self.classifier(self.features(x))


class ConvBlock(nn.Module):
    """Two 3 × 3 convolutions with ReLU, optionally with batch normalisation and an identity shortcut.

    ``residual=True`` computes ``ReLU(x + F(x))`` (a basic block of He et al., 2016), ``residual=False``
    the plain ``ReLU(F(x))``, where ``F = conv → [BN] → ReLU → conv → [BN]``. Channels and size are
    kept (padding 1), so the shortcut needs no projection.
    """

    def __init__(self, channels: int, *, residual: bool = True, batch_norm: bool = False):
        super().__init__()
        check_positive(channels, "channels", integer=True)
        self.residual = bool(residual)
        norm = (lambda: nn.BatchNorm2d(channels)) if batch_norm else nn.Identity
        self.body = nn.Sequential(
            nn.Conv2d(channels, channels, 3, padding=1, bias=not batch_norm), norm(), nn.ReLU(),
            nn.Conv2d(channels, channels, 3, padding=1, bias=not batch_norm), norm(),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.body(x)
        if self.residual:
            out = out + x          # the identity path: ∂(x + F(x))/∂x = I + ∂F/∂x
        return torch.relu(out)


class DeepConvNet(nn.Module):
    """Stem convolution, ``n_blocks`` :class:`ConvBlock` s, global average pooling and a linear classifier.

    Parameters
    ----------
    n_blocks : int
        The network has ``2·n_blocks + 2`` weight layers (stem, two per block, classifier).
    channels : int, default 16
    residual : bool, default True
        Identity shortcuts around every block (a residual network) or none (a plain network).
    batch_norm : bool, default False
        Batch normalisation after every convolution of the blocks.
    in_channels, n_classes : int, default 1, 10
    """

    def __init__(self, n_blocks: int, channels: int = 16, *, residual: bool = True, batch_norm: bool = False,
                 in_channels: int = 1, n_classes: int = 10):
        super().__init__()
        for value, name in ((n_blocks, "n_blocks"), (channels, "channels"), (in_channels, "in_channels"),
                            (n_classes, "n_classes")):
            check_positive(value, name, integer=True)
        self.in_channels = int(in_channels)
        self.stem = nn.Sequential(nn.Conv2d(in_channels, channels, 3, padding=1), nn.ReLU())
        self.blocks = nn.Sequential(*[ConvBlock(channels, residual=residual, batch_norm=batch_norm)
                                      for _ in range(n_blocks)])
        self.head = nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, n_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_images(x, self.in_channels, "DeepConvNet")
        return self.head(self.blocks(self.stem(x)))

    def weight_layers(self) -> list[nn.Module]:
        """The convolutions and the linear layer, input to output (for gradient norms per layer)."""
        return [m for m in self.modules() if isinstance(m, (nn.Conv2d, nn.Linear))]

