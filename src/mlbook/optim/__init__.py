"""Optimisation: gradient descent and Newton's method on functions (``descent``), and the
optimisers of deep learning with torch.optim's interface (``optimizers``)."""
from .descent import gradient_descent, newton
from .optimizers import SGD, Momentum, AdaGrad, RMSProp, Adam, AdamW, step_lr, cosine_lr, warmup_cosine_lr

__all__ = ["gradient_descent", "newton", "SGD", "Momentum", "AdaGrad", "RMSProp", "Adam", "AdamW",
           "step_lr", "cosine_lr", "warmup_cosine_lr"]
