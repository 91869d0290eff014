"""The activation functions ML students meet, as sympy functions: sigmoid, softplus, ReLU.

sympy has no sigmoid; writing it out as ``1/(1 + exp(-x))`` would make every
derivative an unreadable quotient.  These classes keep the names a student knows
and differentiate the way the lecture does (``σ' = σ(1 - σ)``).  Each one can be
written out in elementary functions (:func:`to_elementary`), so a test can verify
a derivative independently of the ``fdiff`` written here.
"""
from __future__ import annotations

import sympy
from sympy import Function, Heaviside, exp, log


class sigmoid(Function):  # noqa: N801 (sympy function classes are lower case)
    """The logistic function σ(x) = 1/(1 + e^{-x})."""

    @classmethod
    def eval(cls, arg: sympy.Expr) -> sympy.Expr | None:
        """σ(0) = 1/2 (a Taylor polynomial at 0 shows 1/2, not σ(0))."""
        return sympy.S.Half if arg == 0 else None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        s = sigmoid(self.args[0])
        return s * (1 - s)

    def elementary(self) -> sympy.Expr:
        return 1 / (1 + exp(-self.args[0]))

    def _latex(self, printer: sympy.printing.latex.LatexPrinter) -> str:
        return r"\sigma\left(" + printer._print(self.args[0]) + r"\right)"

    def _sympystr(self, printer: sympy.printing.str.StrPrinter) -> str:
        return "sigmoid(" + printer._print(self.args[0]) + ")"


class softplus(Function):  # noqa: N801
    """softplus(x) = log(1 + e^x), a smooth ReLU; its derivative is σ(x)."""

    @classmethod
    def eval(cls, arg: sympy.Expr) -> sympy.Expr | None:
        """softplus(0) = log 2."""
        return log(2) if arg == 0 else None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return sigmoid(self.args[0])

    def elementary(self) -> sympy.Expr:
        return log(1 + exp(self.args[0]))

    def _latex(self, printer: sympy.printing.latex.LatexPrinter) -> str:
        return r"\operatorname{softplus}\left(" + printer._print(self.args[0]) + r"\right)"


class relu(Function):  # noqa: N801
    """ReLU(x) = max(0, x): derivative 1 for x > 0, 0 for x < 0, none at 0 (Heaviside step)."""

    @classmethod
    def eval(cls, arg: sympy.Expr) -> sympy.Expr | None:
        """A known sign decides the value: ReLU(5) = 5, ReLU(-2) = 0."""
        if arg.is_extended_nonnegative:
            return arg
        if arg.is_extended_negative:
            return sympy.S.Zero
        return None

    def fdiff(self, argindex: int = 1) -> sympy.Expr:
        return Heaviside(self.args[0])

    def elementary(self) -> sympy.Expr:
        return sympy.Max(0, self.args[0])

    def _latex(self, printer: sympy.printing.latex.LatexPrinter) -> str:
        return r"\operatorname{ReLU}\left(" + printer._print(self.args[0]) + r"\right)"

    def _sympystr(self, printer: sympy.printing.str.StrPrinter) -> str:
        return "relu(" + printer._print(self.args[0]) + ")"


ML_FUNCTIONS: dict[str, type[Function]] = {
    "sigmoid": sigmoid, "sigma": sigmoid, "σ": sigmoid, "softplus": softplus,
    "relu": relu, "ReLU": relu, "Relu": relu,
}


def to_elementary(expr: sympy.Expr) -> sympy.Expr:
    """The expression with every activation written out (sigmoid -> 1/(1+e^{-x}), ...)."""
    return expr.replace(lambda e: isinstance(e, (sigmoid, softplus, relu)),
                        lambda e: e.elementary())


def adopt_ml_functions(expr: sympy.Expr) -> sympy.Expr:
    """Undefined functions named ``sigmoid``, ``sigma``, ``relu``, ... of one argument become ours."""
    def is_ml(e: sympy.Basic) -> bool:
        return isinstance(e, sympy.core.function.AppliedUndef) and len(e.args) == 1 \
            and e.func.__name__ in ML_FUNCTIONS
    return expr.replace(is_ml, lambda e: ML_FUNCTIONS[e.func.__name__](e.args[0]))


def adopt_written_out(expr: sympy.Expr) -> sympy.Expr:
    """The forms the parser writes activations in, as our functions again:
    ``Max(0, u)`` -> ReLU(u), ``1/(1 + e^{-u})`` -> σ(u), ``log(1 + e^u)`` -> softplus(u).

    Called only for text that names an activation (the parser spells them out): a
    student who writes ``1/(1 + e^{-x})`` keeps that form and its quotient-rule steps."""
    def ml_form(e: sympy.Basic) -> sympy.Expr | None:
        if isinstance(e, sympy.Max) and len(e.args) == 2 and sympy.S.Zero in e.args:
            return relu([a for a in e.args if a != 0][0])
        if e.is_Pow and e.exp.is_Integer and e.exp < 0 and e.base.is_Add \
                and len(e.base.args) == 2 and sympy.S.One in e.base.args:
            other = [a for a in e.base.args if a != 1][0]
            if isinstance(other, exp):  # σ(u)^n is parsed as (1 + e^{-u})^{-n}
                return sigmoid(-other.args[0]) ** (-e.exp)
        if isinstance(e, log) and e.args[0].is_Add and len(e.args[0].args) == 2 \
                and sympy.S.One in e.args[0].args:
            other = [a for a in e.args[0].args if a != 1][0]
            if isinstance(other, exp):
                return softplus(other.args[0])
        return None

    return expr.replace(lambda e: ml_form(e) is not None, lambda e: ml_form(e))
