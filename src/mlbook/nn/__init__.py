"""Neural networks from scratch in NumPy (chapter 8): the perceptron, layers with a
hand-written backward pass, and a multilayer perceptron built from them."""
from .layers import GELU, BatchNorm1d, Dropout, Layer, Linear, ReLU, Sigmoid, SoftmaxCrossEntropy, Tanh
from .mlp import MLP, relu_interpolant
from .perceptron import Perceptron

__all__ = ["Perceptron", "Layer", "Linear", "ReLU", "Tanh", "Sigmoid", "GELU", "Dropout", "BatchNorm1d",
           "SoftmaxCrossEntropy", "MLP", "relu_interpolant"]
