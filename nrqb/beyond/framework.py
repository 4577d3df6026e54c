"""The four papers' nonreciprocal mechanisms as explicit models, and tests of one-wayness.

Each mechanism is a :class:`~nrqb.engine.LinearNetwork` with every auxiliary mode kept,
parametrised by the phase that each paper tunes.  :func:`isolation_ratio` eliminates the
auxiliary modes exactly at zero frequency (:meth:`LinearNetwork.eliminated_drift`) and returns
the ratio of the backward to the forward effective coupling of the charger-battery pair.  At a
frequency ``omega`` away from the drive the same question is asked by the engine's
susceptibility (:meth:`LinearNetwork.isolation`); :func:`linewidth` gives each pair's own
frequency scale and :func:`isolation_bandwidth` the band over which a link stays one-way.
:func:`matched_link` builds one link from each mechanism with the *same* zero-frequency
effective drift, so that the mechanisms differ only away from zero frequency.

References
----------
Ahmadi et al. (shared reservoir, modelled as a damped mode), Zhao et al., Eq. (1) (AB triangle),
Lin et al., Eq. (1) (bad cavity), Liu et al., Eqs. (1)-(2) (collective jump).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from scipy.optimize import brentq

from ..papers import ahmadi, lin, zhao
from ..engine.builder import NetworkBuilder
from ..engine.network import LinearNetwork
from ..engine.validation import finite_complex as _complex, index as _index, positive as _positive, rate as _rate

__all__ = ["Mechanism", "mechanisms", "isolation_ratio", "linewidth", "isolation_bandwidth",
           "MATCHED", "RECIPROCAL", "matched_link", "matched_pair", "backflow_sym"]

KAPPA = 0.003


@dataclass(frozen=True)
class Mechanism:
    """A nonreciprocal mechanism: ``build(phase)`` gives the explicit model, charger mode 0, battery 1."""

    name: str
    build: Callable[[float], LinearNetwork]
    nr_phase: float
    phase_label: str
    caption: str


def _reservoir_mode(phase: float) -> LinearNetwork:
    g, gamma_c = 0.1, 1.0  # Gamma = 4 g^2 / gamma_c = 0.04
    Gam, pa, pb = ahmadi.eliminated_reservoir(g, g, gamma_c)
    J = abs(ahmadi.nonreciprocal_J(Gam, pa, pb)) * np.exp(1j * phase)
    return ahmadi.auxiliary_mode_network(g, g, gamma_c, KAPPA, KAPPA, 0.1, J=J)


def _ab_triangle(phase: float) -> LinearNetwork:
    return zhao.triangle(0.01, 0.1, 0.1, 0.1, theta=phase)


def _bad_cavity(phase: float) -> LinearNetwork:
    return lin.full_network(g_a=np.sqrt(0.2), g_b=np.sqrt(0.2), gamma_m=20.0, J=0.02, phi=phase,
                            kappa_a=KAPPA, kappa_b=KAPPA, eps=0.1)


def _collective_jump(phase: float, Gamma: float = 0.04) -> LinearNetwork:
    return (NetworkBuilder().mode("a", loss=KAPPA).mode("b", loss=KAPPA).drive("a", 0.01)
            .hop("a", "b", Gamma / 2 * np.exp(1j * phase)).shared_bath(Gamma, {"a": 1, "b": 1}).build())


def mechanisms() -> dict[str, Mechanism]:
    """The four mechanisms at their papers' nonreciprocal points (units of omega, ``kappa = 0.003``).

    Ahmadi et al. assume a Markovian reservoir ("we assume that the reservoir is Markovian"), a
    collective jump ``Gamma D[p_a a + p_b b]`` like Liu et al.'s: their model is the
    ``"collective jump (Liu)"`` entry.  The ``"shared reservoir (Ahmadi)"`` entry is the book's own
    realisation of that reservoir as a damped cavity mode (``gamma_c = 1``), whose elimination gives
    the same jump at zero frequency; its :attr:`Mechanism.name` says so ("reservoir as a mode
    (book)").  The dictionary keys are kept for compatibility; display ``Mechanism.name``.

    Returns
    -------
    dict
        ``key -> Mechanism``, in the order Ahmadi (reservoir as a mode), Zhao, Lin, Liu (collective
        jump, also Ahmadi et al.'s Markovian model).
    """
    return {
        "shared reservoir (Ahmadi)": Mechanism(
            "reservoir as a mode (book)", _reservoir_mode, np.pi / 2, r"$\arg J$",
            r"reservoir as a damped mode, $g = 0.1$, $\gamma_c = 1$ ($\Gamma = 4g^2/\gamma_c = 0.04$), $|J| = \Gamma/2$"),
        "AB triangle (Zhao)": Mechanism(
            "AB triangle (Zhao)", _ab_triangle, -np.pi / 2, r"$\theta$",
            r"$\Gamma = \gamma = 0.1$, $g_b = 0.01$, $g_1 = g_2 = \sqrt{g_b\Gamma/2}$"),
        "bad cavity (Lin)": Mechanism(
            "bad cavity (Lin)", _bad_cavity, np.pi / 2, r"$\phi$",
            r"$g_a = g_b = \sqrt{0.2}$, $\gamma_m = 20$, $J = 0.02$"),
        "collective jump (Liu)": Mechanism(
            "collective jump (Ahmadi, Liu)", _collective_jump, np.pi / 2, r"$\theta$",
            r"$\Gamma = 0.04$, $J = \Gamma/2$"),
    }


def _net(net) -> LinearNetwork:
    if not isinstance(net, LinearNetwork):
        raise ValueError(f"net must be a LinearNetwork, got {type(net).__name__}")
    return net


def _pair(net: LinearNetwork, charger, battery) -> tuple[int, int]:
    c = _index(charger, "charger", net.n_modes)
    b = _index(battery, "battery", net.n_modes)
    if c == b:
        raise ValueError(f"charger and battery must be different modes, got {c} twice")
    return c, b


def isolation_ratio(net: LinearNetwork, charger: int = 0, battery: int = 1) -> float:
    """``|A_eff[charger, battery]| / |A_eff[battery, charger]|``: backward over forward coupling.

    Zero for a one-way link ``charger -> battery``; one for a reciprocal link; ``inf`` for a link
    that is one-way the other way (at the phase opposite to the nonreciprocal point).

    Parameters
    ----------
    net : LinearNetwork
        The explicit model.
    charger, battery : int
        Mode indices of the pair; every other mode is eliminated.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If both effective couplings vanish, or for a bad network or index (named).

    References
    ----------
    Metelmann and Clerk, PRX 5, 021025 (2015); Ahmadi et al., Eq. (2) (``A_ab = 0``).
    """
    net = _net(net)
    charger, battery = _pair(net, charger, battery)
    A = net.eliminated_drift([charger, battery])
    if A[1, 0] == 0:
        if A[0, 1] == 0:
            raise ValueError("the forward and backward effective couplings are both zero: the ratio is undefined")
        return float("inf")   # one-way battery -> charger
    return float(abs(A[0, 1]) / abs(A[1, 0]))


def linewidth(net: LinearNetwork, charger: int = 0, battery: int = 1) -> float:
    """The battery's own linewidth: ``-Re A_eff[battery, battery]`` after eliminating every other mode but the charger.

    The half-width at half maximum (in amplitude decay rate) of the battery's effective
    resonance in the charger-battery pair, exact at zero frequency (Schur complement).

    Parameters
    ----------
    net : LinearNetwork
        The explicit model.
    charger, battery : int
        Mode indices.

    Returns
    -------
    float

    References
    ----------
    Ahmadi et al., Eq. (2) (``Lambda_b/2``); Lin et al., Eq. (5); Zhao et al., Eq. (3).
    """
    net = _net(net)
    charger, battery = _pair(net, charger, battery)
    return float(-net.eliminated_drift([charger, battery])[1, 1].real)


def isolation_bandwidth(net: LinearNetwork, level: float = 0.1, charger: int = 0, battery: int = 1,
                        *, omega_max: float = 100.0) -> float:
    """Smallest ``|omega| > 0`` at which the backflow ratio ``|chi_cb| / |chi_bc|`` reaches ``level``.

    The band ``|omega| <`` this value is where the link ``charger -> battery`` is one-way to within
    ``level`` (the engine's :meth:`LinearNetwork.isolation`, both signs of ``omega`` searched).
    ``inf`` if the ratio stays below ``level`` up to ``omega_max`` (a link that is one-way at all
    frequencies, such as a Markovian collective jump).

    Parameters
    ----------
    net : LinearNetwork
        A stable network.
    level : float
        Backflow level in ``(0, 1)``.
    charger, battery : int
        Mode indices.
    omega_max : float
        Largest frequency searched (> 0).

    Returns
    -------
    float

    References
    ----------
    Metelmann and Clerk, PRX 5, 021025 (2015), Sec. IV (bandwidth of reservoir-engineered isolation).
    """
    net = _net(net)
    charger, battery = _pair(net, charger, battery)
    level = _positive(level, "level")
    if not level < 1:
        raise ValueError(f"level must be in (0, 1), got {level!r}")
    omega_max = _positive(omega_max, "omega_max")
    iso = lambda w: float(net.isolation([w], battery, charger)[0])  # noqa: E731
    if iso(0.0) >= level:
        return 0.0
    grid = np.geomspace(omega_max * 1e-9, omega_max, 400)
    best = np.inf
    for sign in (1.0, -1.0):
        vals = net.isolation(sign * grid, battery, charger)
        above = np.flatnonzero(vals >= level)
        if len(above) == 0:
            continue
        k = above[0]
        lo = grid[k - 1] if k > 0 else 0.0
        w = brentq(lambda x: iso(sign * x) - level, lo, grid[k], xtol=1e-14 * grid[k], rtol=1e-12)
        best = min(best, w)
    return float(best)


#: default auxiliary damping of each mechanism in :func:`matched_link` (units of omega): the
#: values of :func:`mechanisms` (Ahmadi's reservoir mode gamma_c = 1, Zhao's Gamma = 0.1, Lin's
#: gamma_m = 20); "collective jump" (Ahmadi et al.'s and Liu et al.'s Markovian reservoir) has no
#: auxiliary mode; the two "reciprocal hop" entries are two-way controls
MATCHED = {"reservoir as a mode (book)": 1.0, "AB triangle (Zhao)": 0.1, "bad cavity (Lin)": 20.0,
           "collective jump (Ahmadi, Liu)": None, "reciprocal hop, no reservoir": None,
           "reciprocal hop + jumps": None}

#: the keys of :data:`MATCHED` that make a two-way control rather than a one-way link
RECIPROCAL = ("reciprocal hop, no reservoir", "reciprocal hop + jumps")


def matched_link(nb: NetworkBuilder, src: str, dst: str, mechanism: str, Gamma: float, *,
                 aux_rate: float | None = None, tag: str | None = None) -> NetworkBuilder:
    """Add a one-way link ``src -> dst`` made by ``mechanism``, with the same zero-frequency drift for all.

    Every mechanism adds ``Gamma/2`` to the amplitude damping of both ends and the forward drift
    entry of modulus ``Gamma`` (the collective jump ``Gamma D[a_src + a_dst]`` with its hop
    ``i Gamma/2``), and no backward entry, once its auxiliary mode is eliminated at zero frequency:

    * ``"collective jump (Ahmadi, Liu)"``: :meth:`NetworkBuilder.nonreciprocal_link` (Markovian, no
      auxiliary mode: Ahmadi et al.'s and Liu et al.'s reservoir);
    * ``"reservoir as a mode (book)"``: the book's cavity realisation of that reservoir, a mode of loss ``gamma_c`` coupled by
      ``nu = sqrt(Gamma gamma_c)/2`` to both ends, plus the hop ``i Gamma/2``;
    * ``"bad cavity (Lin)"``: a cavity of loss ``gamma_m`` coupled by ``i g`` to ``src`` and ``g`` to
      ``dst``, ``g = sqrt(Gamma gamma_m)/2``, plus the real hop ``Gamma/2`` (the paper's phase
      ``phi = pi/2``);
    * ``"AB triangle (Zhao)"``: an intermediate mode of loss ``Gamma_z`` coupled by
      ``g_1 = g_2 = sqrt(g_b Gamma_z/2)``, and the direct hop ``g_b e^{-i pi/2}`` with ``g_b = Gamma/2``;
    * ``"reciprocal hop, no reservoir"``: a two-way control, a coherent hop ``Gamma/2`` and nothing else;
    * ``"reciprocal hop + jumps"``: a two-way control with the same reservoir, the collective jump
      ``Gamma D[a_src + a_dst]`` and the real hop ``Gamma/2`` (the mechanism off its phase).

    Parameters
    ----------
    nb : NetworkBuilder
        The builder (modified and returned).
    src, dst : str
        Existing modes.
    mechanism : str
        A key of :data:`MATCHED`.
    Gamma : float
        Effective link rate (> 0).
    aux_rate : float, optional
        Damping of the auxiliary mode (default :data:`MATCHED`).
    tag : str, optional
        Name of the auxiliary mode (default ``f"{src}>{dst}"``).

    Returns
    -------
    NetworkBuilder

    References
    ----------
    Ahmadi et al., Eq. (2); Zhao et al., Eq. (1); Lin et al., Eq. (1); Liu et al., Eqs. (1)-(2).
    """
    if not isinstance(nb, NetworkBuilder):
        raise ValueError(f"nb must be a NetworkBuilder, got {type(nb).__name__}")
    if not isinstance(mechanism, str) or mechanism not in MATCHED:
        raise ValueError(f"mechanism must be one of {sorted(MATCHED)}, got {mechanism!r}")
    Gamma = _positive(Gamma, "Gamma")
    rate = MATCHED[mechanism] if aux_rate is None else _positive(aux_rate, "aux_rate")
    aux = f"{src}>{dst}" if tag is None else str(tag)
    if mechanism == "collective jump (Ahmadi, Liu)":
        return nb.nonreciprocal_link(src, dst, Gamma)
    if mechanism == "reciprocal hop, no reservoir":
        return nb.hop(src, dst, Gamma / 2)
    if mechanism == "reciprocal hop + jumps":
        return nb.shared_bath(Gamma, {src: 1.0, dst: 1.0}).hop(src, dst, Gamma / 2)
    nb._known(src, "src")
    nb._known(dst, "dst")
    if mechanism == "reservoir as a mode (book)":
        nu = np.sqrt(Gamma * rate) / 2
        return (nb.mode(aux, loss=rate).hop(aux, src, nu).hop(aux, dst, nu).hop(src, dst, 0.5j * Gamma))
    if mechanism == "bad cavity (Lin)":
        g = np.sqrt(Gamma * rate) / 2
        return nb.mode(aux, loss=rate).hop(aux, src, 1j * g).hop(aux, dst, g).hop(dst, src, Gamma / 2)
    g_b = Gamma / 2
    g12 = np.sqrt(g_b * rate / 2)
    return nb.mode(aux, loss=rate).hop(aux, src, g12).hop(dst, aux, g12).hop(dst, src, -1j * g_b)


def matched_pair(mechanism: str, Gamma: float = 0.04, *, kappa: float = 0.003, F: complex = 0.01,
                 aux_rate: float | None = None) -> LinearNetwork:
    """Charger (mode 0, driven) and battery (mode 1) joined by :func:`matched_link`; auxiliary mode last.

    Parameters
    ----------
    mechanism : str
        A key of :data:`MATCHED`.
    Gamma : float
        Effective link rate (> 0).
    kappa : float
        Local loss of charger and battery (>= 0).
    F : complex
        Drive on the charger.
    aux_rate : float, optional
        Damping of the auxiliary mode.

    Returns
    -------
    LinearNetwork

    References
    ----------
    As :func:`matched_link`.
    """
    kappa = _rate(kappa, "kappa")
    F = _complex(F, "F")
    nb = NetworkBuilder().mode("a", loss=kappa).mode("b", loss=kappa).drive("a", F)
    return matched_link(nb, "a", "b", mechanism, Gamma, aux_rate=aux_rate).build()


def backflow_sym() -> dict:
    """sympy: eliminate each auxiliary mode at frequency ``omega`` and find the backflow ratio.

    For the three mechanisms with an auxiliary mode of (energy) damping ``gamma_aux`` the mean
    equations at frequency ``nu`` (from the drive) are ``(-i nu - A) x = f``; eliminating the
    auxiliary mode gives the frequency-dependent effective drift of the pair,
    ``A_eff(nu) = A_kk + A_ka (-i nu - A_aa)^{-1} A_ak``, and the backflow ratio
    ``|chi_ab / chi_ba| = |A_eff,ab / A_eff,ba|`` (the off-diagonal entries of a 2x2 inverse are
    proportional to those of the matrix).  The models are those of :func:`matched_link`.

    Returns
    -------
    dict
        ``symbols`` (nu, gamma_aux, Gamma), and per mechanism a dict with ``drift`` (3x3, auxiliary
        mode last; local losses of charger and battery left out), ``backward`` and ``forward``
        (``A_eff,ab(nu)``, ``A_eff,ba(nu)``, factored)
        and ``ratio2`` (``|backward/forward|^2``, simplified).

    References
    ----------
    Metelmann and Clerk, PRX 5, 021025 (2015); Ahmadi et al., Eq. (2); Zhao et al., Eq. (1);
    Lin et al., Eq. (1).
    """
    import sympy as sp

    w = sp.Symbol("nu", real=True)
    gam = sp.Symbol(r"gamma_aux", positive=True)
    G = sp.Symbol("Gamma", positive=True)
    I = sp.I

    def drift(h, loss):
        return -I * h - sp.diag(*loss) / 2

    out = {"symbols": (w, gam, G)}
    nu = sp.sqrt(G * gam) / 2
    # h[i, j] multiplies x_i^dag x_j; modes (src, dst, aux)
    h_res = sp.Matrix([[0, I * G / 2, nu], [-I * G / 2, 0, nu], [nu, nu, 0]])
    g = sp.sqrt(G * gam) / 2
    h_cav = sp.Matrix([[0, G / 2, -I * g], [G / 2, 0, g], [I * g, g, 0]])
    g_b = G / 2
    g12 = sp.sqrt(g_b * gam / 2)
    h_tri = sp.Matrix([[0, I * g_b, g12], [-I * g_b, 0, g12], [g12, g12, 0]])
    for name, h in (("reservoir as a mode (book)", h_res), ("bad cavity (Lin)", h_cav), ("AB triangle (Zhao)", h_tri)):
        A = drift(h, [0, 0, gam])
        Aeff = A[:2, :2] + A[:2, 2:] * (-I * w - A[2, 2]) ** -1 * A[2:, :2]
        back, fwd = sp.factor(sp.together(Aeff[0, 1])), sp.factor(sp.together(Aeff[1, 0]))
        ratio2 = sp.factor(sp.cancel(sp.expand(back * sp.conjugate(back) / (fwd * sp.conjugate(fwd)))))
        out[name] = {"drift": A, "backward": back, "forward": fwd, "ratio2": ratio2}
    return out
