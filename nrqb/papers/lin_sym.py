"""sympy derivations for the chapter on Lin et al. (:mod:`nrqb.papers.lin`).

Every function returns sympy objects, most of them a ``dict`` of the intermediate steps of one
derivation so that the chapter can display them one by one; the chapter compares the result
with the paper's printed equation through ``sympy.simplify(ours - paper) == 0`` and shows a
difference numerically where the two disagree.

Symbols (``SYM``; all real, rates positive).  Two different rates carry the paper's single
name Gamma, and they get two names here:

``Gamma`` (:math:`\\Gamma`)
    the rate that enters the paper's moment equations, Eq. (5) (``Lambda_j = Gamma + kappa_j``,
    cross coupling ``-(Gamma/2) e^{-i phi}``), and all its figures (``Gamma = 0.04 omega``): the rate
    of the Lindblad channel ``Gamma D[a + e^{-i phi} b]``.
``Gammatilde`` (:math:`\\tilde\\Gamma`)
    the rate *as defined below the paper's Eq. (2)*, ``gamma g_a g_b / (Delta_c^2 + gamma^2)``,
    which is what the projection of Eq. (17) puts into the non-Hermitian ``H_eff``; the
    elimination gives ``Gamma = 2 Gammatilde`` (:func:`langevin_elimination`).

Others: ``Delta_a, Delta_b, Delta_c, g_a, g_b, gamma`` (= gamma_m/2), ``J, phi, G, kappa_a,
kappa_b, eps, Delta'_a, Delta'_b, Lambda_a, Lambda_b, t``.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp
from sympy.physics.quantum import Dagger
from sympy.physics.quantum.operatorordering import normal_ordered_form

from ..engine import symbolic

__all__ = [
    "SYM",
    "paper_definitions",
    "projection_elimination",
    "paper_eq18",
    "langevin_elimination",
    "memory_correction",
    "commutator_moments",
    "shorthand_moments",
    "anti_hermitian_part",
    "lindblad_moments",
    "paper_eq5_eq6",
    "paper_eq19_eq20",
    "dynamical_matrix",
    "paper_eq13",
    "nonreciprocal_condition",
    "nonreciprocal_moments",
    "closed_forms",
    "paper_eq8_eq9",
    "paper_eq21",
    "A_coefficients_simplified",
    "eigenvalues",
    "paper_eq14_discriminant",
    "ep_couplings",
    "ep_coupling_and_phase",
    "fig4_energies",
    "best_coupling_resonant",
    "resonant_power_peak",
    "latex_equation",
    "tex",
]

_r = dict(real=True)
_p = dict(positive=True)
SYM = dict(
    Delta_a=sp.Symbol("Delta_a", **_r), Delta_b=sp.Symbol("Delta_b", **_r), Delta_c=sp.Symbol("Delta_c", **_r),
    g_a=sp.Symbol("g_a", **_p), g_b=sp.Symbol("g_b", **_p), gamma=sp.Symbol("gamma", **_p),
    J=sp.Symbol("J", **_r), phi=sp.Symbol("phi", **_r), G=sp.Symbol("G", **_r),
    Gamma=sp.Symbol("Gamma", **_p), Gammatilde=sp.Symbol("Gammatilde", **_p),
    kappa_a=sp.Symbol("kappa_a", **_p), kappa_b=sp.Symbol("kappa_b", **_p),
    eps=sp.Symbol("epsilon", **_r), Dpa=sp.Symbol("Delta'_a", **_r), Dpb=sp.Symbol("Delta'_b", **_r),
    Lambda_a=sp.Symbol("Lambda_a", **_p), Lambda_b=sp.Symbol("Lambda_b", **_p), t=sp.Symbol("t", nonnegative=True),
)
_S = SYM


def _moment_symbols():
    m = symbolic.moment
    a, b = symbolic.modes("a b")
    return dict(a=m(a), b=m(b), ad=m(Dagger(a)), bd=m(Dagger(b)), na=m(Dagger(a), a), nb=m(Dagger(b), b),
                ab=m(Dagger(a), b), ba=m(Dagger(b), a))


# --------------------------------------------------------------------------------------------
# the elimination of the bad cavity (paper Eqs. (2), (16)-(18))
# --------------------------------------------------------------------------------------------
def paper_definitions() -> dict[str, sp.Expr]:
    """The symbols defined below Eq. (2) of Lin et al., as printed, in terms of the bare parameters.

    Returns
    -------
    dict
        ``Dpa``, ``Dpb`` (shifted detunings), ``Gamma_a``, ``Gamma_b``, ``G`` and ``Gamma`` (the
        printed ``Gamma = gamma g_a g_b / (Delta_c^2 + gamma^2)``, called ``Gammatilde`` in this module).

    References
    ----------
    Lin et al., the definitions below Eq. (2) (repeated below Eq. (18)).
    """
    s = _S
    D = s["Delta_c"] ** 2 + s["gamma"] ** 2
    return dict(
        Dpa=s["Delta_a"] - s["g_a"] ** 2 * s["Delta_c"] / D,
        Dpb=s["Delta_b"] - s["g_b"] ** 2 * s["Delta_c"] / D,
        Gamma_a=s["g_a"] ** 2 * s["gamma"] / D,
        Gamma_b=s["g_b"] ** 2 * s["gamma"] / D,
        G=s["g_a"] * s["g_b"] * s["Delta_c"] / D,
        Gamma=s["gamma"] * s["g_a"] * s["g_b"] / D,
    )


def projection_elimination() -> dict[str, sp.Expr]:
    """Projection-operator (Feshbach) elimination of ``c`` in the one-quantum sector, step by step.

    The one-quantum matrix of the non-Hermitian Hamiltonian of Eq. (1) (coefficients ``h_ij`` of
    ``a_i^dag a_j`` in the basis ``(a, b, c)``, with ``Delta_c - i gamma``) is split into
    ``P = {a, b}`` and ``Q = {c}``:
    ``H_eff(E) = PHP + PHQ (E - QHQ)^{-1} QHP``, and the paper's ``E << |QHQ|`` sets ``E = 0``.

    Returns
    -------
    dict
        ``h`` (3x3), ``PHP`` (2x2), ``PHQ`` (2x1), ``QHP`` (1x2), ``QHQ`` (scalar), ``E`` (the
        symbol), ``second_order`` (``PHQ (E - QHQ)^{-1} QHP``), ``heff_E`` (at energy ``E``) and
        ``heff`` (at ``E = 0``; coefficient of ``a_i^dag a_j``; the drive is unchanged).

    References
    ----------
    Lin et al., Eqs. (16)-(18) and Appendix A.
    """
    s = _S
    h = sp.Matrix([
        [s["Delta_a"], s["J"], s["g_a"] * sp.exp(-sp.I * s["phi"])],
        [s["J"], s["Delta_b"], s["g_b"]],
        [s["g_a"] * sp.exp(sp.I * s["phi"]), s["g_b"], s["Delta_c"] - sp.I * s["gamma"]],
    ])
    E = sp.Symbol("E")
    PHP, PHQ, QHP, QHQ = h[:2, :2], h[:2, 2:], h[2:, :2], h[2, 2]
    second = PHQ * QHP / (E - QHQ)
    heff_E = PHP + second
    return dict(h=h, PHP=PHP, PHQ=PHQ, QHP=QHP, QHQ=QHQ, E=E, second_order=second, heff_E=heff_E,
                heff=heff_E.subs(E, 0))


def paper_eq18() -> sp.Matrix:
    """The effective Hamiltonian of Lin et al., Eq. (18) (= Eq. (2)), as printed, as a 2x2 matrix.

    Entry ``[i, j]`` is the coefficient of ``a_i^dag a_j`` in the basis ``(a, b)``, with the printed
    definitions of :func:`paper_definitions`.

    Returns
    -------
    sympy.Matrix (2, 2)

    References
    ----------
    Lin et al., Eq. (18) (= Eq. (2)).
    """
    d = paper_definitions()
    s = _S
    return sp.Matrix([
        [d["Dpa"] - sp.I * d["Gamma_a"], s["J"] - (d["G"] + sp.I * d["Gamma"]) * sp.exp(-sp.I * s["phi"])],
        [s["J"] - (d["G"] + sp.I * d["Gamma"]) * sp.exp(sp.I * s["phi"]), d["Dpb"] - sp.I * d["Gamma_b"]],
    ])


def _three_mode_hamiltonian():
    s = _S
    a, b, c = symbolic.modes("a b c")
    e = sp.exp(sp.I * s["phi"])
    H = (s["Delta_a"] * Dagger(a) * a + s["Delta_b"] * Dagger(b) * b + s["Delta_c"] * Dagger(c) * c
         + s["g_a"] * e * a * Dagger(c) + s["g_a"] * sp.conjugate(e) * Dagger(a) * c
         + s["g_b"] * (b * Dagger(c) + Dagger(b) * c) + s["J"] * (a * Dagger(b) + Dagger(a) * b))
    return (a, b, c), H


def langevin_elimination() -> dict[str, sp.Expr]:
    """Eliminate ``c`` from the *Lindblad* three-mode model's moment equations, step by step.

    The model is Eq. (1) with its non-Hermitian ``-i (gamma_m/2) c^dag c`` written as the channel
    ``gamma_m D[c]`` (``gamma_m = 2 gamma``); :func:`nrqb.engine.symbolic.drift_matrix_from_master_equation`
    gives the 3x3 drift, ``d<c>/dt = 0`` is solved for ``<c>`` and substituted.  Local losses are
    omitted (they add ``-kappa_j/2`` to the diagonal).

    Returns
    -------
    dict
        ``A3`` (3x3 drift of ``(<a>, <b>, <c>)``), ``c_adiabatic`` (``<c>`` from ``d<c>/dt = 0``,
        in the moment symbols ``<a>``, ``<b>``) and ``A2`` (2x2 drift of ``(<a>, <b>)`` after
        substitution).

    References
    ----------
    Lin et al., Eq. (1); Gardiner and Zoller, *Quantum Noise*, adiabatic elimination.
    """
    s = _S
    (a, b, c), H = _three_mode_hamiltonian()
    A3, _ = symbolic.drift_matrix_from_master_equation([a, b, c], H, [(2 * s["gamma"], c)])
    ma, mb = symbolic.moment(a), symbolic.moment(b)
    c_ad = -(A3[2, 0] * ma + A3[2, 1] * mb) / A3[2, 2]
    A2 = sp.zeros(2, 2)
    for i in range(2):
        for j in range(2):
            A2[i, j] = sp.simplify(A3[i, j] - A3[i, 2] * A3[2, j] / A3[2, 2])
    return dict(A3=A3, c_adiabatic=sp.simplify(c_ad), A2=A2)


def memory_correction() -> dict[str, sp.Expr]:
    """The first correction to the adiabatic elimination of ``c`` (beyond the paper), step by step.

    ``dc/dt = -z c - i X`` with ``z = gamma + i Delta_c`` and ``X = g e^{i phi} a + g b``
    (``g_a = g_b = g``).  Iterating ``c = (-i X - dc/dt)/z`` gives
    ``c = -i X / z + i (dX/dt) / z^2 + O(z^-3)``; fed back into ``da/dt``, ``db/dt`` it turns the
    effective equations into ``(1 - N) dv/dt = A v - i F`` with ``N = w^* w^T / z^2``,
    ``w = g (e^{i phi}, 1)``.  With ``g^2`` fixed by the rate of Eq. (5),
    ``Gamma = 2 gamma g^2 / |z|^2``, this is ``N = (Gamma / (2 gamma)) (z^*/z) P``,
    ``P = [[1, e^{-i phi}], [e^{i phi}, 1]]``: its size does not depend on ``Delta_c`` at fixed
    ``Gamma``, only its phase does.

    Returns
    -------
    dict
        ``z`` (``gamma + i Delta_c``), ``X`` (in moment symbols), ``c0`` (adiabatic ``<c>``) and
        ``c1`` (with the first memory term), both in the symbols ``zeta`` (the value of ``z``), ``X`` and
        ``Xdot`` (``dX/dt``), ``N`` (2x2, in ``g``), ``g2`` (``g^2`` at
        fixed ``Gamma``), ``N_Gamma`` (2x2 at fixed ``Gamma``), ``phase`` (``z^*/z``),
        ``re_phase`` and ``im_phase`` (its real and imaginary parts, simplified).

    References
    ----------
    Lin et al., Eqs. (1), (17); Gardiner and Zoller, *Quantum Noise* (adiabatic elimination).
    """
    s = _S
    g = sp.Symbol("g", positive=True)
    gam, Dc, phi, Gm = s["gamma"], s["Delta_c"], s["phi"], s["Gamma"]
    z = gam + sp.I * Dc
    zs = sp.Symbol("zeta")  # the cavity's complex rate gamma + i Delta_c (zeta, not z_a of the closed forms)
    tt = sp.Symbol("tau", real=True)
    Xf = sp.Function("X")(tt)
    c0 = -sp.I * Xf / zs
    c1 = sp.expand((-sp.I * Xf - sp.diff(c0, tt)) / zs)
    Xdot = sp.Symbol("Xdot")
    c1 = c1.subs(sp.Derivative(Xf, tt), Xdot).subs(Xf, sp.Symbol("X"))
    c0 = c0.subs(Xf, sp.Symbol("X"))
    w = sp.Matrix([g * sp.exp(sp.I * phi), g])
    N = sp.simplify(w.conjugate() * w.T / z**2)
    g2 = sp.solve(sp.Eq(2 * gam * g**2 / (gam**2 + Dc**2), Gm), g**2)[0]
    N_G = sp.simplify(N.subs(g**2, g2).subs(g, sp.sqrt(g2)))
    phase = sp.conjugate(z) / z
    re = sp.simplify(sp.re(sp.expand_complex(phase)))
    im = sp.simplify(sp.im(sp.expand_complex(phase)))
    ma, mb = _moment_symbols()["a"], _moment_symbols()["b"]
    return dict(z=z, X=w[0] * ma + w[1] * mb, c0=c0, c1=c1, N=N, g2=g2, N_Gamma=N_G, phase=phase,
                re_phase=re, im_phase=im)


# --------------------------------------------------------------------------------------------
# master equation and moment equations (paper Eqs. (3)-(6), (19)-(20))
# --------------------------------------------------------------------------------------------
def _printed_heff_operator(Gt):
    """Eq. (2) with ``G = 0``, ``Delta' = 0``, ``Gamma_a = Gamma_b = Gt`` as an operator."""
    s = _S
    a, b = symbolic.modes("a b")
    J, phi, eps = s["J"], s["phi"], s["eps"]
    H = (-sp.I * Gt * Dagger(a) * a - sp.I * Gt * Dagger(b) * b + J * Dagger(a) * b + J * a * Dagger(b)
         + eps * (a + Dagger(a)) - sp.I * Gt * sp.exp(-sp.I * phi) * Dagger(a) * b
         - sp.I * Gt * sp.exp(sp.I * phi) * a * Dagger(b))
    return (a, b), H


def commutator_moments() -> dict[str, sp.Expr]:
    """Moment equations of the paper's Eq. (3) taken literally: ``drho/dt = -i[H_eff, rho]``, non-Hermitian ``H_eff``.

    Uses the printed ``H_eff`` of Eq. (2) with ``G = 0``, ``Delta'_a = Delta'_b = 0`` and
    ``Gamma_a = Gamma_b = Gammatilde`` (local losses omitted).  ``d<X>/dt = Tr(X drho/dt) = <i[H_eff, X]>``
    by cyclicity of the trace.

    Returns
    -------
    dict
        ``"a"``, ``"adag"``, ``"adag a"``: the right-hand sides of ``d<a>/dt``, ``d<a^dag>/dt``,
        ``d<a^dag a>/dt``.

    References
    ----------
    Lin et al., Eqs. (2)-(3).
    """
    (a, b), Heff = _printed_heff_operator(_S["Gammatilde"])
    return {
        "a": symbolic.heisenberg(a, Heff),
        "adag": symbolic.heisenberg(Dagger(a), Heff),
        "adag a": symbolic.heisenberg(Dagger(a) * a, Heff),
    }


def shorthand_moments() -> dict[str, sp.Expr]:
    """``d<a>/dt`` under the usual non-Hermitian shorthand ``drho/dt = -i(H_eff rho - rho H_eff^dag)``.

    With ``H_eff = H_coh - i K`` (Eq. (2), ``G = 0``, ``Delta' = 0``, rate ``Gammatilde``) this is
    ``-i[H_coh, rho] - {K, rho}``, which does not conserve the trace.  Normalised by the trace,
    ``d<a>/dt = -i<[a, H_coh]> - <a K + K a> + 2 <a><K>``.  The cubic terms cancel for a coherent
    state; the linear part, returned here, damps ``<a>`` at ``Gammatilde`` and couples it to
    ``<b>`` through ``-Gammatilde e^{-i phi}``.

    Returns
    -------
    dict
        ``"raw"``: ``-i<a H_eff - H_eff^dag a>`` (normal ordered, in moment symbols);
        ``"linear"``: its part linear in ``<a>``, ``<b>`` plus the constant (the trace-normalised
        equation for a coherent state).

    References
    ----------
    Lin et al., Eqs. (2)-(3) and Eq. (5).
    """
    (a, b), Heff = _printed_heff_operator(_S["Gammatilde"])
    rhs = -sp.I * (a * Heff - Dagger(Heff) * a)
    rhs = normal_ordered_form(sp.expand(rhs), independent=True)
    raw = sp.expand(symbolic.expectation(rhs))
    m = _moment_symbols()
    lin = sum(raw.coeff(m[k]) * m[k] for k in ("a", "b")) + raw.subs({sym: 0 for sym in raw.free_symbols
                                                                         if str(sym).startswith("<")})
    return {"raw": raw, "linear": sp.expand(lin)}


def anti_hermitian_part() -> tuple[sp.Expr, sp.Expr]:
    """``K = (H_eff - H_eff^dag)/(-2i)`` of Eq. (2) (``g_a = g_b``) and ``Gammatilde L^dag L``, both normal ordered.

    With ``L = a + e^{-i phi} b`` the two are equal: the non-Hermitian part of Eq. (2) is
    ``-i Gammatilde L^dag L``, the no-jump part of the Lindblad channel ``2 Gammatilde D[L]``.

    Returns
    -------
    (sympy.Expr, sympy.Expr)
        ``K`` and ``Gammatilde L^dag L``, normal-ordered and expanded.

    References
    ----------
    Lin et al., Eq. (2).
    """
    s = _S
    a, b = symbolic.modes("a b")
    Gt, phi = s["Gammatilde"], s["phi"]
    (a, b), Heff = _printed_heff_operator(Gt)
    K = sp.expand((Heff - Dagger(Heff)) / (-2 * sp.I))
    L = a + sp.exp(-sp.I * phi) * b
    lhs = normal_ordered_form(K, independent=True)
    rhs = normal_ordered_form(sp.expand(Gt * Dagger(L) * L), independent=True)
    return sp.expand(lhs), sp.expand(rhs)


def _effective_operators():
    s = _S
    a, b = symbolic.modes("a b")
    Jm = s["J"] - s["G"] * sp.exp(-sp.I * s["phi"])
    Jp = s["J"] - s["G"] * sp.exp(sp.I * s["phi"])
    H = (s["Dpa"] * Dagger(a) * a + s["Dpb"] * Dagger(b) * b + Jm * Dagger(a) * b + Jp * a * Dagger(b)
         + s["eps"] * (a + Dagger(a)))
    return (a, b), H, Jm, Jp


def lindblad_moments(rate_factor: sp.Expr = 1) -> dict[str, sp.Expr]:
    """Moment equations of ``-i[H_coh, rho] + f Gamma D[a + e^{-i phi} b] + kappa_a D[a] + kappa_b D[b]``.

    ``H_coh = Delta'_a a^dag a + Delta'_b b^dag b + J_- a^dag b + J_+ a b^dag + eps (a + a^dag)`` with
    ``J_pm = J - G e^{pm i phi}`` (the Hermitian part of Eq. (2)).

    Parameters
    ----------
    rate_factor : sympy expression
        ``f`` (default 1, which reproduces Eqs. (5)-(6)).

    Returns
    -------
    dict
        Right-hand sides for ``"a"``, ``"b"``, ``"adag a"``, ``"bdag b"``, ``"adag b"``.

    References
    ----------
    Lin et al., Eqs. (5)-(6), (19)-(20).
    """
    return dict(_lindblad_moments(sp.sympify(rate_factor)))


@lru_cache(maxsize=8)
def _lindblad_moments(rate_factor):
    # cached: several derivations of the chapter start from the same moments (sympy expressions are
    # immutable; the public function hands out a fresh dict)
    s = _S
    (a, b), H, _, _ = _effective_operators()
    ch = [(rate_factor * s["Gamma"], a + sp.exp(-sp.I * s["phi"]) * b), (s["kappa_a"], a), (s["kappa_b"], b)]
    ops = {"a": a, "b": b, "adag a": Dagger(a) * a, "bdag b": Dagger(b) * b, "adag b": Dagger(a) * b}
    return {k: symbolic.heisenberg(X, H, ch) for k, X in ops.items()}


def _Re(z, zc):
    """``Re{z}`` with the conjugate supplied explicitly (moment symbols are not conjugated by sympy)."""
    return (z + zc) / 2


def paper_eq5_eq6(sign_fix: bool = False) -> dict[str, sp.Expr]:
    """Right-hand sides of Lin et al.'s Eqs. (5)-(6) as printed, in the moment symbols of :mod:`nrqb.engine.symbolic`.

    Parameters
    ----------
    sign_fix : bool
        If True, the first line of Eq. (6) is taken with ``+2 Re{...}`` instead of the printed
        ``-2 Re{...}``.

    Returns
    -------
    dict
        Same keys as :func:`lindblad_moments`.

    References
    ----------
    Lin et al., Eqs. (5)-(6).
    """
    s = _S
    m = _moment_symbols()
    La, Lb = s["Gamma"] + s["kappa_a"], s["Gamma"] + s["kappa_b"]
    Gm, phi, eps = s["Gamma"], s["phi"], s["eps"]
    Jm = s["J"] - s["G"] * sp.exp(-sp.I * phi)
    Jp = s["J"] - s["G"] * sp.exp(sp.I * phi)
    x1 = -sp.I * (Jm - sp.I * Gm / 2 * sp.exp(-sp.I * phi))
    x2 = sp.I * (Jm + sp.I * Gm / 2 * sp.exp(-sp.I * phi))
    sgn = 1 if sign_fix else -1
    return {
        "a": (-sp.I * s["Dpa"] - La / 2) * m["a"] - sp.I * (Jm - sp.I * Gm / 2 * sp.exp(-sp.I * phi)) * m["b"]
        - sp.I * eps,
        "b": (-sp.I * s["Dpb"] - Lb / 2) * m["b"] - sp.I * (Jp - sp.I * Gm / 2 * sp.exp(sp.I * phi)) * m["a"],
        "adag a": -La * m["na"] + sgn * 2 * _Re(x1 * m["ab"], sp.conjugate(x1) * m["ba"])
        - 2 * eps * (m["a"] - m["ad"]) / (2 * sp.I),
        "bdag b": -Lb * m["nb"] + 2 * _Re(x2 * m["ab"], sp.conjugate(x2) * m["ba"]),
        "adag b": (sp.I * (s["Dpa"] - s["Dpb"]) - (La + Lb) / 2) * m["ab"] + sp.I * eps * m["b"]
        - sp.I * (Jp - sp.I * Gm / 2 * sp.exp(sp.I * phi)) * m["na"]
        + sp.I * (Jp + sp.I * Gm / 2 * sp.exp(sp.I * phi)) * m["nb"],
    }


def paper_eq19_eq20() -> dict[str, sp.Expr]:
    """Right-hand sides of Appendix B, Eqs. (19)-(20) of Lin et al., as printed, with ``Gamma_a = Gamma_b = Gamma``.

    Returns
    -------
    dict
        Same keys as :func:`lindblad_moments`.

    References
    ----------
    Lin et al., Eqs. (19)-(20).
    """
    s = _S
    m = _moment_symbols()
    Gm, phi, eps = s["Gamma"], s["phi"], s["eps"]
    e, ec = sp.exp(sp.I * phi), sp.exp(-sp.I * phi)
    Jm, Jp = s["J"] - s["G"] * ec, s["J"] - s["G"] * e
    ka, kb = s["kappa_a"], s["kappa_b"]
    return {
        "a": (-sp.I * s["Dpa"] - Gm / 2 - ka / 2) * m["a"] + (-sp.I * Jm - Gm / 2 * ec) * m["b"] - sp.I * eps,
        "b": (-sp.I * s["Dpb"] - Gm / 2 - kb / 2) * m["b"] + (-sp.I * Jp - Gm / 2 * e) * m["a"],
        "adag a": -(Gm + ka) * m["na"] - sp.I * Jm * m["ab"] + sp.I * Jp * m["ba"] - Gm / 2 * e * m["ba"]
        - Gm / 2 * ec * m["ab"] - 2 * eps * (m["a"] - m["ad"]) / (2 * sp.I),
        "bdag b": -(Gm + kb) * m["nb"] + sp.I * Jm * m["ab"] - sp.I * Jp * m["ba"] - Gm / 2 * e * m["ba"]
        - Gm / 2 * ec * m["ab"],
        "adag b": (sp.I * (s["Dpa"] - s["Dpb"]) - (ka + kb + 2 * Gm) / 2) * m["ab"] + sp.I * eps * m["b"]
        + (-sp.I * Jp - Gm / 2 * e) * m["na"] + (sp.I * Jp - Gm / 2 * e) * m["nb"],
    }


# --------------------------------------------------------------------------------------------
# dynamical matrix and the nonreciprocity condition (paper Eq. (13) and below Eq. (6))
# --------------------------------------------------------------------------------------------
def dynamical_matrix() -> sp.Matrix:
    """The dynamical matrix ``M`` read off the derived moment equations (:func:`lindblad_moments`).

    ``M[i, j]`` is the coefficient of ``<a_j>`` in ``d<a_i>/dt`` (``a_0 = a``, ``a_1 = b``): nothing
    is typed by hand; compare with :func:`paper_eq13`.

    Returns
    -------
    sympy.Matrix (2, 2)

    References
    ----------
    Lin et al., Eq. (13).
    """
    return sp.Matrix(_dynamical_matrix())


@lru_cache(maxsize=1)
def _dynamical_matrix():
    # cached (immutable): eight derivations start from M; the public function hands out a mutable copy
    mom = lindblad_moments()
    m = _moment_symbols()
    return sp.ImmutableMatrix(2, 2, lambda i, j: sp.simplify(mom["ab"[i]].coeff(m["ab"[j]])))


def paper_eq13() -> sp.Matrix:
    """The dynamical matrix of Lin et al., Eq. (13), with ``A, B, C, D`` as printed below it.

    Returns
    -------
    sympy.Matrix (2, 2)

    References
    ----------
    Lin et al., Eq. (13).
    """
    s = _S
    phi, Gm = s["phi"], s["Gamma"]
    Jm = s["J"] - s["G"] * sp.exp(-sp.I * phi)
    Jp = s["J"] - s["G"] * sp.exp(sp.I * phi)
    return sp.Matrix([[-sp.I * s["Dpa"] - (Gm + s["kappa_a"]) / 2, -sp.I * Jm - Gm / 2 * sp.exp(-sp.I * phi)],
                      [-sp.I * Jp - Gm / 2 * sp.exp(sp.I * phi), -sp.I * s["Dpb"] - (Gm + s["kappa_b"]) / 2]])


def nonreciprocal_condition() -> dict[str, sp.Expr]:
    """Derive the nonreciprocity condition from the backflow entry ``M_ab`` of the derived moments.

    ``M_ab`` (coefficient of ``<b>`` in ``d<a>/dt``, :func:`dynamical_matrix`) is set to zero and
    solved for a complex ``J``; ``J_- = J - G e^{-i phi}`` then follows, and the real coupling at
    ``G = 0`` needs ``phi = pi/2``.

    Returns
    -------
    dict
        ``M_ab``, ``J`` (the complex solution), ``J_minus`` (``J - G e^{-i phi}`` at it), ``phi_real``
        (the phase that makes ``J`` real at ``G = 0``, in ``(0, pi)``), ``J_real`` (``J`` there) and
        ``M_ba`` (the forward entry at the solution).

    References
    ----------
    Lin et al., the condition ``J_- = i (Gamma/2) e^{-i phi}`` below Eq. (6).
    """
    s = _S
    M = dynamical_matrix()
    Jc = sp.Symbol("J_c")  # complex while solving
    Mab = M[0, 1].subs(s["J"], Jc)
    Jsol = sp.solve(sp.Eq(Mab, 0), Jc)[0]
    Jminus = sp.simplify(Jsol - s["G"] * sp.exp(-sp.I * s["phi"]))
    J0 = sp.expand_complex(Jsol.subs(s["G"], 0))
    phis = [p for p in sp.solve(sp.Eq(sp.im(J0), 0), s["phi"]) if 0 < p < sp.pi]
    phi_r = phis[0]
    J_real = sp.simplify(J0.subs(s["phi"], phi_r))
    # for a real J, J_+ = J - G e^{i phi} is the conjugate of J_- = J - G e^{-i phi}
    M_ba = sp.simplify(M[1, 0].subs(s["J"], sp.conjugate(Jminus) + s["G"] * sp.exp(sp.I * s["phi"])))
    return dict(M_ab=M[0, 1], J=Jsol, J_minus=Jminus, phi_real=phi_r, J_real=J_real, M_ba=M_ba)


def nonreciprocal_moments() -> dict[str, dict[str, sp.Expr]]:
    """The second-moment equations at the nonreciprocal point, as coefficient tables.

    :func:`lindblad_moments` at ``G = 0``, ``phi = pi/2``, ``J = Gamma/2`` (the solution of
    :func:`nonreciprocal_condition`), general ``Delta'_a``, ``Delta'_b``, ``kappa_a``, ``kappa_b``:
    for each of ``d<a^dag a>/dt``, ``d<b^dag b>/dt``, ``d<a^dag b>/dt`` the coefficient of each of
    ``<a^dag a>``, ``<b^dag b>``, ``<a^dag b>``, ``<b^dag a>``.  The paper's sentence after Eq. (6)
    says ``<a^dag a>`` does not depend on the coherences, ``<b^dag b>`` does, and ``<a^dag a>``
    drives ``<b^dag b>`` only through them.

    Returns
    -------
    dict
        ``{equation: {moment: coefficient}}`` with equations ``"adag a"``, ``"bdag b"``, ``"adag b"``
        and moments ``"na"``, ``"nb"``, ``"ab"``, ``"ba"``.

    References
    ----------
    Lin et al., the paragraph after Eq. (6); Eqs. (6), (20).
    """
    s = _S
    ours = lindblad_moments()
    m = _moment_symbols()
    sub = {s["G"]: 0, s["phi"]: sp.pi / 2, s["J"]: s["Gamma"] / 2}
    out = {}
    for k in ("adag a", "bdag b", "adag b"):
        e = sp.expand(ours[k].subs(sub))
        out[k] = {name: sp.simplify(e.coeff(m[name])) for name in ("na", "nb", "ab", "ba")}
    return out


# --------------------------------------------------------------------------------------------
# closed forms (paper Eqs. (7)-(10), (21)-(24))
# --------------------------------------------------------------------------------------------
def closed_forms() -> dict[str, sp.Expr]:
    """Solve the nonreciprocal Eq. (5) from the vacuum (Lin et al., Eqs. (21)-(22)).

    ``<a>`` with a general ``Delta'_a``; ``<b>`` at ``Delta'_a = Delta'_b = 0``, for
    ``Lambda_a != Lambda_b`` and at ``Lambda_a = Lambda_b`` (the Jordan block).

    Returns
    -------
    dict
        ``alpha_detuned`` (``<a>`` at ``Delta'_a``), ``alpha`` (at ``Delta'_a = 0``), ``beta``,
        ``beta_equal`` (``Lambda_b = Lambda_a``) and ``C`` (the forward entry ``-Gamma e^{i phi}``).

    References
    ----------
    Lin et al., Eqs. (5), (21), (22).
    """
    s = _S
    t, La, Lb, Gm, eps, phi, d = s["t"], s["Lambda_a"], s["Lambda_b"], s["Gamma"], s["eps"], s["phi"], s["Dpa"]
    tau, u = sp.Symbol("tau", nonnegative=True), sp.Symbol("u", nonnegative=True)
    za, zb = sp.Symbol("z_a", positive=True), sp.Symbol("z_b", positive=True)   # decay rates of <a>, <b>
    C = -Gm * sp.exp(sp.I * phi)  # M_ba at the nonreciprocal point (nonreciprocal_condition()["M_ba"])
    # <a>(tau) = int_0^tau e^{-z_a (tau - u)} (-i eps) du, then z_a = Lambda_a/2 + i Delta'_a
    alpha_tau = sp.integrate(sp.exp(-za * (tau - u)) * (-sp.I * eps), (u, 0, tau))
    alpha_det = alpha_tau.subs({tau: t, za: La / 2 + sp.I * d})
    alpha = alpha_tau.subs({tau: t, za: La / 2})
    # <b>(t) = int_0^t e^{-z_b (t - tau)} C <a>(tau) dtau at Delta' = 0
    beta = sp.integrate(sp.exp(-zb * (t - tau)) * C * alpha_tau, (tau, 0, t), conds="none")
    beta = sp.simplify(beta.subs({za: La / 2, zb: Lb / 2}))
    beta_eq = sp.integrate(sp.exp(-za * (t - tau)) * C * alpha_tau, (tau, 0, t)).subs(za, La / 2)
    return dict(alpha_detuned=alpha_det, alpha=alpha, beta=beta, beta_equal=sp.expand(beta_eq), C=C)


def paper_eq8_eq9() -> dict[str, sp.Expr]:
    """Eqs. (7)-(10) and (22) of Lin et al. as printed, with ``A_1 .. A_4``.

    Returns
    -------
    dict
        ``na`` (Eq. (7), ``Lambda = Lambda_a``), ``na_detuned`` (the unnumbered equation after
        Eq. (22)), ``nb`` (Eq. (8)), ``nb_terms`` (the five terms in its bracket, in printed order),
        ``ab`` (Eq. (9)), ``beta`` (Eq. (22)), ``A`` (A_1..A_4),
        ``EA_inf`` and ``EB_inf`` (Eq. (10), ``omega = 1``).

    References
    ----------
    Lin et al., Eqs. (7)-(10), (22)-(24).
    """
    s = _S
    t, La, Lb, Gm, eps, phi, d = s["t"], s["Lambda_a"], s["Lambda_b"], s["Gamma"], s["eps"], s["phi"], s["Dpa"]
    A1 = 1 / (La + Lb) + La / (Lb * (La + Lb))
    A2 = -2 / Lb + La / (Lb * (La - Lb))
    A3 = -1 / (La - Lb)
    A4 = -La / (Lb * (La - Lb))
    e = sp.exp
    na = 4 * eps**2 / La**2 * (1 - e(-La * t / 2)) ** 2
    na_det = eps**2 / (d**2 + (La / 2) ** 2) * (1 + e(-La * t) - 2 * e(-La * t / 2) * sp.cos(d * t))
    nb_terms = [A1 / Lb * (1 - e(-Lb * t)), A2 / (Lb - La / 2) * (e(-La * t / 2) - e(-Lb * t)),
                A3 / (Lb - La) * (e(-La * t) - e(-Lb * t)), 2 * A4 / Lb * (e(-Lb * t / 2) - e(-Lb * t)),
                -2 * (A1 + A2 + A3 + A4) / (Lb - La) * (e(-(La + Lb) * t / 2) - e(-Lb * t))]
    nb = 16 * eps**2 * Gm**2 / La**2 * sp.Add(*nb_terms)
    eab = e(-(La + Lb) * t / 2)
    ab = -8 * eps**2 * Gm * e(sp.I * phi) / La**2 * (
        A1 * (1 - eab) + A2 * (e(-La * t / 2) - eab) + A3 * (e(-La * t) - eab) + A4 * (e(-Lb * t / 2) - eab))
    beta = 4 * sp.I * eps * Gm * e(sp.I * phi) / La * ((1 - e(-Lb * t / 2)) / Lb
                                                      + (e(-La * t / 2) - e(-Lb * t / 2)) / (La - Lb))
    EA_inf = 4 * eps**2 / La**2
    EB_inf = 16 * eps**2 * Gm**2 / (La**2 * Lb * (La + Lb)) + 16 * eps**2 * Gm**2 / (La * Lb**2 * (La + Lb))
    return dict(na=na, na_detuned=na_det, nb=nb, nb_terms=nb_terms, ab=ab, beta=beta, A=(A1, A2, A3, A4),
                EA_inf=EA_inf, EB_inf=EB_inf)


def paper_eq21() -> sp.Expr:
    """The second line of Lin et al.'s Eq. (21), ``<a>(t)`` at a general ``Delta'_a``, as printed.

    ``eps (Delta'_a - i Lambda_a/2) / (Delta'_a^2 + Lambda_a^2/4) (1 - e^{-Lambda_a t/2} e^{-i Delta'_a t})``.

    Returns
    -------
    sympy.Expr

    References
    ----------
    Lin et al., Eq. (21).
    """
    s = _S
    t, La, eps, d = s["t"], s["Lambda_a"], s["eps"], s["Dpa"]
    return eps * (d - sp.I * La / 2) / (d**2 + (La / 2) ** 2) * (1 - sp.exp(-La * t / 2) * sp.exp(-sp.I * d * t))


def A_coefficients_simplified() -> dict[str, tuple]:
    """The coefficients ``A_1 .. A_4`` of Lin et al.'s Eq. (8), as printed and in simpler forms.

    ``A_1 = 1/Lambda_b``, ``A_2 = 1/(Lambda_a - Lambda_b) - 1/Lambda_b``, ``A_3 = -1/(Lambda_a - Lambda_b)``,
    ``A_4 = -1/Lambda_b - 1/(Lambda_a - Lambda_b)`` (transcribed here, to be compared with the printed
    ones), and the residues ``lim (Lambda_a - Lambda_b) A_j`` at ``Lambda_a -> Lambda_b``.

    Returns
    -------
    dict
        ``printed`` (A_1..A_4 from :func:`paper_eq8_eq9`), ``simple`` (the forms above) and
        ``residues`` (four limits).

    References
    ----------
    Lin et al., Eq. (8) (and Eq. (24)).
    """
    s = _S
    La, Lb = s["Lambda_a"], s["Lambda_b"]
    printed = paper_eq8_eq9()["A"]
    simple = (1 / Lb, 1 / (La - Lb) - 1 / Lb, -1 / (La - Lb), -1 / Lb - 1 / (La - Lb))
    residues = tuple(sp.limit(sp.simplify((La - Lb) * A), La, Lb) for A in printed)
    return dict(printed=printed, simple=simple, residues=residues)


# --------------------------------------------------------------------------------------------
# eigenvalues and the exceptional point (paper Eqs. (14)-(15), Sec. 4)
# --------------------------------------------------------------------------------------------
def eigenvalues() -> dict[str, sp.Expr]:
    """Eigenvalues of the derived dynamical matrix, step by step.

    ``det(M - lambda I) = lambda^2 - tr(M) lambda + det(M)``, so
    ``lambda_pm = tr/2 pm sqrt(tr^2 - 4 det)/2`` and ``tr^2 - 4 det = (A - D)^2 + 4 B C``.

    Returns
    -------
    dict
        ``M`` (:func:`dynamical_matrix`), ``lam`` (the symbol), ``charpoly`` (``det(M - lambda I)``,
        expanded), ``trace``, ``det``, ``roots`` (``(lambda_+, lambda_-)`` by the quadratic formula),
        ``centre`` (``tr/2``), ``quad_disc`` (``tr^2 - 4 det``, expanded) and ``disc``
        (``(A - D)^2 + 4 B C``).

    References
    ----------
    Lin et al., Eqs. (13)-(15).
    """
    M = dynamical_matrix()
    lam = sp.Symbol("lambda")
    cp = sp.expand((M - lam * sp.eye(2)).det())
    A, B, C, D = M
    tr, det = A + D, A * D - B * C
    qd = sp.expand(tr**2 - 4 * det)
    roots = (tr / 2 + sp.sqrt(qd) / 2, tr / 2 - sp.sqrt(qd) / 2)
    return dict(M=M, lam=lam, charpoly=cp, trace=tr, det=det, roots=roots, centre=tr / 2, quad_disc=qd,
                disc=(A - D) ** 2 + 4 * B * C)


def paper_eq14_discriminant() -> tuple[tuple[sp.Expr, sp.Expr], sp.Expr]:
    """Eigenvalues (Eq. (14)) and discriminant (Eq. (15)) of Lin et al. as printed.

    Returns
    -------
    ((lambda_+, lambda_-), discriminant)

    References
    ----------
    Lin et al., Eqs. (14)-(15).
    """
    s = _S
    phi, Gm = s["phi"], s["Gamma"]
    La, Lb = Gm + s["kappa_a"], Gm + s["kappa_b"]
    Jm = s["J"] - s["G"] * sp.exp(-sp.I * phi)
    Jp = s["J"] - s["G"] * sp.exp(sp.I * phi)
    disc = ((-sp.I * (s["Dpa"] - s["Dpb"]) - (La - Lb) / 2) ** 2
            + 4 * (-sp.I * Jm - Gm / 2 * sp.exp(-sp.I * phi)) * (-Jp - Gm / 2 * sp.exp(sp.I * phi)))
    first = sp.I * (s["Dpa"] + s["Dpb"]) / 2 + (La + Lb) / 4
    return (first + sp.sqrt(disc) / 2, first - sp.sqrt(disc) / 2), disc


def ep_couplings() -> dict[str, sp.Expr]:
    """Solve the corrected Eq. (15) for ``J`` at ``G = 0``, ``phi = pi/2``, ``Delta'_a = 0``, ``Delta'_b = Delta``.

    Returns
    -------
    dict
        ``disc`` (the discriminant in these variables), ``general`` (its two roots in ``J``, with
        ``r = kappa_b/kappa_a`` and ``kappa = kappa_a``), ``Delta0`` and ``r1`` (the roots at
        ``Delta = 0`` and at ``r = 1``), ``im_J2`` (``Im J^2``, which must vanish for a real ``J``),
        and the symbols ``Delta``, ``r``, ``kappa`` and the matrix ``M``.

    References
    ----------
    Lin et al., Eq. (15) and Sec. 4.
    """
    s = _S
    Delta, r, kappa = sp.Symbol("Delta", real=True), sp.Symbol("r", positive=True), sp.Symbol("kappa", positive=True)
    M = dynamical_matrix().subs({s["G"]: 0, s["phi"]: sp.pi / 2, s["Dpa"]: 0, s["Dpb"]: Delta,
                                 s["kappa_a"]: kappa, s["kappa_b"]: r * kappa})
    disc = sp.expand((M[0, 0] - M[1, 1]) ** 2 + 4 * M[0, 1] * M[1, 0])
    Jc = sp.Symbol("J_c")  # no realness assumption while solving (sympy would drop the imaginary part)
    roots = sp.solve(disc.subs(s["J"], Jc), Jc)
    d0 = [sp.simplify(x.subs(Delta, 0)) for x in roots]
    r1 = [sp.simplify(x.subs(r, 1)) for x in roots]
    im_J2 = sp.simplify(sp.im(sp.expand(roots[0] ** 2)))
    return dict(disc=disc, general=roots, Delta0=d0, r1=r1, im_J2=im_J2, Delta=Delta, r=r, kappa=kappa, M=M)


def ep_coupling_and_phase() -> dict[str, sp.Expr]:
    """Reach the EP of the corrected Eq. (15) with a real ``J`` and a free phase ``phi`` (``G = 0``).

    With ``Delta'_a = 0``, ``Delta'_b = Delta``: ``(A - D)^2 + 4BC`` is split into its real and
    imaginary parts (``J``, ``phi`` real); the real part fixes ``J``, the imaginary part ``cos phi``:
    ``J_EP = sqrt(Gamma^2 - Delta^2 + (kappa_b - kappa_a)^2/4)/2`` and
    ``cos phi_EP = -Delta (kappa_b - kappa_a) / (4 J_EP Gamma)``.  At ``phi = pi/2`` the imaginary part
    is ``Delta (kappa_b - kappa_a)``: the paper's two regimes.

    Returns
    -------
    dict
        ``disc`` (the discriminant), ``re``, ``im`` (its parts), ``J_EP`` (positive root of ``re = 0``),
        ``cos_phi`` (root of ``im = 0`` at ``J = J_EP``) and the symbol ``Delta``.

    References
    ----------
    Lin et al., Eqs. (13), (15) and Sec. 4 (generalised to a tunable phase).
    """
    s = _S
    Delta = sp.Symbol("Delta", real=True)
    M = dynamical_matrix().subs({s["G"]: 0, s["Dpa"]: 0, s["Dpb"]: Delta})
    disc = sp.expand((M[0, 0] - M[1, 1]) ** 2 + 4 * M[0, 1] * M[1, 0])
    dc = sp.expand_complex(disc)
    re, im = sp.simplify(sp.re(dc)), sp.simplify(sp.im(dc))
    J = s["J"]
    J_EP = [x for x in sp.solve(re, J) if sp.simplify(x).could_extract_minus_sign() is False][0]
    c = sp.Symbol("c", real=True)
    cos_phi = sp.solve(im.subs(sp.cos(s["phi"]), c).subs(J, J_EP), c)[0]
    return dict(disc=disc, re=re, im=im, J_EP=sp.simplify(J_EP), cos_phi=sp.simplify(cos_phi), Delta=Delta)


def _steady_b(M, eps):
    """Steady ``<b>`` of ``dv/dt = M v - i (eps, 0)``."""
    v = M.LUsolve(sp.Matrix([sp.I * eps, 0]))
    return v[1]


def fig4_energies() -> dict[str, sp.Expr]:
    """Closed forms of Fig. 4(b): ``E^nor(Delta)`` and ``E^EP(Delta)`` at ``r = 1`` (beyond the paper).

    From the derived :func:`dynamical_matrix` at ``G = 0``, ``phi = pi/2``, ``Delta'_a = 0``,
    ``Delta'_b = Delta``, ``kappa_a = kappa_b = kappa``: the steady ``|<b>|^2`` with ``J = Gamma/2``
    and with ``J = J_EP = sqrt(Gamma^2 - Delta^2)/2`` (:func:`ep_couplings`).

    Returns
    -------
    dict
        ``E_nor``, ``E_EP`` (in ``Gamma, kappa, epsilon, Delta``), ``J_EP`` and ``Delta``, ``kappa``.

    References
    ----------
    Lin et al., Eq. (13) at ``d/dt = 0``, Eq. (15), Fig. 4(b).
    """
    s = _S
    Delta, kappa = sp.Symbol("Delta", real=True), sp.Symbol("kappa", positive=True)
    M = dynamical_matrix().subs({s["G"]: 0, s["phi"]: sp.pi / 2, s["Dpa"]: 0, s["Dpb"]: Delta,
                                 s["kappa_a"]: kappa, s["kappa_b"]: kappa})
    w = sp.Symbol("w", positive=True)  # sqrt(Gamma^2 - Delta^2), real for |Delta| < Gamma
    J_EP = sp.sqrt(s["Gamma"] ** 2 - Delta**2) / 2
    out = {}
    for name, J in (("E_nor", s["Gamma"] / 2), ("E_EP", w / 2)):
        # cancel, not simplify: |b|^2 is a rational function and factor() gives its canonical form either way
        b = sp.cancel(_steady_b(M.subs(s["J"], J), s["eps"]))
        E = sp.factor(sp.expand(b * sp.conjugate(b)))
        num_, den = sp.fraction(E.subs(w, 2 * J_EP))
        out[name] = sp.factor(num_) / sp.factor(sp.expand(den))
    return dict(**out, J_EP=J_EP, Delta=Delta, kappa=kappa)


def best_coupling_resonant() -> dict[str, sp.Expr]:
    """The coupling ``J`` that maximises the steady battery energy at ``Delta' = 0``, ``phi = pi/2`` (beyond the paper).

    From the derived :func:`dynamical_matrix` (``G = 0``): ``E_B(J) = eps^2 |C|^2 / |AD - BC|^2`` with
    ``|C| = J + Gamma/2`` and ``AD - BC = Lambda_a Lambda_b/4 + J^2 - Gamma^2/4``; ``dE_B/dJ = 0``
    is a quadratic with one root that is a maximum.

    Returns
    -------
    dict
        ``E`` (``E_B(J)``), ``dE`` (the numerator of ``dE_B/dJ``, factored), ``J_star``, ``E_star``,
        and ``J_star_equal``, ``E_star_equal`` at ``kappa_a = kappa_b`` (``kappa_b`` replaced by ``kappa_a``).

    References
    ----------
    Lin et al., Eq. (13) at ``d/dt = 0``, Sec. 4.
    """
    s = _S
    M = dynamical_matrix().subs({s["G"]: 0, s["phi"]: sp.pi / 2, s["Dpa"]: 0, s["Dpb"]: 0})
    b = sp.cancel(_steady_b(M, s["eps"]))            # rational: factor() below gives the canonical form
    E = sp.factor(sp.expand(b * sp.conjugate(b)))
    num = sp.factor(sp.numer(sp.together(sp.diff(E, s["J"]))))
    roots = sp.solve(num, s["J"])
    J = s["J"]
    # the maximum: the root where E is largest among the stationary points that are not zeros of E
    cands = [x for x in roots if sp.simplify(x + s["Gamma"] / 2) != 0]
    vals = {x: E.subs(J, x) for x in cands}
    test = {s["Gamma"]: sp.Rational(4, 100), s["kappa_a"]: sp.Rational(3, 1000), s["kappa_b"]: sp.Rational(7, 1000),
            s["eps"]: sp.Rational(1, 10)}
    J_star = max(cands, key=lambda x: float(vals[x].subs(test)))
    E_star = sp.factor(sp.simplify(vals[J_star]))
    eq = {s["kappa_b"]: s["kappa_a"]}
    return dict(E=E, dE=num, J_star=sp.simplify(J_star), E_star=E_star,
                J_star_equal=sp.simplify(J_star.subs(eq)), E_star_equal=sp.simplify(E_star.subs(eq)))


def resonant_power_peak() -> dict[str, sp.Expr]:
    """The shape of the resonant charging curve at ``Lambda_a = Lambda_b = Lambda`` (Exercise 3 of the chapter).

    With ``s = Lambda t / 2``, ``<b> ∝ f = 1 - e^{-s} - s e^{-s}`` (the Jordan block), ``df/ds = s e^{-s}``
    and ``P = dE_B/dt ∝ f df/ds``; the peak of ``P`` solves ``d(f df/ds)/ds = 0``, an equation in
    ``s`` alone (so ``Lambda t/2`` at the peak is a universal number).

    Returns
    -------
    dict
        ``s`` (the symbol), ``f``, ``fprime`` (``df/ds``), ``power`` (``f df/ds``) and ``condition``
        (``d(f df/ds)/ds``), and ``f_t``, ``fprime_t``: the bracket of ``<b>`` in ``t``
        (``(2/Lambda)(1 - e^{-Lambda t/2}) - t e^{-Lambda t/2}``) and its ``t``-derivative.

    References
    ----------
    Lin et al., Eqs. (8), (12), (22) at ``kappa_a = kappa_b``.
    """
    x = sp.Symbol("s", nonnegative=True)
    f = 1 - sp.exp(-x) - x * sp.exp(-x)
    fp = sp.simplify(sp.diff(f, x))
    pw = f * fp
    cond = sp.simplify(sp.diff(pw, x))
    L, t = sp.Symbol("Lambda", positive=True), _S["t"]
    f_t = 2 / L * (1 - sp.exp(-L * t / 2)) - t * sp.exp(-L * t / 2)
    return dict(s=x, f=f, fprime=fp, power=pw, condition=cond, f_t=f_t, fprime_t=sp.simplify(sp.diff(f_t, t)),
                Lambda=L)


# --------------------------------------------------------------------------------------------
# display
# --------------------------------------------------------------------------------------------
def _names(expr) -> dict:
    out = {}
    for sym in getattr(expr, "free_symbols", ()):
        n = str(sym)
        if n.startswith("<") and n.endswith(">"):
            out[sym] = r"\langle " + n[1:-1].replace("^dag", r"^\dagger") + r"\rangle"
        elif n in ("Delta'_a", "Delta'_b"):
            out[sym] = r"{\Delta'_" + n[-1] + "}"  # braced: a power of it is not a double exponent
        elif n == "epsilon":
            out[sym] = r"\varepsilon"
    return out


def tex(expr: sp.Basic) -> str:
    """LaTeX of a sympy expression or matrix with the book's names (``<a^dag b>`` as ``\\langle a^\\dagger b\\rangle``).

    Parameters
    ----------
    expr : sympy expression or matrix

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``expr`` is not a sympy object.
    """
    if not isinstance(expr, (sp.Basic, sp.MatrixBase)):
        raise ValueError(f"expr must be a sympy expression or matrix, got {type(expr).__name__}")
    return sp.latex(expr, symbol_names=_names(expr))


def latex_equation(lhs: str, rhs: sp.Expr, *, per_line: int = 3, collect: list | None = None) -> str:
    """LaTeX for ``lhs = rhs`` with the terms of ``rhs`` broken over lines (``aligned``), for display.

    Parameters
    ----------
    lhs : str
        LaTeX of the left-hand side.
    rhs : sympy.Expr
        The right-hand side; its terms (after collecting in ``collect``) are written
        ``per_line`` to a line so that no displayed equation overflows a page.
    per_line : int
        Terms per line (>= 1).
    collect : list of sympy symbols, optional
        Collect ``rhs`` in these symbols first (e.g. the moment symbols).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``per_line`` is not a positive integer or ``lhs`` is not a string.
    """
    if isinstance(per_line, bool) or not isinstance(per_line, int) or per_line < 1:
        raise ValueError(f"per_line must be a positive integer, got {per_line!r}")
    if not isinstance(lhs, str):
        raise ValueError(f"lhs must be a LaTeX string, got {lhs!r}")
    expr = sp.collect(sp.expand(rhs), collect) if collect else rhs
    terms = list(sp.Add.make_args(expr)) if isinstance(expr, sp.Add) else [expr]
    chunks = []
    for i in range(0, len(terms), per_line):
        part = " + ".join(tex(x) for x in terms[i:i + per_line]).replace("+ -", "- ")
        chunks.append(part)
    body = r" \\ &\quad + ".join(chunks).replace("+ -", "- ")
    return r"\begin{aligned}" + lhs + " &= " + body + r"\end{aligned}"
