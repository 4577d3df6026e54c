"""The exact engine: driven, damped linear bosonic networks, solved through their moments.

One concern a module:

- :mod:`~nrqb.engine.network`: :class:`LinearNetwork`, the network, its drift and noise, and
  its observables;
- :mod:`~nrqb.engine.propagation`: time propagation of the moment equations;
- :mod:`~nrqb.engine.steady`: steady states (linear and Lyapunov solves);
- :mod:`~nrqb.engine.gaussian`: covariance matrices and the ergotropy of one mode;
- :mod:`~nrqb.engine.states`: :class:`GaussianState`, any Gaussian state given by its moments;
- :mod:`~nrqb.engine.frequency`: the susceptibility and frequency-resolved isolation;
- :mod:`~nrqb.engine.protocol`: :class:`Protocol`, networks switched in time;
- :mod:`~nrqb.engine.builder`: :class:`NetworkBuilder`, networks from named modes and links;
- :mod:`~nrqb.engine.validation`: input checks that name the bad parameter;
- :mod:`~nrqb.engine.symbolic`: the moment equations derived with sympy from the master equation;
- :mod:`~nrqb.engine.qutip_bridge`: the same model in a truncated Fock space, for qutip.
"""

from .builder import NetworkBuilder, nonreciprocal_hopping
from .gaussian import gaussian_ergotropy
from .network import LinearNetwork
from .protocol import Protocol
from .states import GaussianState

__all__ = ["GaussianState", "LinearNetwork", "NetworkBuilder", "Protocol", "gaussian_ergotropy",
           "nonreciprocal_hopping"]
