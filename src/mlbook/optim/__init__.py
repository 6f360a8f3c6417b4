"""Optimisation: gradient descent and Newton's method on functions (``descent``), the optimisers of
deep learning with torch.optim's interface (``optimizers``), and the KKT conditions of a small
quadratic programme by enumerating active sets (``active_set``)."""
from .active_set import ActiveSetCase, kkt_by_active_sets
from .descent import gradient_descent, newton
from .optimizers import SGD, Momentum, AdaGrad, RMSProp, Adam, AdamW, step_lr, cosine_lr, warmup_cosine_lr

__all__ = ["gradient_descent", "newton", "kkt_by_active_sets", "ActiveSetCase", "SGD", "Momentum", "AdaGrad", "RMSProp", "Adam", "AdamW",
           "step_lr", "cosine_lr", "warmup_cosine_lr"]
