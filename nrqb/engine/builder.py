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
import scipy.sparse as sps

from .network import LinearNetwork, _Bulk
from .validation import finite_array as _finite_array, finite_complex as _finite_complex
from .validation import rate as _rate, real as _real

__all__ = ["NetworkBuilder", "nonreciprocal_hopping", "SPARSE_MODES"]

#: :meth:`NetworkBuilder.build` stores networks of more than this many modes sparsely
SPARSE_MODES = 1000


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

    Raises
    ------
    ValueError
        For a negative or non-finite ``gamma`` or non-finite coefficients (named).

    References
    ----------
    Ahmadi et al., Eq. (2) and the condition ``J = -i mu Gamma / 2`` with ``mu = -p_b conj(p_a)``
    (here ``p_a = c_src``, ``p_b = c_dst``); Metelmann and Clerk, PRX 5, 021025 (2015).
    """
    gamma = _rate(gamma, "gamma")
    c_src = _finite_complex(c_src, "c_src")
    c_dst = _finite_complex(c_dst, "c_dst")
    return 0.5j * gamma * np.conj(c_src) * c_dst


class NetworkBuilder:
    """Build a network mode by mode and link by link, then :meth:`build` a ``LinearNetwork``.

    Every method returns the builder, so calls chain.  Modes are referred to by name.  Every
    operation is all-or-nothing: its arguments are validated before anything is recorded, so a
    call that raises leaves the builder as it was.
    """

    def __init__(self) -> None:
        # modes by index (names are appended, never removed, so a mode's index is fixed when added)
        self._names: list[str] = []
        self._pos: dict[str, int] = {}
        self._detuning: list[float] = []
        self._loss: list[float] = []
        self._omega: list[float] = []
        self._drive: dict[int, complex] = {}
        self._hops: list[tuple[int, int, complex]] = []
        self._jumps: list[tuple[float, tuple[int, ...], tuple[complex, ...]]] = []

    # ------------------------------------------------------------------ modes
    def mode(self, name: str, *, detuning: float = 0.0, loss: float = 0.0, omega: float = 1.0):
        """Add a mode.

        Parameters
        ----------
        name : str
            Unique, non-empty name.
        detuning : float
            ``omega_j - omega_L`` (the diagonal of ``h``).
        loss : float
            Local decay rate ``kappa_j >= 0``.
        omega : float
            Energy per quantum, ``>= 0``.

        Returns
        -------
        NetworkBuilder
            ``self``.
        """
        if not isinstance(name, str) or not name:
            raise ValueError(f"mode name must be a non-empty string, got {name!r}")
        if name in self._pos:
            raise ValueError(f"mode {name!r} already exists")
        detuning = _real(detuning, "detuning")
        loss = _rate(loss, "loss")
        omega = _rate(omega, "omega")
        self._pos[name] = len(self._names)
        self._names.append(name)
        self._detuning.append(detuning)
        self._loss.append(loss)
        self._omega.append(omega)
        return self

    @property
    def names(self) -> list[str]:
        """Mode names in index order."""
        return list(self._names)

    def index(self, name: str) -> int:
        """Index of a mode in the built network (``ValueError`` for an unknown name)."""
        if not isinstance(name, str) or name not in self._pos:
            raise ValueError(f"unknown mode {name!r}; known: {self._known_names()}")
        return self._pos[name]

    def _known_names(self) -> str:
        shown = self._names if len(self._names) <= 20 else self._names[:20] + ["..."]
        return repr(shown)

    def _known(self, name: Any, what: str) -> int:
        """The index of a known mode (``ValueError`` naming ``what`` otherwise)."""
        if not isinstance(name, str) or name not in self._pos:
            raise ValueError(f"{what}: unknown mode {name!r}; known: {self._known_names()}")
        return self._pos[name]

    # ------------------------------------------------------------------ links
    def hop(self, a: str, b: str, J: complex):
        """Coherent hop ``J a^dag b + conj(J) b^dag a`` (adds to any existing one).

        Parameters
        ----------
        a, b : str
            Two different modes.
        J : complex
            Hopping amplitude (a finite number).

        Returns
        -------
        NetworkBuilder
            ``self``.
        """
        i = self._known(a, "a")
        j = self._known(b, "b")
        if a == b:
            raise ValueError("hop needs two different modes a and b; use detuning for a diagonal term")
        J = _finite_complex(J, "J")
        self._hops.append((i, j, J))
        return self

    def _coefficients(self, coefficients: Any) -> tuple[tuple[int, ...], tuple[complex, ...]]:
        if not isinstance(coefficients, Mapping) or not coefficients:
            raise ValueError(f"coefficients must be a non-empty mapping {{mode name: c_j}}, got {coefficients!r}")
        out = {}
        for name, v in coefficients.items():
            i = self._known(name, "coefficients")
            out[i] = _finite_complex(v, f"coefficients[{name!r}]")
        if not any(out.values()):
            raise ValueError("coefficients must not all be zero (the jump operator would vanish)")
        return tuple(out), tuple(out.values())

    def shared_bath(self, rate: float, coefficients: Mapping[str, complex]):
        """Shared reservoir ``rate * D[sum_j c_j a_j]`` with ``coefficients = {name: c_j}``.

        Parameters
        ----------
        rate : float
            Rate ``>= 0``.
        coefficients : mapping
            ``{mode name: c_j}``, finite, not all zero.

        Returns
        -------
        NetworkBuilder
            ``self``.
        """
        rate = _rate(rate, "rate")
        idx, vals = self._coefficients(coefficients)
        self._jumps.append((rate, idx, vals))
        return self

    def drive(self, name: str, amplitude: complex):
        """Coherent drive ``F a^dag + conj(F) a`` on one mode (adds to any existing drive).

        Parameters
        ----------
        name : str
            The mode.
        amplitude : complex
            ``F`` (a finite number).

        Returns
        -------
        NetworkBuilder
            ``self``.
        """
        i = self._known(name, "name")
        amplitude = _finite_complex(amplitude, "amplitude")
        self._drive[i] = self._drive.get(i, 0) + amplitude
        return self

    def nonreciprocal_link(self, src: str, dst: str, gamma: float, *, phase: float = 0.0):
        """One-way link ``src -> dst``: a shared bath plus the hop that cancels the backflow.

        Adds ``gamma D[a_src + e^{i phase} a_dst]`` and ``J a_src^dag a_dst + h.c.`` with
        ``J = i gamma e^{i phase} / 2`` (:func:`nonreciprocal_hopping`).  Each end also gains
        local damping ``gamma``, and the forward drift entry is ``-gamma e^{-i phase}``.

        Parameters
        ----------
        src, dst : str
            Two different modes.
        gamma : float
            Rate of the shared reservoir, ``>= 0``.
        phase : float
            Phase of ``dst`` in the jump operator (real).

        Returns
        -------
        NetworkBuilder
            ``self``.

        References
        ----------
        Ahmadi et al., Eq. (2) with ``J = -i mu Gamma/2``; Liu et al., Eq. (1) with ``J_i = Gamma_i/2``.
        """
        i = self._known(src, "src")
        j = self._known(dst, "dst")
        if src == dst:
            raise ValueError(f"nonreciprocal_link needs two different modes src and dst, got {src!r} twice")
        gamma = _rate(gamma, "gamma")
        phase = _real(phase, "phase")
        c_dst = complex(np.exp(1j * phase)) if phase else 1.0 + 0j
        J = 0.5j * gamma * c_dst  # nonreciprocal_hopping(gamma, 1, c_dst), arguments already validated
        # validated: record both parts (all or nothing)
        self._jumps.append((gamma, (i, j), (1.0 + 0j, c_dst)))
        self._hops.append((i, j, J))
        return self

    # ------------------------------------------------------------------ build
    def build(self, *, n_th: Any = 0.0, squeezing: Any = None, alpha0: Any = None, sparse: Any = None,
              **unknown: Any) -> LinearNetwork:
        """The :class:`LinearNetwork`.

        Parameters
        ----------
        n_th, squeezing, alpha0
            Passed to :class:`LinearNetwork` (one value per channel: the local losses of the
            modes in the order added, then the shared baths and links in the order added).
        sparse : bool, optional
            Store the network sparsely (a ``scipy.sparse`` Hamiltonian and jump coefficients
            given by their non-zeros: memory ``O(number of couplings)``, see
            :attr:`LinearNetwork.is_sparse`).  Default: sparse when the network has more than
            ``SPARSE_MODES = 1000`` modes.

        Returns
        -------
        LinearNetwork

        Raises
        ------
        ValueError
            If the builder has no modes, for an unknown option (named), for ``sparse`` not a
            bool or ``None``, or for bad values of the options (named by :class:`LinearNetwork`).
        """
        if unknown:
            names = ", ".join(sorted(unknown))
            raise ValueError(f"build got unknown option(s) {names}; the options are n_th, squeezing, alpha0, sparse")
        if sparse is not None and not isinstance(sparse, (bool, np.bool_)):
            raise ValueError(f"sparse must be True, False or None (automatic), got {sparse!r}")
        n = len(self._names)
        if n == 0:
            raise ValueError("the network has no modes")
        sparse = n > SPARSE_MODES if sparse is None else bool(sparse)
        diag = np.array(self._detuning, complex)
        if self._hops:
            ii = np.fromiter((h[0] for h in self._hops), int, len(self._hops))
            jj = np.fromiter((h[1] for h in self._hops), int, len(self._hops))
            JJ = np.fromiter((h[2] for h in self._hops), complex, len(self._hops))
        else:
            ii = jj = np.zeros(0, int)
            JJ = np.zeros(0, complex)
        rows = np.concatenate([np.arange(n), ii, jj])
        cols = np.concatenate([np.arange(n), jj, ii])
        vals = np.concatenate([diag, JJ, JJ.conj()])
        h = sps.coo_array((vals, (rows, cols)), shape=(n, n)).tocsr()  # sums repeated hops
        h.sum_duplicates()
        if not sparse:
            h = h.toarray()
        nj = len(self._jumps)
        rates = np.fromiter((j[0] for j in self._jumps), float, nj)
        lengths = np.fromiter((len(j[1]) for j in self._jumps), int, nj)
        flat_i = np.fromiter((i for j in self._jumps for i in j[1]), int, int(lengths.sum()))
        flat_v = np.fromiter((v for j in self._jumps for v in j[2]), complex, int(lengths.sum()))
        row = np.repeat(np.arange(nj), lengths)
        C = sps.coo_array((flat_v, (row, flat_i)), shape=(nj, n)).tocsr()  # sorted, zeros dropped
        C.sum_duplicates()
        C.eliminate_zeros()
        F = np.zeros(n, complex)
        for i, v in self._drive.items():
            F[i] = v
        return LinearNetwork(
            h,
            loss=np.array(self._loss),
            jumps=_Bulk(rates, C),
            drive=F,
            omega=np.array(self._omega),
            n_th=n_th,
            squeezing=squeezing,
            alpha0=alpha0,
        )
