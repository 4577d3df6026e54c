"""The four papers' nonreciprocal mechanisms as explicit models, and one test of one-wayness.

Each mechanism is a :class:`~nrqb.engine.LinearNetwork` with every auxiliary mode kept,
parametrised by the phase that each paper tunes.  :func:`isolation_ratio` eliminates the
auxiliary modes exactly at zero frequency (:meth:`LinearNetwork.eliminated_drift`) and returns
the ratio of the backward to the forward effective coupling of the charger-battery pair.

References
----------
Ahmadi et al. (shared reservoir, modelled as a damped mode), Zhao et al., Eq. (1) (AB triangle),
Lin et al., Eq. (1) (bad cavity), Liu et al., Eqs. (1)-(2) (collective jump).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..papers import ahmadi, lin, zhao
from ..engine.builder import NetworkBuilder
from ..engine.network import LinearNetwork

__all__ = ["Mechanism", "mechanisms", "isolation_ratio"]

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

    Returns
    -------
    dict
        ``name -> Mechanism``, in the order Ahmadi, Zhao, Lin, Liu.
    """
    return {
        "shared reservoir (Ahmadi)": Mechanism(
            "shared reservoir (Ahmadi)", _reservoir_mode, np.pi / 2, r"$\arg J$",
            r"reservoir as a damped mode, $g = 0.1$, $\gamma_c = 1$ ($\Gamma = 4g^2/\gamma_c = 0.04$), $|J| = \Gamma/2$"),
        "AB triangle (Zhao)": Mechanism(
            "AB triangle (Zhao)", _ab_triangle, -np.pi / 2, r"$\theta$",
            r"$\Gamma = \gamma = 0.1$, $g_b = 0.01$, $g_1 = g_2 = \sqrt{g_b\Gamma/2}$"),
        "bad cavity (Lin)": Mechanism(
            "bad cavity (Lin)", _bad_cavity, np.pi / 2, r"$\phi$",
            r"$g_a = g_b = \sqrt{0.2}$, $\gamma_m = 20$, $J = 0.02$"),
        "collective jump (Liu)": Mechanism(
            "collective jump (Liu)", _collective_jump, np.pi / 2, r"$\theta$",
            r"$\Gamma = 0.04$, $J = \Gamma/2$"),
    }


def isolation_ratio(net: LinearNetwork, charger: int = 0, battery: int = 1) -> float:
    """``|A_eff[charger, battery]| / |A_eff[battery, charger]|``: backward over forward coupling.

    Zero for a one-way link ``charger -> battery``; one for a reciprocal link.

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
        If the forward coupling vanishes.
    """
    A = net.eliminated_drift([charger, battery])
    if A[1, 0] == 0:
        raise ValueError("the forward effective coupling is zero: the ratio is undefined")
    return float(abs(A[0, 1]) / abs(A[1, 0]))
