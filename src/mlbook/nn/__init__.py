"""Neural networks from scratch in NumPy: the perceptron, layers with a hand-written backward
pass and a multilayer perceptron built from them (chapter 8); convolution and pooling layers
(chapter 9)."""
from .conv import (AvgPool2d, Conv2d, Flatten, MaxPool2d, col2im, conv2d, conv2d_loops, conv_output_size,
                   im2col, receptive_field)
from .layers import GELU, BatchNorm1d, Dropout, Layer, Linear, ReLU, Sigmoid, SoftmaxCrossEntropy, Tanh
from .mlp import MLP, relu_interpolant
from .perceptron import Perceptron
from ..validation import DivergenceError

__all__ = ["DivergenceError", "Perceptron", "Layer", "Linear", "ReLU", "Tanh", "Sigmoid", "GELU", "Dropout", "BatchNorm1d",
           "SoftmaxCrossEntropy", "MLP", "relu_interpolant",
           "Conv2d", "MaxPool2d", "AvgPool2d", "Flatten", "conv2d", "conv2d_loops", "im2col", "col2im",
           "conv_output_size", "receptive_field"]
