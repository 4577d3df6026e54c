"""The exact engine: driven, damped linear bosonic networks, solved through their moments.

One concern a module:

- :mod:`~nrqb.engine.network`: :class:`LinearNetwork`, the network, its drift and noise, and
  its observables;
- :mod:`~nrqb.engine.propagation`: time propagation of the moment equations;
- :mod:`~nrqb.engine.steady`: steady states (linear and Lyapunov solves);
- :mod:`~nrqb.engine.gaussian`: Gaussian states, covariance matrices and ergotropy;
- :mod:`~nrqb.engine.builder`: :class:`NetworkBuilder`, networks from named modes and links;
- :mod:`~nrqb.engine.validation`: input checks that name the bad parameter;
- :mod:`~nrqb.engine.symbolic`: the moment equations derived with sympy from the master equation;
- :mod:`~nrqb.engine.qutip_bridge`: the same model in a truncated Fock space, for qutip.
"""

from .builder import NetworkBuilder, nonreciprocal_hopping
from .gaussian import gaussian_ergotropy
from .network import LinearNetwork

__all__ = ["LinearNetwork", "NetworkBuilder", "gaussian_ergotropy", "nonreciprocal_hopping"]
