"""A friendlier way to build a :class:`~nrqb.engine.LinearNetwork`: named modes and links.

Example
-------
>>> from nrqb import NetworkBuilder
>>> nb = NetworkBuilder()
>>> nb.mode("A", loss=0.003).mode("B", loss=0.003)            # doctest: +ELLIPSIS
<...>
>>> nb.drive("A", 0.1).nonreciprocal_link("A", "B", gamma=0.04)  # doctest: +ELLIPSIS
<...>
>>> net = nb.build()
>>> abs(net.drift[0, 1]) < 1e-15     # no backflow from B to A
True
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from .network import LinearNetwork, _finite_array, _rate

__all__ = ["NetworkBuilder", "nonreciprocal_hopping"]


def nonreciprocal_hopping(gamma: float, c_src: complex = 1.0, c_dst: complex = 1.0) -> complex:
    """Coherent hop that cancels the backflow induced by a shared reservoir.

    A shared reservoir ``gamma D[c_src a_src + c_dst a_dst]`` adds ``-gamma conj(c_src) c_dst / 2``
    to the drift entry ``A[src, dst]``; a hop ``J a_src^dag a_dst + h.c.`` adds ``-i J``.  The
    backflow ``dst -> src`` vanishes for

        J = i gamma conj(c_src) c_dst / 2,

    and the forward entry becomes ``A[dst, src] = -gamma conj(c_dst) c_src``.

    Parameters
    ----------
    gamma : float
        Rate of the shared reservoir (>= 0).
    c_src, c_dst : complex
        Coefficients of the source and destination modes in the jump operator.

    Returns
    -------
    complex
        ``h[src, dst]``.

    References
    ----------
    Ahmadi et al., Eq. (2) and the condition ``J = -i mu Gamma / 2`` with ``mu = -p_b conj(p_a)``
    (here ``p_a = c_src``, ``p_b = c_dst``); Metelmann and Clerk, PRX 5, 021025 (2015).
    """
    gamma = _rate(gamma, "gamma")
    return 0.5j * gamma * np.conj(c_src) * c_dst


class NetworkBuilder:
    """Build a network mode by mode and link by link, then :meth:`build` a ``LinearNetwork``.

    Every method returns the builder, so calls chain.  Modes are referred to by name.
    """

    def __init__(self) -> None:
        self._names: list[str] = []
        self._detuning: dict[str, float] = {}
        self._loss: dict[str, float] = {}
        self._omega: dict[str, float] = {}
        self._drive: dict[str, complex] = {}
        self._hops: list[tuple[str, str, complex]] = []
        self._jumps: list[tuple[float, dict[str, complex]]] = []

    # ------------------------------------------------------------------ modes
    def mode(self, name: str, *, detuning: float = 0.0, loss: float = 0.0, omega: float = 1.0):
        """Add a mode.

        Parameters
        ----------
        name : str
            Unique name.
        detuning : float
            ``omega_j - omega_L`` (the diagonal of ``h``).
        loss : float
            Local decay rate ``kappa_j >= 0``.
        omega : float
            Energy per quantum.
        """
        if not isinstance(name, str) or not name:
            raise ValueError(f"mode name must be a non-empty string, got {name!r}")
        if name in self._detuning:
            raise ValueError(f"mode {name!r} already exists")
        self._names.append(name)
        self._detuning[name] = float(_finite_array(detuning, "detuning", dtype=float))
        self._loss[name] = _rate(loss, "loss")
        self._omega[name] = float(_finite_array(omega, "omega", dtype=float))
        return self

    @property
    def names(self) -> list[str]:
        """Mode names in index order."""
        return list(self._names)

    def index(self, name: str) -> int:
        """Index of a mode in the built network."""
        if name not in self._detuning:
            raise ValueError(f"unknown mode {name!r}; known: {self._names}")
        return self._names.index(name)

    # ------------------------------------------------------------------ links
    def hop(self, a: str, b: str, J: complex):
        """Coherent hop ``J a^dag b + conj(J) b^dag a`` (adds to any existing one)."""
        self.index(a), self.index(b)
        if a == b:
            raise ValueError("hop needs two different modes; use detuning for a diagonal term")
        self._hops.append((a, b, complex(_finite_array(J, "J"))))
        return self

    def shared_bath(self, rate: float, coefficients: Mapping[str, complex]):
        """Shared reservoir ``rate * D[sum_j c_j a_j]`` with ``coefficients = {name: c_j}``."""
        rate = _rate(rate, "rate")
        if not coefficients:
            raise ValueError("coefficients must name at least one mode")
        for name in coefficients:
            self.index(name)
        self._jumps.append((rate, {k: complex(v) for k, v in coefficients.items()}))
        return self

    def drive(self, name: str, amplitude: complex):
        """Coherent drive ``F a^dag + conj(F) a`` on one mode."""
        self.index(name)
        self._drive[name] = self._drive.get(name, 0) + complex(_finite_array(amplitude, "amplitude"))
        return self

    def nonreciprocal_link(self, src: str, dst: str, gamma: float, *, phase: float = 0.0):
        """One-way link ``src -> dst``: a shared bath plus the hop that cancels the backflow.

        Adds ``gamma D[a_src + e^{i phase} a_dst]`` and ``J a_src^dag a_dst + h.c.`` with
        ``J = i gamma e^{i phase} / 2`` (:func:`nonreciprocal_hopping`).  Each end also gains
        local damping ``gamma``, and the forward drift entry is ``-gamma e^{-i phase}``.

        References
        ----------
        Ahmadi et al., Eq. (2) with ``J = -i mu Gamma/2``; Liu et al., Eq. (1) with ``J_i = Gamma_i/2``.
        """
        c_dst = np.exp(1j * phase)
        self.shared_bath(gamma, {src: 1.0, dst: c_dst})
        return self.hop(src, dst, nonreciprocal_hopping(gamma, 1.0, c_dst))

    # ------------------------------------------------------------------ build
    def build(self, **kwargs: Any) -> LinearNetwork:
        """The :class:`LinearNetwork`; ``kwargs`` (``n_th``, ``squeezing``, ``alpha0``) pass through."""
        n = len(self._names)
        if n == 0:
            raise ValueError("the network has no modes")
        h = np.diag([self._detuning[k] for k in self._names]).astype(complex)
        for a, b, J in self._hops:
            i, j = self.index(a), self.index(b)
            h[i, j] += J
            h[j, i] += np.conj(J)
        jumps = []
        for rate, coeffs in self._jumps:
            c = np.zeros(n, complex)
            for name, v in coeffs.items():
                c[self.index(name)] = v
            jumps.append((rate, c))
        F = np.zeros(n, complex)
        for name, v in self._drive.items():
            F[self.index(name)] = v
        return LinearNetwork(
            h,
            loss=[self._loss[k] for k in self._names],
            jumps=jumps,
            drive=F,
            omega=[self._omega[k] for k in self._names],
            **kwargs,
        )
