"""The derivative rule engine: differentiate by the rules a student learns, one step per rule.

Modelled on ``sympy/integrals/manualintegrate.py``: each rule is a frozen dataclass
holding the expression, the variable, the derivative it claims and the rule's own
data (the factors of a product, the inner function of a chain, ...); compound rules
hold the derivations of their parts as ``substeps``.  :func:`diff_steps` builds the
tree, :func:`derive` adds the simplification a teacher would write at the end.

Every rule checks itself against ``sympy.diff`` (through :func:`tutor.symcheck.same`),
so the engine cannot invent a rule: where none applies it says so honestly with a
:class:`~tutor.steps.NoStepsKnown` step carrying sympy's result.

Variables are assumed real (``|x|' = sign(x)`` only makes sense for real x); callers
make their symbols real before differentiating (:func:`real_symbols`).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Callable, ClassVar

import sympy
from sympy import (Abs, Heaviside, Pow, Symbol, acos, acot, asin, atan, cos, cosh, cot, csc,
                   exp, log, sec, sin, sinh, sqrt, tan, tanh)
from sympy.core.function import AppliedUndef

from tutor.core.functions import relu, sigmoid, softplus, to_elementary
from tutor.core.steps import NoStepsKnown, Step
from tutor.core.symcheck import same, same_matrix

#: Above this many operations the final simplification is skipped (a bigger result is
#: shown as the rules give it: no reader follows a tidy step that long).
SIMPLIFY_LIMIT = 120
INNER_TIDY_LIMIT = 24  # operations: inner product/quotient results a student reads at a glance
FACTOR_LIMIT = 40  # operations: longer results are not factored (slow, and rarely shorter)


# ---------------------------------------------------------------- the rules

@dataclass(frozen=True, kw_only=True)
class DiffRule(Step):
    """A claim ``d/d var expr = result``; every rule is one, and checks it against sympy."""

    rule: ClassVar[str] = "diff.rule"
    expr: sympy.Expr
    var: Symbol
    result: sympy.Expr

    def check(self) -> bool:
        return same(sympy.diff(to_elementary(self.expr), self.var), self.result) and \
            all(self._parts_check())

    def _parts_check(self) -> tuple[bool, ...]:
        """The rule's own data is consistent with ``expr`` (overridden by compound rules)."""
        return ()


@dataclass(frozen=True, kw_only=True)
class ConstantRule(DiffRule):
    """d/dx c = 0; ``held_constant``: the other variables in c (constants in a partial derivative)."""

    rule: ClassVar[str] = "diff.constant"
    held_constant: tuple[Symbol, ...] = ()


@dataclass(frozen=True, kw_only=True)
class VariableRule(DiffRule):
    """d/dx x = 1."""

    rule: ClassVar[str] = "diff.variable"


@dataclass(frozen=True, kw_only=True)
class ConstantMultipleRule(DiffRule):
    """(c u)' = c u': ``constant`` times ``other``; the substep differentiates ``other``."""

    rule: ClassVar[str] = "diff.constant_multiple"
    constant: sympy.Expr
    other: sympy.Expr

    def _parts_check(self) -> tuple[bool, ...]:
        return (not self.constant.has(self.var), same(self.constant * self.other, self.expr))


@dataclass(frozen=True, kw_only=True)
class SumRule(DiffRule):
    """(u + v + ...)' = u' + v' + ...: one substep per term."""

    rule: ClassVar[str] = "diff.sum"
    terms: tuple[sympy.Expr, ...]

    def _parts_check(self) -> tuple[bool, ...]:
        return (same(sympy.Add(*self.terms), self.expr),)


@dataclass(frozen=True, kw_only=True)
class PowerRule(DiffRule):
    """d/dx x^n = n x^(n-1) for any constant exponent n (roots included: n = 1/2, ...)."""

    rule: ClassVar[str] = "diff.power"
    exponent: sympy.Expr


@dataclass(frozen=True, kw_only=True)
class ProductRule(DiffRule):
    """(u v w ...)' = u' v w ... + u v' w ... + ...: one substep per factor."""

    rule: ClassVar[str] = "diff.product"
    factors: tuple[sympy.Expr, ...]

    def _parts_check(self) -> tuple[bool, ...]:
        return (same(sympy.Mul(*self.factors), self.expr),)


@dataclass(frozen=True, kw_only=True)
class QuotientRule(DiffRule):
    """(u/v)' = (u' v - u v') / v^2: substeps differentiate the numerator, then the denominator."""

    rule: ClassVar[str] = "diff.quotient"
    numerator: sympy.Expr
    denominator: sympy.Expr

    def _parts_check(self) -> tuple[bool, ...]:
        return (same(self.numerator / self.denominator, self.expr),)


@dataclass(frozen=True, kw_only=True)
class ChainRule(DiffRule):
    """(f(g(x)))' = f'(g(x)) g'(x) with the substitution ``u = inner``: ``outer`` is f(u).

    Substeps: the derivative of the outer function with respect to u, then of the inner one.
    """

    rule: ClassVar[str] = "diff.chain"
    outer: sympy.Expr
    u: Symbol
    inner: sympy.Expr

    def _parts_check(self) -> tuple[bool, ...]:
        return (same(self.outer.subs(self.u, self.inner), self.expr),)

    @property
    def outer_at_inner(self) -> sympy.Expr:
        """f'(u) with u = inner put back as a student writes it, ``2(x^2 + 1)`` rather than
        ``2x^2 + 2`` (unevaluated: for display only, never for a check)."""
        with sympy.evaluate(False):
            return self.substeps[0].result.xreplace({self.u: self.inner})


@dataclass(frozen=True, kw_only=True)
class ExpRule(DiffRule):
    """d/dx e^x = e^x."""

    rule: ClassVar[str] = "diff.exp"


@dataclass(frozen=True, kw_only=True)
class ExponentialRule(DiffRule):
    """d/dx a^x = a^x ln a for a constant base a."""

    rule: ClassVar[str] = "diff.exponential"
    base: sympy.Expr


@dataclass(frozen=True, kw_only=True)
class LogRule(DiffRule):
    """d/dx ln x = 1/x (a logarithm to base b is ln x / ln b: a constant multiple)."""

    rule: ClassVar[str] = "diff.log"


@dataclass(frozen=True, kw_only=True)
class FunctionRule(DiffRule):
    """A table derivative of a named elementary function of x: ``function`` is its name
    (sin, cos, tan, ..., asin, ..., sinh, cosh, tanh, sigmoid, softplus)."""

    rule: ClassVar[str] = "diff.function"
    function: str


@dataclass(frozen=True, kw_only=True)
class AbsRule(DiffRule):
    """d/dx |x| = sign(x), valid for x != 0 (|x| has a corner at 0)."""

    rule: ClassVar[str] = "diff.abs"


@dataclass(frozen=True, kw_only=True)
class ReLURule(DiffRule):
    """ReLU(x) = x for x > 0 and 0 for x < 0, so its derivative is 1 resp. 0 (the step
    function H(x)); at x = 0 there is a corner and no derivative."""

    rule: ClassVar[str] = "diff.relu"


@dataclass(frozen=True, kw_only=True)
class UndefinedFunctionRule(DiffRule):
    """An unknown function f(x) (or f(x, y)): its derivative stays written as f'(x) / ∂f/∂x."""

    rule: ClassVar[str] = "diff.undefined"


@dataclass(frozen=True, kw_only=True)
class RewriteRule(DiffRule):
    """``expr`` is rewritten as ``rewritten`` (x^x = e^{x ln x}); the substep differentiates that."""

    rule: ClassVar[str] = "diff.rewrite"
    rewritten: sympy.Expr

    def _parts_check(self) -> tuple[bool, ...]:
        return (same(self.expr, self.rewritten),)


@dataclass(frozen=True, kw_only=True)
class Simplification(Step):
    """The raw result of the rules, ``before``, tidied to ``after`` (expressions or matrices)."""

    rule: ClassVar[str] = "diff.simplify"
    before: sympy.Basic
    after: sympy.Basic

    def check(self) -> bool:
        if isinstance(self.before, sympy.MatrixBase):
            return same_matrix(self.before, self.after)
        return same(self.before, self.after)


@dataclass(frozen=True, kw_only=True)
class Derivation(DiffRule):
    """A whole derivative: substeps are the rule tree, then (maybe) a :class:`Simplification`.

    ``raw`` is what the rules give; ``result`` the simplified derivative.
    """

    rule: ClassVar[str] = "diff.derivation"
    raw: sympy.Expr

    def _parts_check(self) -> tuple[bool, ...]:
        return (same(self.raw, self.result),)


# ---------------------------------------------------------------- the engine

# The derivative of each elementary function, as a function of its argument u.
_TABLE: dict[type, Callable[[sympy.Expr], sympy.Expr]] = {
    sin: cos, cos: lambda u: -sin(u), tan: lambda u: 1 + tan(u) ** 2,
    cot: lambda u: -1 - cot(u) ** 2, sec: lambda u: sec(u) * tan(u),
    csc: lambda u: -csc(u) * cot(u),
    asin: lambda u: 1 / sqrt(1 - u ** 2), acos: lambda u: -1 / sqrt(1 - u ** 2),
    atan: lambda u: 1 / (1 + u ** 2), acot: lambda u: -1 / (1 + u ** 2),
    sinh: cosh, cosh: sinh, tanh: lambda u: 1 - tanh(u) ** 2,
    sigmoid: lambda u: sigmoid(u) * (1 - sigmoid(u)), softplus: sigmoid,
}


def diff_steps(expr: sympy.Expr, var: Symbol) -> Step:
    """The rule tree of ``d/d var expr``: its ``result`` equals ``sympy.diff(expr, var)``."""
    return _Engine(var).steps(expr)


def derive(expr: sympy.Expr, var: Symbol) -> Derivation:
    """The rule tree followed by a simplification step when the raw result simplifies."""
    tree = diff_steps(expr, var)
    raw = tree.result
    tidy = tidy_result(raw)
    substeps: tuple[Step, ...] = (tree,)
    if tidy != raw:
        substeps += (Simplification(before=raw, after=tidy),)
    return Derivation(expr=expr, var=var, raw=raw, result=tidy, substeps=substeps)


@functools.lru_cache(maxsize=2048)
def tidy_result(raw: sympy.Expr) -> sympy.Expr:
    """The shortest of a few tidy forms of ``raw``, keeping only forms a teacher would write:
    none that brings in functions or constants the raw result did not have (no
    ``sqrt(2) sin(x + pi/4)`` for ``cos x - sin x``), and a form must be 2 operations shorter
    than the best so far to be chosen (a sign moved is not worth a step), 1 when a
    number is pulled out of a factor of a product (:func:`_numbers_pulled`) or a leading
    minus is moved into a difference (:func:`_sign_into_difference`).

    The forms are tried in order of cost, each only where it can change something:
    common factors pulled out (``factor_terms``, of the whole and of each term, always);
    fractions combined (``together``) and, up to ``FACTOR_LIMIT`` operations, cancelled and
    factored (``factor``: on longer ones it costs much and rarely wins), when there is a
    sum or a quotient to work on (``cancel`` won 1 result in 365, in an expanded form);
    exponentials multiplied together (``powsimp``) when two of one base meet in a product;
    ``2 sin x cos x = sin 2x``, ``sin^2 x + cos^2 x = 1`` (``trigsimp``) when sin and cos
    (sinh and cosh) of one argument meet in a product or both squared; |.| and sign of
    even powers dropped (:func:`_unsigned_even_powers`).  sympy's ``simplify`` on every
    result cost 15 to 30x ``sympy.diff`` in the benchmark and found a form shorter than
    these in about 1 result in 100 (measured on 800 derivatives of random expressions and
    of the exam generator's functions).

    Skipped on large results and on results of at most 2 operations (only a lone
    number or symbol would be 2 shorter, and sympy evaluates such derivatives to one).
    Cached: a Hessian, a Taylor polynomial or a sheet rendered twice meets the same
    derivatives again."""
    raw_ops = 0 if raw.is_Atom else sympy.count_ops(raw)
    if raw_ops <= 2 or raw_ops > SIMPLIFY_LIMIT:
        return raw
    vocabulary = _vocabulary(raw)
    best, best_ops = raw, raw_ops

    def consider(candidate: sympy.Expr, margin: int = 2) -> None:
        nonlocal best, best_ops
        if candidate == best:
            return
        ops = sympy.count_ops(candidate)
        if ops <= best_ops - margin and _vocabulary(candidate) <= vocabulary:
            best, best_ops = candidate, ops

    short = raw_ops <= INNER_TIDY_LIMIT
    consider(_common_factors(raw))
    termwise, pulled = _numbers_pulled(raw)
    consider(termwise, margin=1 if pulled else 2)
    if _rational_work(raw):
        combined = sympy.together(raw)
        if combined != raw:
            consider(_common_factors(combined))
        if raw_ops <= FACTOR_LIMIT:
            consider(sympy.factor(raw))
    if _exponentials_meet(best):
        consider(sympy.powsimp(best, combine="exp"))
    if short and _trig_identity_may_apply(raw):
        consider(sympy.factor_terms(sympy.trigsimp(raw)))
    consider(_sign_into_difference(best), margin=1)
    unsigned = _unsigned_even_powers(raw)
    if unsigned is not raw:
        consider(tidy_result(unsigned))
    return best


def _numbers_pulled(raw: sympy.Expr) -> tuple[sympy.Expr, bool]:
    """Common factors pulled out of each term of ``raw`` (of ``raw`` itself when it is a
    product), and whether a number came out of a factor of a product, a teacher's step
    even when it saves one operation: 2x(3y - 3) = 6x(y - 1), 4 - 12(2s - 2t)^2 = 4 - 48(s - t)^2.
    A sum is not pulled as a whole: -9x^2 - 2 stays, not -(9x^2 + 2)."""
    terms = raw.args if raw.is_Add else (raw,)
    pulled = [_common_factors(t) for t in terms]
    grew = any(t.is_Mul and abs(p.as_coeff_Mul()[0]) > abs(t.as_coeff_Mul()[0])
               for t, p in zip(terms, pulled))
    return (sympy.Add(*pulled) if raw.is_Add else pulled[0]), grew


def _sign_into_difference(e: sympy.Expr) -> sympy.Expr:
    """A product with a negative number and one polynomial sum as factors, the sign moved
    into the sum when the sum then leads with a plus and has no more minus signs:
    -6x(3 - 4y) = 6x(4y - 3), -3(2 - 2y) = 6(y - 1), as a teacher writes it (not
    -(3y^2 + 2y - 6) = -3y^2 - 2y + 6, not into 1 - tanh^2 u, the table's form).
    ``e`` itself otherwise."""
    if not e.is_Mul:
        return e
    coeff, rest = e.as_coeff_Mul()
    sums = [f for f in sympy.Mul.make_args(rest) if f.is_Add]
    if not coeff.is_negative or len(sums) != 1 or rest == sums[0] or not sums[0].is_polynomial():
        return e
    flipped = -sums[0]  # sympy distributes the -1 over the sum
    if flipped.as_ordered_terms()[0].could_extract_minus_sign() \
            or _minus_signs(flipped) > _minus_signs(sums[0]):
        return e
    return -coeff * (rest / sums[0]) * _common_factors(flipped)


def _minus_signs(s: sympy.Expr) -> int:
    return sum(1 for t in sympy.Add.make_args(s) if t.could_extract_minus_sign())


def _unsigned_even_powers(e: sympy.Expr) -> sympy.Expr:
    """``e`` with |b^(2k)| written b^(2k), and sign(b^(-2k)) written 1 (b real; a negative
    power is never 0), which sympy leaves when b may be 0: |(x + 2)^(-2)| = (x + 2)^(-2).
    ``e`` itself when there is none."""
    mapping = {}
    for a in e.atoms(Abs, sympy.sign):
        p = a.args[0]
        if p.is_Pow and p.exp.is_even and p.base.is_extended_real \
                and (isinstance(a, Abs) or p.exp.is_negative):
            mapping[a] = p if isinstance(a, Abs) else sympy.S.One
    return e.xreplace(mapping) if mapping else e


def _rational_work(e: sympy.Expr) -> bool:
    """Whether ``e``, read as a rational function of its symbols and function calls, has a
    sum or a quotient for ``together``/``factor`` to work on (else they give ``e`` back)."""
    if e.is_Add:
        return True
    if e.is_Mul:
        return any(_rational_work(a) for a in e.args)
    if e.is_Pow and e.exp.is_Integer:
        return e.exp.is_negative and not e.base.is_Atom or _rational_work(e.base)
    return False


def _exponentials_meet(e: sympy.Expr) -> bool:
    """Two exponentials, or two powers of one base with symbolic exponents, in one product."""
    for m in e.atoms(sympy.Mul):
        bases = [a.base if a.is_Pow else sympy.E for a in m.args
                 if isinstance(a, exp) or a.is_Pow and not a.exp.is_number]
        if len(bases) != len(set(bases)):
            return True
    return False


_TRIG_PAIRS = ((sin, cos), (sinh, cosh))


def _trig_identity_may_apply(e: sympy.Expr) -> bool:
    """sin a and cos a (or sinh a and cosh a) in one product (``2 sin a cos a = sin 2a``) or
    both squared (``sin^2 a + cos^2 a = 1``): only then can ``trigsimp`` shorten ``e``."""
    functions = e.atoms(sin, cos, sinh, cosh)
    pairs = [(f, b(*f.args)) for a, b in _TRIG_PAIRS for f in functions if f.func is a]
    pairs = [(f, g) for f, g in pairs if g in functions]
    if not pairs:
        return False
    squares = {p.base for p in e.atoms(Pow) if p.exp.is_Integer and p.exp.is_even}
    products = [{a.base if a.is_Pow else a for a in m.args} for m in e.atoms(sympy.Mul)]
    return any(f in squares and g in squares or any(f in m and g in m for m in products)
               for f, g in pairs)


_COMMON: dict[sympy.Expr, sympy.Expr] = {}
_COMMON_SIZE = 4096


def _common_factors(e: sympy.Expr) -> sympy.Expr:
    """``factor_terms(e)`` (common factors pulled out), remembered, and its result remembered
    as its own: a chain rule's result, already pulled, is the raw result a derivation then
    tidies, and ``factor_terms`` of a large expression costs as much as differentiating it."""
    done = _COMMON.get(e)
    if done is None:
        if len(_COMMON) >= _COMMON_SIZE:
            _COMMON.clear()
        done = _COMMON[e] = sympy.factor_terms(e)
        _COMMON.setdefault(done, done)
    return done


def clear_caches() -> None:
    """Forget every cached tidy form (benchmarks measure cold, like sympy's ``clear_cache``)."""
    tidy_result.cache_clear()
    _COMMON.clear()


def _tidy_inner(raw: sympy.Expr) -> sympy.Expr:
    """A product or quotient rule result inside a derivation: tidied when short.  A long
    one is left as the rule gives it (the final simplification step tidies the whole):
    tidying every level of a deep expression repeats that work on ever larger parts."""
    return tidy_result(raw) if raw.is_Atom or sympy.count_ops(raw) <= INNER_TIDY_LIMIT else raw


def _vocabulary(e: sympy.Expr) -> set[object]:
    """The function types, named constants and irrational numbers that occur in ``e``."""
    return ({type(f) for f in e.atoms(sympy.Function)} | e.atoms(sympy.NumberSymbol)
            | {p for p in e.atoms(Pow) if p.is_number})


def real_symbols(expr: sympy.Expr) -> tuple[sympy.Expr, dict[Symbol, Symbol]]:
    """``expr`` with every free symbol replaced by a real symbol of the same name."""
    mapping = {s: Symbol(s.name, real=True) for s in expr.free_symbols
               if isinstance(s, Symbol) and not s.is_real}
    return expr.xreplace(mapping), mapping


class _Engine:
    """Picks the rule for each subexpression; one instance per differentiation variable.

    ``taken``: letters that an enclosing rule has already given a meaning (the u and v of
    a product or quotient rule, the substitution of an outer chain rule), so that a chain
    rule inside picks another letter for its substitution.
    """

    def __init__(self, var: Symbol, taken: frozenset[str] = frozenset()) -> None:
        self.var = var
        self.taken = taken

    def _within(self, *letters: str) -> "_Engine":
        return _Engine(self.var, self.taken | set(letters))

    def steps(self, expr: sympy.Expr) -> Step:
        x = self.var
        if not expr.has(x):
            held = tuple(sorted((s for s in expr.free_symbols if s != x), key=str))
            return ConstantRule(expr=expr, var=x, result=sympy.S.Zero, held_constant=held)
        if expr == x:
            return VariableRule(expr=expr, var=x, result=sympy.S.One)
        if expr.is_Add:
            terms = tuple(expr.as_ordered_terms())  # in the order they are printed
            return self._compound(SumRule, expr, terms, sympy.Add, terms=terms)
        if expr.is_Mul:
            return self._mul(expr)
        if expr.is_Pow:
            return self._pow(expr)
        if isinstance(expr, AppliedUndef):
            return self._undefined(expr)
        if isinstance(expr, sympy.Function) and len(expr.args) == 1:
            return self._function(expr)
        return self._unknown(expr)

    # -- compound rules -----------------------------------------------------
    def _compound(self, cls: type[DiffRule], expr: sympy.Expr, parts: tuple[sympy.Expr, ...],
                  combine: Callable[..., sympy.Expr], **data: object) -> DiffRule:
        subs = tuple(self.steps(p) for p in parts)
        return cls(expr=expr, var=self.var, result=combine(*(s.result for s in subs)),
                   substeps=subs, **data)

    def _mul(self, expr: sympy.Expr) -> Step:
        x = self.var
        constant, other = expr.as_independent(x, as_Add=False)
        if constant != 1:
            sub = self.steps(other)
            return ConstantMultipleRule(expr=expr, var=x, result=constant * sub.result,
                                        constant=constant, other=other, substeps=(sub,))
        down = [f for f in expr.args if f.is_Pow and f.exp.is_Rational and f.exp.is_negative]
        numerator = sympy.Mul(*[f for f in expr.args if f not in down])
        denominator = sympy.Mul(*[1 / f for f in down])
        if down and numerator.has(x) and denominator.has(x):
            inside = self._within("u", "v")
            top, bottom = inside.steps(numerator), inside.steps(denominator)
            # tidied here, not only at the end, so that the rules around it read well
            result = _tidy_inner((top.result * denominator - numerator * bottom.result)
                                 / denominator ** 2)
            return QuotientRule(expr=expr, var=x, result=result, numerator=numerator,
                                denominator=denominator, substeps=(top, bottom))
        factors = tuple(expr.as_ordered_factors())  # u and v in the order they are printed
        inside = self._within("u", "v") if len(factors) == 2 else self._within("u", "v", "w")
        subs = tuple(inside.steps(f) for f in factors)
        result = _tidy_inner(sympy.Add(*(sympy.Mul(*(s.result if j == i else f
                                                      for j, f in enumerate(factors)))
                                         for i, s in enumerate(subs))))
        return ProductRule(expr=expr, var=x, result=result, factors=factors, substeps=subs)

    def _pow(self, expr: sympy.Expr) -> Step:
        x = self.var
        base, e = expr.base, expr.exp
        if not e.has(x):
            if base == x:
                return PowerRule(expr=expr, var=x, result=e * x ** (e - 1), exponent=e)
            return self._chain(expr, base)
        if not base.has(x):
            if e == x:
                return ExponentialRule(expr=expr, var=x, result=expr * log(base), base=base)
            return self._chain(expr, e)
        rewritten = exp(e * log(base), evaluate=False)
        sub = self._chain(rewritten, e * log(base))
        return RewriteRule(expr=expr, var=x, result=sub.result.subs(rewritten, expr),
                           rewritten=rewritten, substeps=(sub,))

    def _function(self, expr: sympy.Function) -> Step:
        x = self.var
        (arg,) = expr.args
        if arg != x:
            return self._chain(expr, arg)
        if isinstance(expr, exp):
            return ExpRule(expr=expr, var=x, result=expr)
        if isinstance(expr, log):
            return LogRule(expr=expr, var=x, result=1 / x)
        if isinstance(expr, Abs):
            return AbsRule(expr=expr, var=x, result=sympy.sign(x))
        if isinstance(expr, relu):
            return ReLURule(expr=expr, var=x, result=Heaviside(x))
        derivative = _TABLE.get(expr.func)
        if derivative is None:
            return self._unknown(expr)
        return FunctionRule(expr=expr, var=x, result=derivative(x), function=expr.func.__name__)

    def _undefined(self, expr: AppliedUndef) -> Step:
        x = self.var
        if x in expr.args and all(a.is_Symbol for a in expr.args):
            return UndefinedFunctionRule(expr=expr, var=x, result=sympy.Derivative(expr, x))
        if len(expr.args) == 1:
            return self._chain(expr, expr.args[0])
        return self._unknown(expr)

    def _chain(self, expr: sympy.Expr, inner: sympy.Expr) -> Step:
        """Differentiate ``expr`` = f(inner) with the substitution u = inner."""
        u = _fresh(expr, self.taken)
        outer = expr.xreplace({inner: u})
        outer_step = _Engine(u, self.taken | {u.name}).steps(outer)
        inner_step = self._within(u.name).steps(inner)
        # a teacher writes 2(x^2 + 1) \cdot 2x as 4x(x^2 + 1), not 2x(2x^2 + 2)
        result = _common_factors(outer_step.result.subs(u, inner) * inner_step.result)
        return ChainRule(expr=expr, var=self.var, result=result, outer=outer, u=u, inner=inner,
                         substeps=(outer_step, inner_step))

    def _unknown(self, expr: sympy.Expr) -> Step:
        return NoStepsKnown(expression=expr, result=sympy.diff(expr, self.var), reason="no_rule")


def _fresh(expr: sympy.Expr, taken: frozenset[str] = frozenset()) -> Symbol:
    """A real symbol for the chain rule's substitution that does not occur in ``expr``
    and that no enclosing rule uses (``taken``)."""
    names = {s.name for s in expr.free_symbols} | set(taken)
    for name in ("u", "v", "w", "s", "p", "q", "z"):
        if name not in names:
            return Symbol(name, real=True)
    return sympy.Dummy("u", real=True)
