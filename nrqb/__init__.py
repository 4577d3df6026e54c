"""nrqb: nonreciprocal quantum batteries, reproduced and extended.

The package shows its architecture:

- :mod:`nrqb.engine`: the exact engine (:class:`~nrqb.engine.LinearNetwork`, the builder, Gaussian
  states (:class:`~nrqb.engine.GaussianState`) and ergotropy, frequency response, protocols in
  time (:class:`~nrqb.engine.Protocol`), the sympy moment equations, the qutip bridge);
- :mod:`nrqb.papers`: the closed forms of the four papers (``ahmadi``, ``zhao``, ``lin``, ``liu``)
  and their sympy derivations (``*_sym``);
- :mod:`nrqb.beyond`: the work beyond the papers (framework, networks, optimisation, ...);
- :mod:`nrqb.book`: presentation only (plotting style, schematics, tables, figure export).

``import nrqb`` is cheap: the engine (numpy, scipy) loads on first use of a name below.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

__all__ = ["GaussianState", "LinearNetwork", "NetworkBuilder", "Protocol", "gaussian_ergotropy"]
__version__ = "0.2.0"

if TYPE_CHECKING:  # pragma: no cover
    from .engine import GaussianState, LinearNetwork, NetworkBuilder, Protocol, gaussian_ergotropy


def __getattr__(name: str):
    if name in __all__:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module 'nrqb' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
