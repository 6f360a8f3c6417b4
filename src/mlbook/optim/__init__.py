"""Optimisation: gradient descent and Newton's method (pure and damped) on functions (``descent``), the optimisers of
deep learning with torch.optim's interface (``optimizers``), and the KKT conditions of a small
quadratic programme by enumerating active sets (``active_set``)."""
from .active_set import ActiveSetCase, kkt_by_active_sets
from .descent import damped_newton, gradient_descent, newton
from .optimizers import DivergenceError, Optimizer, SGD, Momentum, AdaGrad, RMSProp, Adam, AdamW, step_lr, cosine_lr, warmup_cosine_lr

__all__ = ["gradient_descent", "newton", "damped_newton", "kkt_by_active_sets", "ActiveSetCase", "DivergenceError", "Optimizer", "SGD", "Momentum", "AdaGrad", "RMSProp", "Adam", "AdamW",
           "step_lr", "cosine_lr", "warmup_cosine_lr"]
