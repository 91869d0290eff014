"""The checker on the models answers: by parameter, PCA axes up to sign, EM to the digits typed,
SVM by w, b and the support set."""
from __future__ import annotations

import pytest

import tutor
from tutor.checking.grading import compare

CASES = [
    ("mle", dict(model="Gaussian(\\mu, \\sigma^2)", data="1,2,3,6"),
     [("mu = 3, sigma^2 = 7/2", 1.0), ("\\hat\\mu = 3, \\sigma^2 = 3.5", 1.0), ("3, 7/3", 0.5)]),
    ("map", dict(model="Bernoulli(\\mu)", prior="Beta(2,2)", data="1,0,1,1"), [("2/3, Beta(5, 3)", 1.0), ("mu = 2/3; posterior: beta(10/2, 3)", 1.0), ("2/3", 0.5),
      ("mu = 2/3, posterior = Beta(3, 5)", 0.5), ("mu = 0.75, posterior = Beta(5, 3)", 0.5),
      ("mu = 0.75", 0.0)]),
    ("linear_regression", dict(x="[-1,0,1,2]", y="[1,0,2,5]"), [("(13/10, 7/5)", 1.0), ("(7/5, 13/10)", 0.0)]),
    ("pca", dict(data="[[2,0],[0,2],[-2,0],[0,-2],[1,1]]"),
     [("components = [[-1/sqrt(2), -1/sqrt(2)]]", 1.0), ("components=[[1,0]]", 0.0),
      ("components = [[1/\\sqrt{2}, 1/\\sqrt{2}]], codes = [[4*sqrt(2)/5],[4*sqrt(2)/5],[-6*sqrt(2)/5],"
       "[-6*sqrt(2)/5],[4*sqrt(2)/5]]", 1.0)]),
    ("pca", dict(data="[[1,0],[-1,0],[0,1],[0,-1]]"),  # equal eigenvalues: any unit vector is an axis
     [("components = [[3/5, 4/5]]", 1.0), ("components = [[3, 4]]", 0.0)]),
    ("pca", dict(data="[[1,2,0],[3,-1,2],[0,0,1],[2,2,2],[-1,3,0]]"),  # an irreducible cubic: decimals
     [("components = [[0.4000, -0.5000, 0.7000]]", 0.0)]),
    ("em_step", dict(data="[-3,-2.5,-1,0,2,4,5]", weights="[1/3,1/3,1/3]", means="[-4,0,8]", variances="[1,0.2,3]"),
     [("weights = (0.29, 0.29, 0.42), means = (-2.7, -0.40, 3.7), variances = (0.14, 0.44, 1.5)", 1.0),
      ("weights = (0.2939, 0.2870, 0.4191), means = (-2.701, -0.4034, 3.704), variances = (0.1440, 0.4385, 1.527)",
       1.0)]),
    ("svm", dict(data="[[1,1],[2,2],[0,0],[-1,0]]", labels="[1,1,-1,-1]"),
     [("w = (1,1), b = -1, support = {1, 3}", 1.0), ("w = (1,1), b = -1, support = {0, 2}", 1.0),
      ("w = (1,1), b = -1, support = {1, 2}", 2 / 3)]),
    # support x_2, x_3: {2, 3} from 1, {1, 2} only if counted from 0, which a set without a 0
    # cannot show; read from 1, {1, 2} is x_1, x_2, wrong (both readings were accepted)
    ("svm", dict(data="[[0,0],[1,1],[2,2],[3,3]]", labels="[-1,-1,1,1]"),
     [("w = (1,1), b = -3, support = {2, 3}", 1.0), ("w = (1,1), b = -3, support = {1, 2}", 2 / 3),
      ("w = (1,1), b = -3, support = {3, 4}", 2 / 3)]),
]


@pytest.mark.parametrize("kind, inputs, answers", CASES, ids=[c[0] for c in CASES])
def test_models_answers_are_checked(kind, inputs, answers):
    sol = tutor.solve(kind, **inputs)
    assert compare(sol.answer, str(sol.answer.to_json()), sol.problem).status in ("correct", "incorrect",
                                                                                  "unreadable")
    for text, score in answers:
        verdict = compare(sol.answer, text, sol.problem)
        assert verdict.score == pytest.approx(score, abs=1e-3), (text, verdict)
