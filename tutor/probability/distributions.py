"""Random variables as the probability kinds receive them, parsed and validated.

Three ways to give a distribution of one variable:

- a pmf table ``"0: 1/4, 1: 1/2, 2: 1/4"`` (:func:`parse_pmf`), checked to be
  non-negative and to sum to 1;
- a density with its support (``"2x"`` on ``"0,1"``), checked to be non-negative and
  to integrate to 1 (or normalized on request);
- a named family ``"Binomial(10, 1/3)"``, ``"Gaussian(\\mu, \\sigma^2)"``
  (:func:`parse_named`), with numbers or symbols as parameters.

Symbolic parameters are replaced internally by symbols carrying the assumptions
the derivation needs (sympy cannot integrate ``exp(-λx)`` without ``λ > 0``); the
assumptions are stated to the student, and :attr:`RandomVariable.restore` maps
the internal symbols back to the user's, so answers compare with user input.

All text goes through :mod:`tutor.parse`; tables are split at top-level commas
and colons here, never handed to ``sympify``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

import sympy

from tutor.core.errors import TutorError
from tutor.probability.inputs import looks_decimal
from tutor.probability.integrals import Difference
from tutor.probability.numbers import exact, shown

MAX_TABLE = 400          # values of a pmf table or of a joint table side
MAX_BINOMIAL_N = 60      # a numeric Binomial is written out as a table up to this N
MAX_TEXT = 4000

X = sympy.Symbol("x")
K = sympy.Symbol("k", integer=True, nonnegative=True)


# ---------------------------------------------------------------- splitting text

def split_top(text: str, sep: str) -> list[str]:
    """``text`` split at ``sep`` outside brackets and braces: ``"1: f(2,3)"`` keeps ``f(2,3)``."""
    if len(text) > MAX_TEXT:
        raise TutorError(f"the input is longer than {MAX_TEXT} characters")
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def expression(value: Any, what: str) -> sympy.Expr:
    """One expression from text (through :mod:`tutor.parse`) or a Python/sympy number."""
    if isinstance(value, sympy.Basic):
        return value
    if isinstance(value, bool):
        raise TutorError(f"{what} must be a number, not {value}")
    if isinstance(value, int):
        return sympy.Integer(value)
    if isinstance(value, float):
        return sympy.Float(repr(value), "")
    if not isinstance(value, str) or not value.strip():
        raise TutorError(f"{what} is empty")
    from tutor.parsing.text import parse_expression
    try:
        result = parse_expression(value.strip())
    except TutorError as e:
        raise TutorError(f"{what}: {e}") from None
    if not isinstance(result, sympy.Expr):
        raise TutorError(f"{what} is not an expression: {value.strip()}")
    return result


def number(value: Any, what: str) -> sympy.Expr:
    """A real constant (no symbols), e.g. a table value or a probability."""
    e = expression(value, what)
    if e.free_symbols or not e.is_number or e.is_real is False or e.has(sympy.oo, -sympy.oo, sympy.zoo, sympy.nan):
        raise TutorError(f"{what} must be a real number, not {e}")
    return e


def labelled(text: Any, what: str, label: Callable[[str], Any]) -> list[tuple[Any, sympy.Expr]]:
    """``"a: p, b: q"`` (or a mapping) -> ``[(label(a), p), (label(b), q)]``, probabilities exact-checked."""
    if isinstance(text, dict):
        items = [(str(k), v) for k, v in text.items()]
    elif isinstance(text, str):
        items = []
        for part in split_top(text, ","):
            pieces = split_top(part, ":")
            if len(pieces) != 2 or not pieces[0] or not pieces[1]:
                raise TutorError(f"{what}: expected 'value: probability' pairs, got {part!r}")
            items.append((pieces[0], pieces[1]))
    else:
        raise TutorError(f"{what}: expected 'value: probability, ...'")
    if not items:
        raise TutorError(f"{what} is empty")
    if len(items) > MAX_TABLE:
        raise TutorError(f"{what} has {len(items)} entries; at most {MAX_TABLE}")
    out = [(label(k), number(p, f"the probability of {k}")) for k, p in items]
    keys = [k for k, _ in out]
    if len(set(keys)) != len(keys):
        raise TutorError(f"{what} lists a value twice")
    return out


def check_probabilities(probs: list[sympy.Expr], names: list[Any], what: str,
                        total: bool = True) -> None:
    """Each in [0, 1]; with ``total``, they sum to 1 exactly (else say by how much they are off)."""
    for name, p in zip(names, probs):
        if exact(p) < 0:
            raise TutorError(f"{what}: the probability of {name} is negative ({p})")
        if exact(p) > 1:
            raise TutorError(f"{what}: the probability of {name} is greater than 1 ({p})")
    if total:
        s = sympy.nsimplify(sum(exact(p) for p in probs))
        if s != 1:
            raise TutorError(f"{what}: the probabilities sum to {s}, not 1 (off by {s - 1})")


# ---------------------------------------------------------------- the model

@dataclass(frozen=True)
class Assumption:
    """A parameter's assumption, stated to the student: ``key`` is ``unit`` (0 ≤ p ≤ 1),
    ``positive``, ``count`` (a non-negative integer), ``real`` or ``ordered`` (a < b)."""

    symbol: sympy.Expr
    key: str


@dataclass(frozen=True)
class RandomVariable:
    """A random variable of one kind of law.

    ``form`` is ``table`` (finite values/probs), ``series`` (a pmf ``law`` in ``var``
    summed over integers ``lower..upper``) or ``density`` (a pdf ``law`` in ``var``
    integrated over ``lower..upper``).  ``family``/``params`` name a named distribution
    (as the user wrote it); ``assumptions`` are stated; ``restore`` maps internal
    symbols back to the user's.  Table probabilities are exact; ``decimal`` says the
    input had decimals (shown as decimals again).
    """

    form: str
    var: sympy.Symbol
    law: sympy.Expr = sympy.S.Zero
    lower: sympy.Expr = sympy.S.Zero
    upper: sympy.Expr = sympy.S.Zero
    values: tuple[sympy.Expr, ...] = ()
    probs: tuple[sympy.Expr, ...] = ()
    family: str = ""
    params: tuple[sympy.Expr, ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    restore: dict[sympy.Symbol, sympy.Symbol] = field(default_factory=dict)
    decimal: bool = False

    @property
    def discrete(self) -> bool:
        return self.form != "density"

    @property
    def table(self) -> sympy.ImmutableMatrix:
        """The pmf table for display: values on top, probabilities below (decimals as given)."""
        return shown(sympy.ImmutableMatrix([list(self.values), list(self.probs)]), self.decimal)

    def user(self, expr: Any) -> Any:
        """``expr`` in the user's symbols."""
        return expr.xreplace(self.restore) if isinstance(expr, sympy.Basic) else expr


def parse_pmf(text: Any) -> RandomVariable:
    """A pmf table ``"0: 1/4, 1: 1/2, 2: 1/4"``: distinct real values, probabilities summing to 1."""
    if isinstance(text, RandomVariable):
        return text
    pairs = labelled(text, "the pmf", lambda k: number(k, "a value of the pmf"))
    values = [v for v, _ in pairs]
    probs = [p for _, p in pairs]
    check_probabilities(probs, values, "the pmf")
    decimal = looks_decimal(text)
    return RandomVariable(form="table", var=X, values=tuple(exact(v) for v in values),
                          probs=tuple(exact(p) for p in probs), decimal=decimal)


def parse_support(text: Any) -> tuple[sympy.Expr, sympy.Expr]:
    """``"a,b"`` with ends that may be ``-\\infty``, ``oo``: a < b."""
    if isinstance(text, (list, tuple)):
        parts = list(text)
    elif isinstance(text, str):
        parts = split_top(text.strip().strip("[]()"), ",")
    else:
        raise TutorError("the support must be 'a,b'")
    if len(parts) != 2:
        raise TutorError(f"the support must be two ends 'a,b', got {len(parts)} parts")
    ends = []
    for p in parts:
        s = p.strip() if isinstance(p, str) else p
        if isinstance(s, str) and s.replace(" ", "") in ("oo", "+oo", "-oo", "inf", "-inf", "+inf"):
            e = -sympy.oo if s.strip().startswith("-") else sympy.oo
        else:
            e = exact(expression(s, "an end of the support"))
        if e.free_symbols:
            raise TutorError(f"the support ends must be numbers, not {e}")
        if not (e.is_real or e.is_infinite):
            raise TutorError(f"the support end {e} is not real")
        ends.append(e)
    lo, hi = ends
    if not lo < hi:
        raise TutorError(f"the support [{lo}, {hi}] is empty: its left end must be below its right end")
    return lo, hi


# ---------------------------------------------------------------- named families

@dataclass(frozen=True)
class Family:
    """A named distribution: parameter roles (assumption keys), the law and its support."""

    name: str
    roles: tuple[str, ...]
    form: str
    law: Callable[..., sympy.Expr]
    support: Callable[..., tuple[sympy.Expr, sympy.Expr]]


def _binomial_law(n: sympy.Expr, mu: sympy.Expr, k: sympy.Expr) -> sympy.Expr:
    return sympy.binomial(n, k) * mu**k * (1 - mu)**(n - k)


FAMILIES: dict[str, Family] = {f.name.lower(): f for f in (
    Family("Bernoulli", ("unit",), "table", lambda mu, k: mu**k * (1 - mu)**(1 - k),
           lambda mu: (0, 1)),
    Family("Binomial", ("count", "unit"), "series", _binomial_law, lambda n, mu: (0, n)),
    Family("Geometric", ("success",), "series", lambda p, k: p * (1 - p)**(k - 1),
           lambda p: (1, sympy.oo)),
    Family("Poisson", ("positive",), "series",
           lambda lam, k: sympy.exp(-lam) * lam**k / sympy.factorial(k), lambda lam: (0, sympy.oo)),
    # b − a as one sum printed in that order (not sympy's −a + b), kept whole in the derivation
    Family("Uniform", ("real", "real"), "density", lambda a, b, x: 1 / Difference(b, -a),
           lambda a, b: (a, b)),
    Family("Exponential", ("positive",), "density", lambda lam, x: lam * sympy.exp(-lam * x),
           lambda lam: (0, sympy.oo)),
    # x − μ as one sum printed in that order (not sympy's −μ + x): (x − μ)² in every line
    Family("Gaussian", ("real", "variance"), "density",
           lambda mu, v, x: sympy.exp(-Difference(x, -mu)**2 / (2 * v)) / sympy.sqrt(2 * sympy.pi * v),
           lambda mu, v: (-sympy.oo, sympy.oo)),
    Family("Beta", ("positive", "positive"), "density",
           lambda a, b, x: sympy.gamma(a + b) / (sympy.gamma(a) * sympy.gamma(b))
           * x**(a - 1) * (1 - x)**(b - 1), lambda a, b: (0, 1)),
)}
FAMILIES["normal"] = FAMILIES["gaussian"]

_NAMED = re.compile(r"^\s*([A-Za-z]+)\s*\((.*)\)\s*$", re.S)


def _internal(param: sympy.Expr, role: str, family: str, position: int
              ) -> tuple[sympy.Expr, dict[sympy.Symbol, sympy.Symbol], Assumption | None]:
    """The parameter with internal assumption-carrying symbols, the way back, the assumption."""
    what = f"{family}: parameter {position}"
    if not param.free_symbols:
        value = exact(param)
        checks = {
            "unit": (lambda v: 0 <= v <= 1, "must be a probability in [0, 1]"),
            # p = 0 never succeeds (no distribution on {1, 2, ...}); p = 1 is the constant X = 1,
            # which the series derivation (q = 1 - p, 0^0 terms) does not handle
            "success": (lambda v: 0 < v < 1, "must be a success probability 0 < p < 1 "
                        "(p = 1 is the constant X = 1)"),
            "count": (lambda v: v.is_integer and v >= 0, "must be a whole number N >= 0"),
            "positive": (lambda v: v > 0, "must be positive"),
            "variance": (lambda v: v > 0, "(the variance) must be positive"),
            "real": (lambda v: v.is_real, "must be real"),
        }
        ok, message = checks[role]
        if not ok(value):
            raise TutorError(f"{what} {message}, not {param}")
        return value, {}, None
    if role == "variance" and isinstance(param, sympy.Pow) and param.exp == 2 \
            and isinstance(param.base, sympy.Symbol):
        inner = sympy.Symbol(param.base.name, positive=True)
        return inner**2, {inner: param.base}, Assumption(param.base, "positive")
    if not isinstance(param, sympy.Symbol):
        raise TutorError(f"{what} must be a number or a single symbol, not {param}")
    assume = {"unit": dict(positive=True), "success": dict(positive=True), "count": dict(integer=True, positive=True),
              "positive": dict(positive=True), "variance": dict(positive=True),
              "real": dict(real=True)}[role]
    inner = sympy.Symbol(param.name, **assume)
    key = {"variance": "positive", "success": "unit"}.get(role, role)
    return inner, {inner: param}, Assumption(param, key)


def parse_named(text: Any) -> RandomVariable:
    """``"Binomial(10, 1/3)"``, ``"Gaussian(\\mu, \\sigma^2)"``, ...: a named distribution."""
    if isinstance(text, RandomVariable):
        return text
    if not isinstance(text, str):
        raise TutorError("a distribution is written like Binomial(10, 1/3)")
    m = _NAMED.match(text)
    if not m or m.group(1).lower() not in FAMILIES:
        names = ", ".join(f.name for k, f in FAMILIES.items() if k != "normal")
        raise TutorError(f"unknown distribution {text.strip()!r}; known: {names} (e.g. Binomial(10, 1/3))")
    family = FAMILIES[m.group(1).lower()]
    raw = split_top(m.group(2), ",")
    if len(raw) != len(family.roles) or not all(raw):
        raise TutorError(f"{family.name} takes {len(family.roles)} parameter(s), got {len(raw)}")
    user = tuple(expression(r, f"{family.name}: parameter {i}") for i, r in enumerate(raw, 1))
    params, restore, assumptions = [], {}, []
    for i, (p, role) in enumerate(zip(user, family.roles), 1):
        inner, back, assumption = _internal(p, role, family.name, i)
        params.append(inner)
        restore.update(back)
        if assumption is not None:
            assumptions.append(assumption)
    if family.name == "Uniform":
        a, b = params
        if not (a.free_symbols or b.free_symbols) and not a < b:
            raise TutorError(f"Uniform(a, b) needs a < b, not a = {user[0]}, b = {user[1]}")
        if a.free_symbols or b.free_symbols:
            assumptions.append(Assumption(sympy.StrictLessThan(user[0], user[1]), "ordered"))
    lower, upper = (sympy.sympify(e, strict=True) for e in family.support(*params))
    common = dict(family=family.name, params=user, assumptions=tuple(assumptions),
                  restore=restore, decimal=looks_decimal(m.group(2)))
    small = not upper.free_symbols and upper <= MAX_BINOMIAL_N
    if family.form == "table" or (family.name == "Binomial" and small):
        ks = range(int(lower), int(upper) + 1)
        return RandomVariable(form="table", var=K, values=tuple(sympy.Integer(k) for k in ks),
                              probs=tuple(family.law(*params, k) for k in ks),
                              law=family.law(*params, K), lower=lower, upper=upper, **common)
    var = X if family.form == "density" else K
    return RandomVariable(form=family.form, var=var, law=family.law(*params, var),
                          lower=lower, upper=upper, **common)
