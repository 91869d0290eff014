"""How strict a comparison is: the documented, configurable policies (docs/checking.md)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Policy:
    """Comparison policies.

    ``decimals``: ``"exact"`` (default) a rounded decimal such as ``0.33`` for ``1/3`` is
    not accepted ("exact value expected"); a decimal that *is* the exact value
    (``2.5`` for ``5/2``) always is.  ``"rounded"``: a decimal that agrees with the
    exact value to the digits typed is accepted (a number: within half a unit of its
    last digit; an expression with decimals: within two units at each sampled point).
    ``up_to_constant``: expressions that differ by a constant are equal
    (antiderivatives).
    """

    decimals: str = "exact"
    up_to_constant: bool = False

    def __post_init__(self) -> None:
        if self.decimals not in ("exact", "rounded"):
            raise ValueError(f"decimals policy must be 'exact' or 'rounded', not {self.decimals!r}")


DEFAULT = Policy()
