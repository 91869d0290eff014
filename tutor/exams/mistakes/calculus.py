"""Mistakes of differentiation: each derivative redone by the rules with one rule broken (the
chain rule's inner factor left out, (uv)' = u'v', the sign of sin'/cos', (u^n)' = n u^n), and the
layout mistakes of gradients and Jacobians; Taylor polynomials without their factorials."""
from __future__ import annotations

from typing import Any

import sympy

from tutor.core import answers as A
from tutor.exams.mistakes.registry import expression, mistakes, redo, tidy

#: the rules a student may break, each by its name in the options
BROKEN = {"chain": "the inner derivative of the chain rule forgotten",
          "product": "the product rule taken as (uv)' = u'v'",
          "trig_sign": "the sign of a trigonometric derivative wrong (sin' = -cos, cos' = sin)",
          "power_lowered": "the exponent not lowered in the power rule ((u^n)' = n u^n)"}


def differentiate(e: sympy.Expr, x: sympy.Symbol, *, chain: bool = True, product: bool = True,
                  trig_sign: bool = True, power_lowered: bool = True) -> sympy.Expr:
    """d/dx by the rules a student applies, one of which may be broken: the inner derivative
    of the chain rule left out, (uv)' taken as u'v', the sign of (sin u)' and (cos u)'
    swapped, or (u^n)' taken as n u^n.  Other variables are constants (a partial derivative)."""
    def d(e: sympy.Expr) -> sympy.Expr:
        if not e.has(x):
            return sympy.S.Zero
        if e == x:
            return sympy.S.One
        if e.is_Add:
            return sympy.Add(*(d(a) for a in e.args))
        if e.is_Mul:
            c, rest = e.as_independent(x, as_Add=False)
            factors = sympy.Mul.make_args(rest)
            if len(factors) == 1:
                return c * d(factors[0])
            if not product:
                return c * sympy.Mul(*(d(f) for f in factors))
            return c * sympy.Add(*(d(f) * sympy.Mul(*(g for j, g in enumerate(factors) if j != i))
                                   for i, f in enumerate(factors)))
        if e.is_Pow:
            base, power = e.as_base_exp()
            if power.has(x):
                if base.has(x):
                    raise ValueError("a variable exponent of a variable base")
                return e * sympy.log(base) * (d(power) if chain else 1)
            return power * base ** (power - 1 if power_lowered else power) * (d(base) if chain else 1)
        if isinstance(e, sympy.Function) and len(e.args) == 1:
            u = e.args[0]
            t = sympy.Dummy("t")
            outer = sympy.diff(e.func(t), t).subs(t, u)
            if e.func in (sympy.sin, sympy.cos) and not trig_sign:
                outer = -outer
            return outer * (d(u) if chain else 1)
        raise ValueError(f"no rule for {e.func}")
    return d(e)


def _derivative(inputs: dict[str, Any], broken: str) -> A.Answer:
    if str(inputs.get("order", "1")) != "1":
        raise ValueError("first derivatives only")
    x, f = inputs["wrt"], inputs["function"]  # the problem's parsed symbol (with its assumptions) and function
    return expression(differentiate(f, x, **{broken: False}))


def _at(M: sympy.Matrix, at: dict | None) -> sympy.Matrix:
    return (M.subs(at) if at else M).applyfunc(tidy)


def _gradient(inputs: dict[str, Any], broken: str) -> A.Answer:
    """The gradient (of ``gradient`` or ``autodiff``: the same row at a point) with a rule broken."""
    f, xs = inputs["function"], inputs["vars"]
    return A.MatrixAnswer(_at(sympy.Matrix([[differentiate(f, x, **{broken: False}) for x in xs]]), inputs["at"]))


def _hessian(inputs: dict[str, Any], broken: str) -> A.Answer:
    f, xs = inputs["function"], inputs["vars"]
    rule = {broken: False}
    H = sympy.Matrix(len(xs), len(xs), lambda r, c: differentiate(differentiate(f, xs[r], **rule), xs[c], **rule))
    return A.MatrixAnswer(_at(H, inputs["at"]))


def _jacobian(inputs: dict[str, Any], broken: str) -> A.Answer:
    fs, xs = inputs["functions"], inputs["vars"]
    return A.MatrixAnswer(sympy.Matrix([[tidy(differentiate(f, x, **{broken: False})) for x in xs]
                                        for f in fs]))


def _each_rule(of: Any) -> tuple[tuple[str, Any], ...]:
    return tuple((name, lambda i, k, b=rule: of(i, b)) for rule, name in BROKEN.items())


mistakes("derivative", *_each_rule(_derivative))

mistakes("gradient",
         ("the gradient written as a column (the transpose of the 1 x n row)",
          lambda i, k: A.MatrixAnswer(k.value.T)),
         *_each_rule(_gradient))

mistakes("autodiff",
         ("the gradient written as a column (the transpose of the 1 x n row)",
          lambda i, k: A.MatrixAnswer(k.value.T)),
         *_each_rule(_gradient))

mistakes("hessian",
         ("the mixed partial derivatives left out (only the diagonal)",
          lambda i, k: A.MatrixAnswer(sympy.diag(*k.value.diagonal()))),
         *_each_rule(_hessian))

mistakes("jacobian",
         ("the transpose (one column per function, the denominator layout)",
          lambda i, k: A.MatrixAnswer(k.value.T)),
         *_each_rule(_jacobian))


def _partial(inputs: dict[str, Any], broken: str) -> A.Answer:
    f = inputs["function"]
    for x in inputs["wrt"]:
        f = differentiate(f, x, **{broken: False})
    return expression(f)


mistakes("partial", *_each_rule(_partial))


def _chain(inputs: dict[str, Any], mistake: str) -> A.Answer | None:
    """df/dt = sum_i df/dx_i (x(t)) dx_i/dt with the inner derivatives or all but one path left out."""
    (t, *more), inner, f = inputs["parameters"], inputs["inner"], inputs["outer"]
    if more:
        return None  # a Jacobian, not a number per path
    terms = [sympy.diff(f, x).subs(inner) * (1 if mistake == "inner" else sympy.diff(inner[x], t))
             for x in inputs["variables"]]
    return expression(sum(terms) if mistake == "inner" else terms[0])


mistakes("chain",
         ("the inner derivatives dx_i/dt forgotten (the partial derivatives of f summed)",
          lambda i, k: _chain(i, "inner")),
         ("only the path through the first variable (the other terms of the sum forgotten)",
          lambda i, k: _chain(i, "one path")))


def _taylor(inputs: dict[str, Any], mistake: str) -> A.Answer | None:
    """sum_k f^(k)(a) (x - a)^k / k! without the k!, or with (x + a)."""
    if len(inputs["vars"]) != 1:
        return None
    x, = inputs["vars"]
    a, n, f = inputs["at"][x], int(inputs["order"]), inputs["function"]
    if mistake == "shift" and a == 0:
        return None
    shift = x + a if mistake == "shift" else x - a
    return expression(sum(sympy.diff(f, x, k).subs(x, a) * shift ** k
                          / (1 if mistake == "factorial" else sympy.factorial(k)) for k in range(n + 1)))


mistakes("taylor",
         ("the factorials left out (f^(k)(a) (x - a)^k)", lambda i, k: _taylor(i, "factorial")),
         ("(x + a)^k for (x - a)^k (the sign of the centre wrong)", lambda i, k: _taylor(i, "shift")),
         ("one term short (the polynomial of one order less)",
          lambda i, k: redo("taylor", i, order=int(i["order"]) - 1) if int(i["order"]) > 1 else None))
