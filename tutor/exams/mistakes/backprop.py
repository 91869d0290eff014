"""Mistakes of backpropagation through two layers: the backward pass redone from the engine's
forward pass and output δ, with one slip (the activation's derivative left out of the hidden δ,
W₂ for W₂ᵀ, the loss's factor 2 or the error's sign, the outer product the wrong way round)."""
from __future__ import annotations

from typing import Any

import sympy

from tutor.core import answers as A
from tutor.exams.mistakes.registry import mistakes, redo_solution
from tutor.topics.ml_calculus import ForwardLayer, HiddenDelta, OutputDelta


def _backward(inputs: dict[str, Any], key: A.GradientsAnswer, mistake: str) -> A.Answer | None:
    steps = redo_solution("backprop", inputs).steps
    a1 = next(s.a for s in steps if isinstance(s, ForwardLayer) and s.layer == 1)
    local = next(s.local for s in steps if isinstance(s, HiddenDelta))
    delta2 = next(s.delta for s in steps if isinstance(s, OutputDelta))
    W2, x = sympy.Matrix(inputs["W2"]), sympy.Matrix(inputs["input"])
    if mistake == "half":
        if inputs["loss"] != "squared":
            return None  # only the square has a factor 2
        delta2 = delta2 / 2
    if mistake == "sign":
        delta2 = -delta2
    if mistake == "no transpose" and not W2.is_square:
        return None  # W2 δ2 is not defined
    back = (W2 if mistake == "no transpose" else W2.T) * delta2
    delta1 = back if mistake == "no derivative" else back.multiply_elementwise(sympy.Matrix(local))
    outer = (lambda d, a: a * d.T) if mistake == "outer" else (lambda d, a: d * a.T)
    values = {"W1": outer(delta1, x), "b1": delta1, "W2": outer(sympy.Matrix(delta2), a1), "b2": delta2}
    return A.GradientsAnswer(values={k: sympy.ImmutableMatrix(values[k]) for k in key.values}, loss=key.loss)


mistakes("backprop",
         ("the activation's derivative left out of the hidden δ (δ1 = W2^T δ2)",
          lambda i, k: _backward(i, k, "no derivative")),
         ("W2 for W2^T in the backward pass (δ1 = W2 δ2 ⊙ σ'(z1))", lambda i, k: _backward(i, k, "no transpose")),
         ("the factor 2 of the squared loss left out (δ2 = z2 - t)", lambda i, k: _backward(i, k, "half")),
         ("the error's sign reversed (δ2 from t - z2)", lambda i, k: _backward(i, k, "sign")),
         ("the outer product the wrong way round (∂L/∂W = a_prev δ^T)", lambda i, k: _backward(i, k, "outer")))
