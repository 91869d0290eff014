"""Derivatives as machine learning computes them (MML 5.6): backpropagation through a small
network, and automatic differentiation of an expression in forward or reverse mode.

``backprop``: a two-layer network x -> a1 = act(W1 x + b1) -> z2 = W2 a1 + b2, with a
squared-error loss on z2 or a softmax cross-entropy loss; the forward pass is a table
of values, the backward pass the chain rule layer by layer (δ vectors), and the
gradients of the loss with respect to every weight and bias.

``autodiff``: the expression as a computation graph of intermediate variables, each
with its local partial derivatives, then forward tangents (one pass per input) or
reverse adjoints (one pass for all inputs).  The answer is the gradient (a row).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import sympy
from sympy import Heaviside, ImmutableMatrix, Symbol

from tutor.calculus import inputs as inp
from tutor.core.answers import GradientsAnswer, MatrixAnswer
from tutor.calculus.multivariate import check_point
from tutor.core.errors import TutorError
from tutor.core.kinds import Field, Kind, register
from tutor.core.functions import relu, sigmoid, to_elementary
from tutor.core.steps import Note, Problem, Solution, Step
from tutor.core.symcheck import same, same_matrix

ACTIVATIONS = ("sigmoid", "tanh", "relu", "identity")
LOSSES = ("squared", "cross_entropy")
MAX_UNITS = 6
MAX_GRAPH_NODES = 30


def _activation(name: str, z: sympy.Expr) -> sympy.Expr:
    return {"sigmoid": sigmoid, "tanh": sympy.tanh, "relu": relu}.get(name, lambda u: u)(z)


def _elementwise(name: str, z: ImmutableMatrix) -> ImmutableMatrix:
    return z.applyfunc(lambda e: _activation(name, e))


def corner_zero(e: sympy.Expr) -> sympy.Expr:
    """``e`` with ReLU's derivative, the step H(z), taken as 0 at z = 0 (as ML libraries do; a
    note says so).  Applied *before* a point is substituted: sympy evaluates H(0) to 1/2 at
    once, so replacing H after the substitution found nothing left to replace."""
    return e.replace(Heaviside, lambda a, *r: Heaviside(a, 0))


def _activation_derivative(name: str, z: ImmutableMatrix) -> ImmutableMatrix:
    """σ'(z) entry by entry; ReLU's derivative at 0 is taken as 0 (a note says so)."""
    u = Symbol("u", real=True)
    d = corner_zero(sympy.diff(_activation(name, u), u))
    return z.applyfunc(lambda e: d.subs(u, e))


def _loss(name: str, output: ImmutableMatrix, target: ImmutableMatrix) -> sympy.Expr:
    """Squared error ||z - y||^2 (MML 5.6), or cross-entropy -Σ y_i log softmax(z)_i."""
    if name == "squared":
        return sum(((o - t) ** 2 for o, t in zip(output, target)), sympy.S.Zero)
    exps = [sympy.exp(o) for o in output]
    total = sympy.Add(*exps)
    return -sympy.Add(*(t * sympy.log(e / total) for t, e in zip(target, exps)))


def _network_loss(p: dict[str, Any]) -> sympy.Expr:
    """The loss as a function of the parameters in ``p`` (used by the checks)."""
    a1 = _elementwise(p["activation"], ImmutableMatrix(p["W1"] * p["input"] + p["b1"]))
    z2 = ImmutableMatrix(p["W2"] * a1 + p["b2"])
    return _loss(p["loss"], z2, p["target"])


def _with_symbols(p: dict[str, Any], name: str) -> tuple[dict[str, Any], ImmutableMatrix]:
    """``p`` with parameter ``name`` replaced by a matrix of symbols (for differentiating)."""
    M = p[name]
    S = ImmutableMatrix(M.rows, M.cols, lambda i, j: Symbol(f"{name}_{i}{j}", real=True))
    return {**p, name: S}, S


# ---------------------------------------------------------------- backprop steps

@dataclass(frozen=True, kw_only=True)
class ForwardLayer(Step):
    """Layer ``layer``: z = W a_prev + b, a = act(z) (``activation`` 'identity' for the output)."""

    rule: ClassVar[str] = "backprop.forward"
    layer: int
    W: ImmutableMatrix
    b: ImmutableMatrix
    a_prev: ImmutableMatrix
    z: ImmutableMatrix
    activation: str
    a: ImmutableMatrix

    def check(self) -> bool:
        return same_matrix(self.W * self.a_prev + self.b, self.z) and \
            same_matrix(_elementwise(self.activation, self.z), self.a)


@dataclass(frozen=True, kw_only=True)
class LossValue(Step):
    """The loss of the output against the target."""

    rule: ClassVar[str] = "backprop.loss"
    loss: str
    output: ImmutableMatrix
    target: ImmutableMatrix
    value: sympy.Expr

    def check(self) -> bool:
        return same(_loss(self.loss, self.output, self.target), self.value)


@dataclass(frozen=True, kw_only=True)
class OutputDelta(Step):
    """δ2 = ∂L/∂z2 (a column): 2(z2 - y) for squared error, softmax(z2) - y for cross-entropy."""

    rule: ClassVar[str] = "backprop.output_delta"
    loss: str
    output: ImmutableMatrix
    target: ImmutableMatrix
    delta: ImmutableMatrix

    def check(self) -> bool:
        zs = [Symbol(f"z_{i}", real=True) for i in range(self.output.rows)]
        L = _loss(self.loss, ImmutableMatrix(zs), self.target)
        at = dict(zip(zs, self.output))
        return same_matrix(ImmutableMatrix([sympy.diff(L, z).subs(at) for z in zs]), self.delta)


@dataclass(frozen=True, kw_only=True)
class HiddenDelta(Step):
    """δ1 = (W2^T δ2) ⊙ act'(z1): the chain rule back through W2 and the activation."""

    rule: ClassVar[str] = "backprop.hidden_delta"
    W_next: ImmutableMatrix
    delta_next: ImmutableMatrix
    z: ImmutableMatrix
    activation: str
    local: ImmutableMatrix
    delta: ImmutableMatrix

    def check(self) -> bool:
        back = self.W_next.T * self.delta_next
        return same_matrix(_activation_derivative(self.activation, self.z), self.local) and \
            same_matrix(ImmutableMatrix([b * s for b, s in zip(back, self.local)]), self.delta)


@dataclass(frozen=True, kw_only=True)
class LayerGradients(Step):
    """∂L/∂W = δ a_prev^T and ∂L/∂b = δ for layer ``layer``; checked against sympy's
    derivative of the whole loss with respect to that layer's parameters (``network``)."""

    rule: ClassVar[str] = "backprop.layer_gradients"
    layer: int
    delta: ImmutableMatrix
    a_prev: ImmutableMatrix
    dW: ImmutableMatrix
    db: ImmutableMatrix
    network: dict[str, Any]

    def check(self) -> bool:
        for name, claimed in ((f"W{self.layer}", self.dW), (f"b{self.layer}", self.db)):
            p, S = _with_symbols(self.network, name)
            L = to_elementary(_network_loss(p))
            # the point as 40-digit numbers: the exact derivative at exact values nests
            # tanh/exp deeply and took seconds to evaluate in the comparison
            at = {s: sympy.Float(v, 40) for s, v in zip(S, self.network[name])}
            grad = S.applyfunc(lambda s: corner_zero(sympy.diff(L, s)).subs(at))
            if not same_matrix(grad, claimed):
                return False
        return True


# ---------------------------------------------------------------- backprop

def _matrix(value: Any) -> ImmutableMatrix:
    """A weight matrix: text, a list of rows or a sympy matrix, read as every kind reads one
    (a number was iterated as rows and ended in a TypeError, exit 3)."""
    from tutor.parsing.text import to_matrix
    return _numeric(ImmutableMatrix(to_matrix(value)), "a weight matrix")


def _vector(value: Any) -> ImmutableMatrix:
    from tutor.parsing.text import to_vector
    return _numeric(ImmutableMatrix(to_vector(value)), "a vector")


def _numeric(M: ImmutableMatrix, what: str) -> ImmutableMatrix:
    if max(M.shape) > MAX_UNITS:
        raise TutorError(f"{what} larger than {MAX_UNITS} in a dimension")
    out = []
    for e in M:
        e = sympy.nsimplify(e, rational=True) if isinstance(e, sympy.Float) else e
        if not (e.is_number and e.is_real):
            raise TutorError(f"{what} must have real numbers as entries, not {e}")
        out.append(e)
    return ImmutableMatrix(M.rows, M.cols, out)


def build_backprop(W1: ImmutableMatrix, b1: ImmutableMatrix, W2: ImmutableMatrix,
                   b2: ImmutableMatrix, input: ImmutableMatrix, target: ImmutableMatrix,
                   activation: str | None, loss: str | None) -> Problem:
    d, h, o = input.rows, W1.rows, W2.rows
    checks = [(W1.cols == d, f"W1 has {W1.cols} columns but the input has {d} entries"),
              (b1.rows == h, f"b1 has {b1.rows} entries but W1 has {h} rows"),
              (W2.cols == h, f"W2 has {W2.cols} columns but the hidden layer has {h} units"),
              (b2.rows == o, f"b2 has {b2.rows} entries but W2 has {o} rows"),
              (target.rows == o, f"the target has {target.rows} entries but the output has {o}")]
    for ok, message in checks:
        if not ok:
            raise TutorError("dimension mismatch: " + message)
    return Problem("backprop", {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "input": input,
                                "target": target, "activation": activation or "sigmoid",
                                "loss": loss or "squared"})


def solve_backprop(problem: Problem) -> Solution:
    """Forward pass, loss, output δ, hidden δ, then the gradients of each layer."""
    p = problem.inputs
    act, loss = p["activation"], p["loss"]
    x = p["input"]
    z1 = ImmutableMatrix(p["W1"] * x + p["b1"])
    a1 = _elementwise(act, z1)
    z2 = ImmutableMatrix(p["W2"] * a1 + p["b2"])
    L = _loss(loss, z2, p["target"])
    steps: list[Step] = [
        ForwardLayer(layer=1, W=p["W1"], b=p["b1"], a_prev=x, z=z1, activation=act, a=a1),
        ForwardLayer(layer=2, W=p["W2"], b=p["b2"], a_prev=a1, z=z2, activation="identity", a=z2),
        LossValue(loss=loss, output=z2, target=p["target"], value=L),
    ]
    if loss == "squared":
        delta2 = ImmutableMatrix(2 * (z2 - p["target"]))
    else:
        total = sympy.Add(*(sympy.exp(z) for z in z2))
        delta2 = ImmutableMatrix([sympy.exp(z) / total - t for z, t in zip(z2, p["target"])])
    steps.append(OutputDelta(loss=loss, output=z2, target=p["target"], delta=delta2))
    if act == "relu" and any(z == 0 for z in z1):
        steps.append(Note(key="relu_at_zero", values={"z": z1}))
    local = _activation_derivative(act, z1)
    back = p["W2"].T * delta2
    delta1 = ImmutableMatrix([b * s for b, s in zip(back, local)])
    steps.append(HiddenDelta(W_next=p["W2"], delta_next=delta2, z=z1, activation=act,
                             local=local, delta=delta1))
    network = dict(p)
    grads = {}
    for layer, delta, a_prev in ((2, delta2, a1), (1, delta1, x)):
        dW = ImmutableMatrix(delta * a_prev.T)
        steps.append(LayerGradients(layer=layer, delta=delta, a_prev=a_prev, dW=dW, db=delta,
                                    network=network))
        grads[f"W{layer}"], grads[f"b{layer}"] = dW, delta
    values = {k: grads[k] for k in ("W1", "b1", "W2", "b2")}
    return Solution(problem, tuple(steps), GradientsAnswer(values=values, loss=L))


# ---------------------------------------------------------------- autodiff steps

@dataclass(frozen=True, kw_only=True)
class GraphNode:
    """An intermediate variable: ``name`` = ``definition`` (in earlier names), its value,
    and its local partial derivatives with respect to the names it uses (at the point)."""

    name: Symbol
    definition: sympy.Expr
    expression: sympy.Expr
    value: sympy.Expr
    local: tuple[tuple[Symbol, sympy.Expr, sympy.Expr], ...]  # (input name, ∂, its value)


@dataclass(frozen=True, kw_only=True)
class ComputationGraph(Step):
    """The function as a sequence of elementary operations (MML 5.6, eq. 5.143 ff.)."""

    rule: ClassVar[str] = "autodiff.graph"
    function: sympy.Expr
    inputs: tuple[Symbol, ...]
    point: dict[Symbol, sympy.Expr]
    nodes: tuple[GraphNode, ...]

    def check(self) -> bool:
        known: dict[Symbol, sympy.Expr] = {v: v for v in self.inputs}
        for n in self.nodes:
            known[n.name] = n.definition.xreplace(known)
            if not same(known[n.name], n.expression) or not same(n.expression.subs(self.point), n.value):
                return False
            for arg, d, value in n.local:
                if not same(sympy.diff(to_elementary(n.definition), arg), d):
                    return False
        return same(known[self.nodes[-1].name], self.function)


@dataclass(frozen=True, kw_only=True)
class ForwardPass(Step):
    """Tangents ȧ_i = ∂a_i/∂``seed`` at the point, each the sum of local derivative times the
    tangents of the inputs of a_i; the last one is ∂f/∂seed."""

    rule: ClassVar[str] = "autodiff.forward"
    seed: Symbol
    graph: ComputationGraph
    tangents: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        return all(same(corner_zero(sympy.diff(to_elementary(n.expression), self.seed))
                        .subs(self.graph.point), t)
                   for n, t in zip(self.graph.nodes, self.tangents, strict=True))


@dataclass(frozen=True, kw_only=True)
class ReversePass(Step):
    """Adjoints ā = ∂f/∂a, from the output (ā = 1) back to the inputs; ``input_adjoints`` are
    the gradient entries."""

    rule: ClassVar[str] = "autodiff.reverse"
    graph: ComputationGraph
    adjoints: tuple[sympy.Expr, ...]
    input_adjoints: tuple[sympy.Expr, ...]

    def check(self) -> bool:
        g = self.graph
        f = to_elementary(g.function)
        ok_inputs = all(same(corner_zero(sympy.diff(f, v)).subs(g.point), a)
                        for v, a in zip(g.inputs, self.input_adjoints, strict=True))
        adj = {n.name: a for n, a in zip(g.nodes, self.adjoints, strict=True)}
        consistent = all(
            same(adj[n.name], sum((adj[m.name] * value for m in g.nodes for arg, _, value in m.local
                                   if arg == n.name), sympy.S.Zero))
            for n in g.nodes[:-1])
        return ok_inputs and consistent and adj[g.nodes[-1].name] == 1


@dataclass(frozen=True, kw_only=True)
class GradientRow(Step):
    """The gradient entries collected as a 1 x n row, as ∇f of MML."""

    rule: ClassVar[str] = "autodiff.gradient"
    function: sympy.Expr
    inputs: tuple[Symbol, ...]
    point: dict[Symbol, sympy.Expr]
    gradient: ImmutableMatrix

    def check(self) -> bool:
        f = to_elementary(self.function)
        return same_matrix(ImmutableMatrix([[corner_zero(sympy.diff(f, v)).subs(self.point)
                                             for v in self.inputs]]),
                           self.gradient)


# ---------------------------------------------------------------- autodiff

def computation_graph(f: sympy.Expr, inputs: tuple[Symbol, ...], point: dict[Symbol, sympy.Expr]
                      ) -> ComputationGraph:
    """Intermediate variables a_1, a_2, ... in evaluation order (shared subexpressions once)."""
    names: dict[sympy.Expr, Symbol] = {}
    nodes: list[GraphNode] = []

    def visit(e: sympy.Expr) -> sympy.Expr:
        if e in inputs or not e.free_symbols:
            return e
        if e in names:
            return names[e]
        args = [visit(a) for a in e.args]
        definition = e.func(*args)
        if len(nodes) >= MAX_GRAPH_NODES:
            raise TutorError(f"the computation graph would have more than {MAX_GRAPH_NODES} nodes")
        name = Symbol(f"a_{len(nodes) + 1}", real=True)
        names[e] = name
        env = {n.name: n.value for n in nodes} | point
        local = tuple((a, (d := sympy.diff(to_elementary(definition), a)),
                       sympy.simplify(corner_zero(d).xreplace(env)))
                      for a in sorted({a for a in args if isinstance(a, Symbol)}, key=str))
        nodes.append(GraphNode(name=name, definition=definition, expression=e,
                               value=sympy.simplify(e.subs(point)), local=local))
        return name

    visit(f)
    return ComputationGraph(function=f, inputs=inputs, point=point, nodes=tuple(nodes))


def _forward(graph: ComputationGraph, seed: Symbol) -> ForwardPass:
    tangent: dict[Symbol, sympy.Expr] = {v: sympy.S.One if v == seed else sympy.S.Zero
                                         for v in graph.inputs}
    out = []
    for n in graph.nodes:
        t = sympy.simplify(sum((value * tangent[a] for a, _, value in n.local), sympy.S.Zero))
        tangent[n.name] = t
        out.append(t)
    return ForwardPass(seed=seed, graph=graph, tangents=tuple(out))


def _reverse(graph: ComputationGraph) -> ReversePass:
    adjoint: dict[Symbol, sympy.Expr] = {n: sympy.S.Zero for n in graph.inputs}
    adjoint.update({n.name: sympy.S.Zero for n in graph.nodes})
    adjoint[graph.nodes[-1].name] = sympy.S.One
    for n in reversed(graph.nodes):
        for a, _, value in n.local:
            adjoint[a] += adjoint[n.name] * value
    simplified = {k: sympy.simplify(v) for k, v in adjoint.items()}
    return ReversePass(graph=graph, adjoints=tuple(simplified[n.name] for n in graph.nodes),
                       input_adjoints=tuple(simplified[v] for v in graph.inputs))


def build_autodiff(function: sympy.Expr, at: dict[Symbol, sympy.Expr], mode: str | None,
                   vars: tuple[Symbol, ...] | None) -> Problem:
    variables = inp.variables_of([function], vars or tuple(at))
    check_point(at, variables)
    if not function.free_symbols:
        raise TutorError("the function has no variables")
    unknown = sorted(s.name for s in function.free_symbols - set(variables))
    if unknown:  # the graph has numbers at its nodes: a free name has none (it crashed, exit 3)
        one = len(unknown) == 1
        them = "it" if one else "them"
        raise TutorError(f"the function has {', '.join(unknown)}, which {'is' if one else 'are'} not among the "
                         f"inputs ({', '.join(v.name for v in variables)}): give {them} a value at the point "
                         f"with --at (and list {them} in --vars if you give --vars)")
    return Problem("autodiff", {"function": function, "at": at, "mode": mode or "reverse",
                                "vars": variables})


def solve_autodiff(problem: Problem) -> Solution:
    f, point, mode, inputs = (problem[k] for k in ("function", "at", "mode", "vars"))
    graph = computation_graph(f, inputs, point)
    steps: list[Step] = [graph]
    corners = [n.expression.args[-1] for n in graph.nodes
               if isinstance(n.expression, (relu, sympy.Max)) and n.expression.args[-1].subs(point) == 0]
    if corners:
        steps.append(Note(key="relu_at_zero", values={"z": corners}))
    if mode == "forward":
        passes = [_forward(graph, v) for v in inputs]
        steps += passes
        entries = [p.tangents[-1] for p in passes]
    else:
        back = _reverse(graph)
        steps.append(back)
        entries = list(back.input_adjoints)
    gradient = ImmutableMatrix([entries])
    steps.append(GradientRow(function=f, inputs=inputs, point=point, gradient=gradient))
    return Solution(problem, tuple(steps), MatrixAnswer(gradient))


# ---------------------------------------------------------------- registration

register(Kind(
    name="backprop", topic="calculus",
    summary="backpropagation through a two-layer network: forward values, δ's, gradients",
    fields=(Field("W1", _matrix, "the first layer's weights (hidden x input)"),
            Field("b1", _vector, "the first layer's bias"),
            Field("W2", _matrix, "the output layer's weights (output x hidden)"),
            Field("b2", _vector, "the output layer's bias"),
            Field("input", _vector, "the input vector x"),
            Field("target", _vector, "the target vector y"),
            Field("activation", str, "the hidden activation (default sigmoid)", required=False,
                  choices=ACTIVATIONS),
            Field("loss", str, "squared error or softmax cross-entropy (default squared)",
                  required=False, choices=LOSSES)),
    build=build_backprop, solve=solve_backprop,
))
register(Kind(
    name="autodiff", topic="calculus",
    summary="automatic differentiation: computation graph, forward tangents or reverse adjoints",
    fields=(Field("function", inp.function, "the function f", positional=True),
            Field("at", inp.point, "the point, e.g. x=1,y=2"),
            Field("mode", str, "forward or reverse (default reverse)", required=False,
                  choices=("forward", "reverse")),
            Field("vars", inp.symbols, "the inputs in order (default: those of the point)",
                  required=False)),
    build=build_autodiff, solve=solve_autodiff,
))
