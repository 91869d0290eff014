"""Calculus: sympy.diff of the raw function (activations written out), at the point if given;
compositions written out (chain rule), networks written out in symbols (backprop), matrix
expressions written out with explicit matrices of symbols (matrix gradients)."""
from __future__ import annotations

import re
from typing import Any

import sympy
from sympy.parsing.sympy_parser import parse_expr

from .. import reading
from .common import Wrong, agree, equal, equal_matrices, plain, value


def _names(text: Any) -> list[sympy.Symbol]:
    items = text if isinstance(text, (list, tuple)) else str(text).strip("()").split(",")
    return [sympy.Symbol(str(t).strip(), real=True) for t in items]


def _point(raw: dict) -> dict | None:
    if not raw.get("at"):
        return None
    return {sympy.Symbol(k.strip(), real=True): reading.expr(v) for k, v in
            (pair.split("=") for pair in str(raw["at"]).split(","))}


def _variables(raw: dict, *fs: sympy.Expr) -> list[sympy.Symbol]:
    given = raw.get("vars") or raw.get("wrt")
    return _names(given) if given else sorted(set().union(*(f.free_symbols for f in fs)), key=lambda s: s.name)


def _at(M: sympy.Matrix, raw: dict, ans: Any) -> sympy.Matrix:
    """The expected matrix at the point, unless the tutor said why it has no value there (then
    the answer is the function, compared as such)."""
    point = _point(raw)
    if point is None or ans.value.free_symbols & set(point):
        return M
    return M.subs(point)


def derivative(raw: dict, ans: Any) -> None:
    f = reading.expr(raw["function"])
    (x,) = _variables(raw, f)
    expected = sympy.diff(f, x, int(raw.get("order") or 1))
    agree(equal(ans.value, expected), f"d/dx is {expected}, not {ans.value}")


def partial(raw: dict, ans: Any) -> None:
    f = reading.expr(raw["function"])
    expected = sympy.diff(f, *_names(raw["wrt"]))
    agree(equal(ans.value, expected), f"the partial is {expected}, not {ans.value}")


def gradient(raw: dict, ans: Any) -> None:
    f = reading.expr(raw["function"])
    xs = _variables(raw, f)
    expected = _at(sympy.Matrix([[sympy.diff(f, x) for x in xs]]), raw, ans)
    agree(equal_matrices(ans.value, expected), f"gradient {expected.tolist()}")


def hessian(raw: dict, ans: Any) -> None:
    f = reading.expr(raw["function"])
    xs = _variables(raw, f)
    expected = _at(sympy.hessian(f, xs), raw, ans)
    agree(equal_matrices(ans.value, expected), f"Hessian {expected.tolist()}")


def jacobian(raw: dict, ans: Any) -> None:
    fs = [reading.expr(t) for t in raw["functions"]]
    xs = _variables(raw, *fs)
    expected = sympy.Matrix(fs).jacobian(xs)
    agree(equal_matrices(ans.value, expected), f"Jacobian {expected.tolist()}")


def taylor(raw: dict, ans: Any) -> None:
    f = reading.expr(raw["function"])
    point = _point(raw)
    xs = _variables(raw, f)
    n = int(raw.get("order") or 2)
    t = sympy.Symbol("t_", positive=True)
    shifted = f.subs({x: point[x] + t * (x - point[x]) for x in xs}, simultaneous=True)
    expected = sympy.series(shifted, t, 0, n + 1).removeO().subs(t, 1)
    agree(equal(ans.value, expected), f"Taylor polynomial {sympy.expand(expected)}")


def _plain_matrix(M: Any) -> sympy.Matrix:
    return sympy.Matrix(M).applyfunc(plain)


def chain(raw: dict, ans: Any) -> None:
    """The composed function written out and differentiated directly (no Jacobians): one
    entry per parameter of the inner functions, in alphabetical order, as the tutor states."""
    outer = plain(reading.expr(raw["outer"]))
    inner = [str(d).split("=") for d in raw["inner"]]
    definitions = {sympy.Symbol(lhs.strip()): plain(reading.expr(rhs)) for lhs, rhs in inner}
    composed = outer.subs(definitions, simultaneous=True)
    params = sorted(set().union(*(e.free_symbols for e in definitions.values())), key=lambda s: s.name)
    expected = sympy.Matrix([[sympy.diff(composed, t) for t in params]])
    got = _plain_matrix(ans.value if isinstance(ans.value, sympy.MatrixBase) else [[ans.value]])
    agree(equal_matrices(got, expected), f"d/d{params} of the composition is {expected.tolist()}")


def autodiff(raw: dict, ans: Any) -> None:
    """∇f at the point by sympy.diff of the whole expression, in the order of ``vars`` (else
    of the point), and at 40 digits by central differences (mpmath) as a second opinion."""
    import mpmath
    f = plain(reading.expr(raw["function"])).replace(
        lambda e: isinstance(e, sympy.Max) and len(e.args) == 2 and 0 in e.args,
        lambda e: _relu(next(a for a in e.args if a != 0)))  # the tutor's ReLU'(0) = 0, as in backprop
    point = {plain(k): v for k, v in _point(raw).items()}
    xs = [plain(x) for x in _names(raw["vars"])] if raw.get("vars") else list(point)
    expected = sympy.Matrix([[sympy.diff(f, x).subs(point) for x in xs]])
    got = _plain_matrix(ans.value)
    agree(equal_matrices(got, expected), f"∇f at the point is {expected.tolist()}")
    if f.has(sympy.Max, sympy.Min, sympy.Abs, sympy.Piecewise):
        return  # not smooth: differences say nothing at a kink
    with mpmath.workdps(60):
        F = sympy.lambdify(xs, f, modules="mpmath")
        at = [mpmath.mpf(str(sympy.N(point[x], 70))) for x in xs]
        for i, x in enumerate(xs):
            d = mpmath.diff(lambda u: F(*(at[:i] + [u] + at[i + 1:])), at[i])
            agree(abs(complex(d) - value(got[0, i])) <= 1e-12 * (1 + abs(complex(d))),
                  f"∂f/∂{x} is {mpmath.nstr(d, 20)} by differences")


# ---------------------------------------------------------------- backprop

def _relu(z: sympy.Expr) -> sympy.Expr:
    """ReLU with derivative 0 at 0 (the tutor's stated convention; MML leaves it open)."""
    return sympy.Piecewise((z, z > 0), (0, True))


_ACT = {"sigmoid": lambda z: 1 / (1 + sympy.exp(-z)), "tanh": sympy.tanh, "relu": _relu, "identity": lambda z: z}


def backprop(raw: dict, ans: Any) -> None:
    """The network's loss written out in symbols for every weight and bias, differentiated
    entry by entry with sympy and evaluated at the given values; the loss value too."""
    given = {k: reading.matrix(raw[k]) if k.startswith("W") else reading.vector(raw[k])
             for k in ("W1", "b1", "W2", "b2")}
    x, y = reading.vector(raw["input"]), reading.vector(raw["target"])
    act = _ACT[raw.get("activation") or "sigmoid"]
    sym = {k: sympy.Matrix(*M.shape, lambda i, j, k=k: sympy.Symbol(f"{k}_{i}_{j}", real=True))
           for k, M in given.items()}
    z1 = sym["W1"] * x + sym["b1"]
    z2 = sym["W2"] * z1.applyfunc(act) + sym["b2"]
    if (raw.get("loss") or "squared") == "squared":
        L = sum((z2[i] - y[i]) ** 2 for i in range(len(y)))
    else:
        total = sum(sympy.exp(z) for z in z2)
        L = -sum(y[i] * sympy.log(sympy.exp(z2[i]) / total) for i in range(len(y)))
    at = {s: v for k in given for s, v in zip(sym[k], given[k])}
    agree(equal(ans.loss, L.subs(at)), f"the loss is {sympy.simplify(L.subs(at))}, not {ans.loss}")
    for k in ("W1", "b1", "W2", "b2"):
        expected = sym[k].applyfunc(lambda s: sympy.diff(L, s).subs(at))
        got = sympy.Matrix(ans.values[k])
        agree(equal_matrices(got, expected), f"∂L/∂{k} is {expected.tolist()}, not {got.tolist()}")


# ---------------------------------------------------------------- matrix gradients

_GREEK = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau "
          "upsilon phi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega").split()
_TOKEN = re.compile(r"\s*(?:(?P<norm>\\\||\|\||‖)|(?P<T>\^\s*(?:\{\s*T\s*\}|T|\{\s*\\top\s*\}|\\top)|'|ᵀ)"
                    r"|(?P<sq>\^\s*(?:2|\{2\}))|\\frac\s*\{?(?P<num>\d+)\}?\s*\{?(?P<den>\d+)\}?"
                    r"|(?P<number>\d+(?:\.\d+)?)|(?P<name>\\?(?:" + "|".join(sorted(_GREEK, key=len, reverse=True))
                    + r")|[A-Za-z])|(?P<op>[-+*()]|\\cdot))")


def _python(text: str) -> tuple[str, list[str]]:
    """The expression as Python over matrices named ``M_<name>`` (juxtaposition made ``*``,
    ``^T`` ``.T``, ``||e||^2`` ``(e).T*(e)``), and the names in order of appearance."""
    out, names, pos, norm_open, operand_end = [], [], 0, None, False
    text = re.sub(r"\\(?:mathbf|boldsymbol|bm|vec)\s*\{([^{}]*)\}", r" \1 ", text)
    while pos < len(text.rstrip()):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ValueError(f"cannot read {text[pos:]!r}")
        pos = m.end()
        starts = m["name"] or m["number"] or m["num"] or m["op"] == "(" or (m["norm"] and norm_open is None)
        if starts and operand_end:
            out.append("*")
        if m["norm"]:
            if norm_open is None:
                norm_open = len(out)
                out.append("(")
                operand_end = False
            else:
                inner = "".join(out[norm_open + 1:])
                del out[norm_open:]
                sq = _TOKEN.match(text, pos)
                if not sq or not sq["sq"]:
                    raise ValueError("a norm is read only squared")
                pos = sq.end()
                out.append(f"(({inner}).T*({inner}))")
                norm_open, operand_end = None, True
            continue
        if m["T"]:
            out.append(".T")
        elif m["num"] or m["number"]:
            number = f"Rational({m['num']}, {m['den']})" if m["num"] else f"nsimplify('{m['number']}')"
            after = _TOKEN.match(text, pos)
            coefficient = after and (after["name"] or after["number"] or after["num"] or after["norm"]
                                     or after["op"] in ("(", "*", "\\cdot"))
            out.append(number if coefficient else f"Matrix([[{number}]])")  # a term: x^T x + 3
        elif m["name"]:
            name = m["name"].lstrip("\\")
            names += [name] if name not in names else []
            out.append(f"M_{name}")
        else:
            out.append("*" if m["op"] == "\\cdot" else m["op"])
        operand_end = bool(m["T"] or m["num"] or m["number"] or m["name"] or m["op"] == ")")
    return "".join(out), names


def _sizes(raw: dict, names: list[str], code: str) -> dict[str, tuple[int, int]]:
    """Concrete sizes that make the expression well formed: the given ``dims``, else sizes 2
    to 3 tried in turn, preferring non-square matrices and unequal vector lengths (so a
    transpose in the answer cannot go unnoticed)."""
    import itertools
    fixed = {}
    if raw.get("dims"):
        for part in str(raw["dims"]).split(","):
            k, v = part.split("=")
            d = [int(t) for t in v.lower().split("x")]
            fixed[k.strip().lstrip("\\")] = (d[0], d[1] if len(d) > 1 else 1)
    options = []
    for n in names:
        if n in fixed:
            options.append([fixed[n]])
        elif n[0].isupper():
            options.append([(2, 3), (3, 2), (3, 3), (2, 2), (3, 1), (1, 3), (1, 1)])
        else:
            options.append([(3, 1), (2, 1), (1, 1)])
    best, score = None, -len(names) - 1
    for choice in itertools.product(*options):
        sizes = dict(zip(names, choice))
        try:
            _evaluate(code, {n: sympy.zeros(*s) for n, s in sizes.items()})
        except (sympy.ShapeError, TypeError, ValueError):
            continue
        s = sum(r != c for r, c in choice) + len({r for r, c in choice if c == 1}) - sum(r == 1 for r, c in choice)
        if s > score:
            best, score = sizes, s
    if best is None:
        raise ValueError("no sizes make the expression well formed")
    return best


def _evaluate(code: str, matrices: dict[str, sympy.Matrix]) -> sympy.Matrix:
    names = {f"M_{k}": sympy.ImmutableMatrix(v) for k, v in matrices.items()}
    value = parse_expr(code, local_dict={**names, "Rational": sympy.Rational, "nsimplify": sympy.nsimplify,
                                         "Matrix": sympy.ImmutableMatrix}, evaluate=True)
    return sympy.Matrix(value) if isinstance(value, sympy.MatrixBase) else sympy.Matrix([[value]])


def matrix_gradient(raw: dict, ans: Any) -> None:
    """The expression written out with explicit matrices of symbols at concrete sizes and
    differentiated entry by entry: ∂f/∂x is the 1 x n row for a scalar f and the m x n
    Jacobian for a column f (numerator layout, as the tutor states), compared with the
    answer evaluated at the same matrices."""
    code, names = _python(raw["expression"])
    sizes = _sizes(raw, names, code)
    wrt = str(raw["wrt"]).strip().lstrip("\\")
    explicit = {n: sympy.Matrix(*s, lambda i, j, n=n: sympy.Symbol(f"{n}_{i}{j}")) for n, s in sizes.items()}
    f = _evaluate(code, explicit)
    agree(f.cols == 1, "the expression is a matrix")
    x = explicit.get(wrt, sympy.Matrix(0, 1, []))
    expected = f.jacobian(x) if wrt in explicit else None
    got = ans.value
    if wrt not in explicit:  # the variable does not occur: the derivative is zero
        agree(got == 0 or isinstance(got, sympy.ZeroMatrix) or sympy.Matrix(got).is_zero_matrix,
              "the derivative of an expression without the variable is 0")
        return
    dims = {}
    for ms in got.atoms(sympy.MatrixSymbol):
        agree(ms.name in explicit, f"the answer names {ms.name}, not in the expression")
        for d, e in zip(ms.shape, sizes[ms.name]):
            if isinstance(d, sympy.Symbol):
                agree(dims.setdefault(d, e) == e, f"the size {d} of {ms.name} is inconsistent")
    concrete = got.subs(dims) if dims else got
    concrete = concrete.xreplace({ms: sympy.ImmutableMatrix(explicit[ms.name])
                                  for ms in concrete.atoms(sympy.MatrixSymbol)})
    try:
        value = sympy.Matrix(concrete.doit()) if not isinstance(concrete, sympy.MatrixBase) else sympy.Matrix(concrete)
    except sympy.ShapeError as e:
        raise Wrong(f"the answer does not multiply out at sizes {sizes}: {e}")
    if value.shape == (1, 1) and expected.shape != (1, 1) and value[0] == 0:
        value = sympy.zeros(*expected.shape)
    agree(value.shape == expected.shape and (value - expected).applyfunc(sympy.expand).is_zero_matrix,
          f"∂f/∂{wrt} at sizes {sizes} is {expected.tolist()}, not {value.tolist()}")


ORACLES = {"derivative": derivative, "partial": partial, "gradient": gradient, "hessian": hessian,
           "jacobian": jacobian, "taylor": taylor, "chain": chain, "autodiff": autodiff,
           "backprop": backprop, "matrix_gradient": matrix_gradient}
