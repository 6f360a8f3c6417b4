"""Optimisation: gradient descent and Newton's method on functions (``descent``), and the
optimisers of deep learning with torch.optim's interface (``optimizers``)."""
from .descent import gradient_descent, newton

__all__ = ["gradient_descent", "newton"]
