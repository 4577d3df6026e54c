"""nrqb: nonreciprocal quantum batteries, reproduced and extended.

The exact Gaussian engine :class:`LinearNetwork` (first and second moments of driven, damped
linear bosonic networks), a builder with named modes, the qutip bridge used as the independent
Fock-space check, sympy derivations of the moment equations, and one module of closed forms per
paper (:mod:`nrqb.ahmadi`, :mod:`nrqb.zhao`, :mod:`nrqb.lin`, :mod:`nrqb.liu`, as the chapters land).
"""

from .builder import NetworkBuilder, nonreciprocal_hopping
from .engine import LinearNetwork, gaussian_ergotropy

__all__ = ["LinearNetwork", "NetworkBuilder", "gaussian_ergotropy", "nonreciprocal_hopping"]
__version__ = "0.1.0"
