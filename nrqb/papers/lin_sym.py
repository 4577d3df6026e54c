"""sympy derivations for the chapter on Lin et al. (:mod:`nrqb.papers.lin`).

Every function returns sympy objects; the chapter displays them and compares them with the
paper's printed equations through ``sympy.simplify(ours - paper) == 0``.

Symbols (all real; rates positive): ``Delta_a, Delta_b, Delta_c, g_a, g_b, gamma`` (= gamma_m/2),
``J, phi, G, Gamma, kappa_a, kappa_b, eps``.
"""

from __future__ import annotations

import sympy as sp
from sympy.physics.quantum import Dagger

from ..engine import symbolic

__all__ = [
    "SYM",
    "projection_elimination",
    "paper_eq18",
    "langevin_elimination",
    "commutator_moments",
    "lindblad_moments",
    "paper_eq5_eq6",
    "anti_hermitian_part",
    "nonreciprocal_condition",
    "closed_forms",
    "paper_eq8_eq9",
    "dynamical_matrix",
    "paper_eq14_discriminant",
    "ep_couplings",
]

_r = dict(real=True)
_p = dict(positive=True)
SYM = dict(
    Delta_a=sp.Symbol("Delta_a", **_r), Delta_b=sp.Symbol("Delta_b", **_r), Delta_c=sp.Symbol("Delta_c", **_r),
    g_a=sp.Symbol("g_a", **_p), g_b=sp.Symbol("g_b", **_p), gamma=sp.Symbol("gamma", **_p),
    J=sp.Symbol("J", **_r), phi=sp.Symbol("phi", **_r), G=sp.Symbol("G", **_r),
    Gamma=sp.Symbol("Gamma", **_p), kappa_a=sp.Symbol("kappa_a", **_p), kappa_b=sp.Symbol("kappa_b", **_p),
    eps=sp.Symbol("epsilon", **_r), Dpa=sp.Symbol("Delta'_a", **_r), Dpb=sp.Symbol("Delta'_b", **_r),
    Lambda_a=sp.Symbol("Lambda_a", **_p), Lambda_b=sp.Symbol("Lambda_b", **_p), t=sp.Symbol("t", nonnegative=True),
)
#: the paper's symbols as functions of the bare parameters (below Eq. (2), as printed)
_S = SYM


def _printed_defs():
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


def projection_elimination() -> sp.Matrix:
    """Projection-operator (Feshbach) elimination of ``c`` in the one-quantum sector (Lin Eqs. (17)-(18)).

    The single-excitation matrix of Eq. (1) (coefficients ``h_ij`` of ``a_i^dag a_j``, basis
    ``(a, b, c)``, with the non-Hermitian ``Delta_c - i gamma``) is split into ``P = {a, b}`` and
    ``Q = {c}``; ``H_eff = PHP + PHQ (E - QHQ)^{-1} QHP`` at ``E -> 0`` (the paper's ``E << QHQ``).

    Returns
    -------
    sympy.Matrix (2, 2)
        ``h_eff[i, j]``, coefficient of ``a_i^dag a_j`` (the drive term is unchanged).

    References
    ----------
    Lin et al., Eqs. (16)-(18).
    """
    s = _S
    h = sp.Matrix([
        [s["Delta_a"], s["J"], s["g_a"] * sp.exp(-sp.I * s["phi"])],
        [s["J"], s["Delta_b"], s["g_b"]],
        [s["g_a"] * sp.exp(sp.I * s["phi"]), s["g_b"], s["Delta_c"] - sp.I * s["gamma"]],
    ])
    E = sp.Symbol("E")
    heff = h[:2, :2] + h[:2, 2:] * (E - h[2, 2]) ** -1 * h[2:, :2]
    return heff.subs(E, 0)


def paper_eq18() -> sp.Matrix:
    """The effective Hamiltonian of Lin et al., Eq. (18), as printed, in the form of :func:`projection_elimination`.

    Returns
    -------
    sympy.Matrix (2, 2)

    References
    ----------
    Lin et al., Eq. (18) (= Eq. (2)).
    """
    d = _printed_defs()
    s = _S
    return sp.Matrix([
        [d["Dpa"] - sp.I * d["Gamma_a"], s["J"] - (d["G"] + sp.I * d["Gamma"]) * sp.exp(-sp.I * s["phi"])],
        [s["J"] - (d["G"] + sp.I * d["Gamma"]) * sp.exp(sp.I * s["phi"]), d["Dpb"] - sp.I * d["Gamma_b"]],
    ])


def langevin_elimination() -> sp.Matrix:
    """Drift matrix of ``(a, b)`` after eliminating ``c`` from the *Lindblad* three-mode model.

    The moment equations of Eq. (1) written as ``-i[H, rho] + 2 gamma D[c] rho`` (``gamma_m = 2 gamma``)
    are derived with :func:`nrqb.engine.symbolic.drift_matrix_from_master_equation`; ``d<c>/dt = 0`` is
    solved for ``<c>`` and substituted.  Local losses are omitted (they add ``-kappa_j/2``).

    Returns
    -------
    sympy.Matrix (2, 2)
        The drift ``A`` of ``d(<a>, <b>)/dt = A (<a>, <b>) - i (eps, 0)``.

    References
    ----------
    Lin et al., Eq. (1); Gardiner and Zoller, *Quantum Noise*, adiabatic elimination.
    """
    s = _S
    a, b, c = symbolic.modes("a b c")
    e = sp.exp(sp.I * s["phi"])
    H = (s["Delta_a"] * Dagger(a) * a + s["Delta_b"] * Dagger(b) * b + s["Delta_c"] * Dagger(c) * c
         + s["g_a"] * e * a * Dagger(c) + s["g_a"] * sp.conjugate(e) * Dagger(a) * c
         + s["g_b"] * (b * Dagger(c) + Dagger(b) * c) + s["J"] * (a * Dagger(b) + Dagger(a) * b))
    A3, _ = symbolic.drift_matrix_from_master_equation([a, b, c], H, [(2 * s["gamma"], c)])
    # <c> = -(A3[2,0] <a> + A3[2,1] <b>) / A3[2,2]
    A2 = sp.zeros(2, 2)
    for i in range(2):
        for j in range(2):
            A2[i, j] = sp.simplify(A3[i, j] - A3[i, 2] * A3[2, j] / A3[2, 2])
    return A2


def commutator_moments() -> dict[str, sp.Expr]:
    """Moment equations from the paper's Eq. (3) taken literally: ``drho/dt = -i[H_eff, rho]`` with non-Hermitian ``H_eff``.

    Uses the printed ``H_eff`` of Eq. (2) with ``G = 0`` and ``Delta'_a = Delta'_b = 0`` (local
    losses omitted).  ``d<X>/dt = Tr(X drho/dt) = <i[H_eff, X]>`` by cyclicity.

    Returns
    -------
    dict
        ``"a"``, ``"adag"``, ``"adag a"``: the right-hand sides of ``d<a>/dt``, ``d<a^dag>/dt``,
        ``d<a^dag a>/dt`` (with symbols ``Gamma`` for ``Gamma_a = Gamma_b = Gamma``).

    References
    ----------
    Lin et al., Eqs. (2)-(3).
    """
    s = _S
    a, b = symbolic.modes("a b")
    Gm, J, phi, eps = s["Gamma"], s["J"], s["phi"], s["eps"]
    Heff = (-sp.I * Gm * Dagger(a) * a - sp.I * Gm * Dagger(b) * b + J * Dagger(a) * b + J * a * Dagger(b)
            + eps * (a + Dagger(a)) - sp.I * Gm * sp.exp(-sp.I * phi) * Dagger(a) * b
            - sp.I * Gm * sp.exp(sp.I * phi) * a * Dagger(b))
    return {
        "a": symbolic.heisenberg(a, Heff),
        "adag": symbolic.heisenberg(Dagger(a), Heff),
        "adag a": symbolic.heisenberg(Dagger(a) * a, Heff),
    }


def anti_hermitian_part() -> tuple[sp.Expr, sp.Expr]:
    """``(H_eff - H_eff^dag)/(-2i)`` of Eq. (2) (``g_a = g_b``, so ``Gamma_a = Gamma_b = Gamma``) and ``Gamma L^dag L``.

    With ``L = a + e^{-i phi} b`` the two are equal: the non-Hermitian part of Eq. (2) is
    ``-i Gamma L^dag L``, the no-jump part of the Lindblad channel ``2 Gamma D[L]``.

    Returns
    -------
    (sympy.Expr, sympy.Expr)
        Both sides, normal-ordered and expanded.

    References
    ----------
    Lin et al., Eq. (2).
    """
    s = _S
    a, b = symbolic.modes("a b")
    Gm, phi = s["Gamma"], s["phi"]
    K = (Gm * Dagger(a) * a + Gm * Dagger(b) * b + Gm * sp.exp(-sp.I * phi) * Dagger(a) * b
         + Gm * sp.exp(sp.I * phi) * a * Dagger(b))
    L = a + sp.exp(-sp.I * phi) * b
    from sympy.physics.quantum.operatorordering import normal_ordered_form
    lhs = normal_ordered_form(sp.expand(K), independent=True)
    rhs = normal_ordered_form(sp.expand(Gm * Dagger(L) * L), independent=True)
    return sp.expand(lhs), sp.expand(rhs)


def lindblad_moments(rate_factor: sp.Expr = 1) -> dict[str, sp.Expr]:
    """Moment equations of ``-i[H_C, rho] + f Gamma D[a + e^{-i phi} b] + kappa_a D[a] + kappa_b D[b]``.

    ``H_C = Delta'_a a^dag a + Delta'_b b^dag b + J_- a^dag b + J_+ a b^dag + eps (a + a^dag)`` with
    ``J_pm = J - G e^{pm i phi}`` (Hermitian part of Eq. (2)).

    Parameters
    ----------
    rate_factor : sympy expression
        ``f``: 1 reproduces Eqs. (5)-(6); 2 is what the elimination of ``c`` gives for the printed
        ``Gamma``.

    Returns
    -------
    dict
        Right-hand sides for ``"a"``, ``"b"``, ``"adag a"``, ``"bdag b"``, ``"adag b"``.

    References
    ----------
    Lin et al., Eqs. (5)-(6), (19)-(20).
    """
    s = _S
    a, b = symbolic.modes("a b")
    Jm = s["J"] - s["G"] * sp.exp(-sp.I * s["phi"])
    Jp = s["J"] - s["G"] * sp.exp(sp.I * s["phi"])
    H = (s["Dpa"] * Dagger(a) * a + s["Dpb"] * Dagger(b) * b + Jm * Dagger(a) * b + Jp * a * Dagger(b)
         + s["eps"] * (a + Dagger(a)))
    ch = [(rate_factor * s["Gamma"], a + sp.exp(-sp.I * s["phi"]) * b), (s["kappa_a"], a), (s["kappa_b"], b)]
    ops = {"a": a, "b": b, "adag a": Dagger(a) * a, "bdag b": Dagger(b) * b, "adag b": Dagger(a) * b}
    return {k: symbolic.heisenberg(X, H, ch) for k, X in ops.items()}


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
    m = symbolic.moment
    a, b = symbolic.modes("a b")
    A_, B_ = m(a), m(b)
    nA, nB = m(Dagger(a), a), m(Dagger(b), b)
    ab, ba = m(Dagger(a), b), m(Dagger(b), a)
    Ad, Bd = m(Dagger(a)), m(Dagger(b))
    La, Lb = s["Gamma"] + s["kappa_a"], s["Gamma"] + s["kappa_b"]
    Gm, phi, eps = s["Gamma"], s["phi"], s["eps"]
    Jm = s["J"] - s["G"] * sp.exp(-sp.I * phi)
    Jp = s["J"] - s["G"] * sp.exp(sp.I * phi)

    def Re(z, zc):  # Re{z} with the conjugate supplied explicitly
        return (z + zc) / 2

    x1 = -sp.I * (Jm - sp.I * Gm / 2 * sp.exp(-sp.I * phi))
    x2 = sp.I * (Jm + sp.I * Gm / 2 * sp.exp(-sp.I * phi))
    sgn = 1 if sign_fix else -1
    return {
        "a": (-sp.I * s["Dpa"] - La / 2) * A_ - sp.I * (Jm - sp.I * Gm / 2 * sp.exp(-sp.I * phi)) * B_ - sp.I * eps,
        "b": (-sp.I * s["Dpb"] - Lb / 2) * B_ - sp.I * (Jp - sp.I * Gm / 2 * sp.exp(sp.I * phi)) * A_,
        "adag a": -La * nA + sgn * 2 * Re(x1 * ab, sp.conjugate(x1) * ba) - 2 * eps * (A_ - Ad) / (2 * sp.I),
        "bdag b": -Lb * nB + 2 * Re(x2 * ab, sp.conjugate(x2) * ba),
        "adag b": (sp.I * (s["Dpa"] - s["Dpb"]) - (La + Lb) / 2) * ab + sp.I * eps * B_
        - sp.I * (Jp - sp.I * Gm / 2 * sp.exp(sp.I * phi)) * nA + sp.I * (Jp + sp.I * Gm / 2 * sp.exp(sp.I * phi)) * nB,
    }


def nonreciprocal_condition() -> tuple[sp.Expr, sp.Expr]:
    """Solve ``M_ab = 0`` (no backflow ``b -> a``) for ``J_-`` and for a real ``J`` at ``G = 0``.

    Returns
    -------
    (sympy.Expr, sympy.Expr)
        ``J_-`` (to compare with ``i (Gamma/2) e^{-i phi}``) and the real ``J`` at ``G = 0``,
        ``phi = pi/2``.

    References
    ----------
    Lin et al., the condition below Eq. (6).
    """
    s = _S
    Jm = sp.Symbol("J_-")
    Mab = -sp.I * Jm - s["Gamma"] / 2 * sp.exp(-sp.I * s["phi"])
    sol = sp.solve(sp.Eq(Mab, 0), Jm)[0]
    J0 = sp.solve(sp.Eq(-sp.I * s["J"] - s["Gamma"] / 2 * sp.exp(-sp.I * sp.pi / 2), 0), s["J"])[0]
    return sol, J0


def closed_forms():
    """Solve the nonreciprocal Eq. (5) at ``Delta' = 0`` from the vacuum (Lin et al., Eqs. (21)-(22)).

    Returns
    -------
    dict
        ``alpha`` and ``beta`` as functions of ``t`` (``Lambda_a != Lambda_b``), ``beta_equal`` the
        solution at ``Lambda_a = Lambda_b = Lambda_a``, and the ODE right-hand sides used.

    References
    ----------
    Lin et al., Eqs. (5), (21), (22).
    """
    s = _S
    t, La, Lb, Gm, eps, phi = s["t"], s["Lambda_a"], s["Lambda_b"], s["Gamma"], s["eps"], s["phi"]
    tau = sp.Symbol("tau", nonnegative=True)
    C = -Gm * sp.exp(sp.I * phi)  # M_ba at the nonreciprocal point
    alpha_tau = sp.integrate(sp.exp(-La * (tau - sp.Symbol("u")) / 2) * (-sp.I * eps), (sp.Symbol("u"), 0, tau))
    alpha = sp.simplify(alpha_tau.subs(tau, t))
    beta = sp.integrate(sp.exp(-Lb * (t - tau) / 2) * C * alpha_tau, (tau, 0, t), conds="none")
    beta = sp.simplify(beta)
    beta_eq = sp.simplify(sp.integrate(sp.exp(-La * (t - tau) / 2) * C * alpha_tau, (tau, 0, t)))
    return dict(alpha=alpha, beta=beta, beta_equal=beta_eq, C=C)


def paper_eq8_eq9():
    """Eqs. (8), (9) and (22) of Lin et al. as printed, with ``A_1 .. A_4``.

    Returns
    -------
    dict
        ``nb`` (Eq. (8)), ``ab`` (Eq. (9)), ``beta`` (Eq. (22)), ``A`` (A_1..A_4),
        ``EB_inf`` (Eq. (10), second line).

    References
    ----------
    Lin et al., Eqs. (8)-(10), (22).
    """
    s = _S
    t, La, Lb, Gm, eps, phi = s["t"], s["Lambda_a"], s["Lambda_b"], s["Gamma"], s["eps"], s["phi"]
    A1 = 1 / (La + Lb) + La / (Lb * (La + Lb))
    A2 = -2 / Lb + La / (Lb * (La - Lb))
    A3 = -1 / (La - Lb)
    A4 = -La / (Lb * (La - Lb))
    e = sp.exp
    nb = 16 * eps**2 * Gm**2 / La**2 * (
        A1 / Lb * (1 - e(-Lb * t)) + A2 / (Lb - La / 2) * (e(-La * t / 2) - e(-Lb * t))
        + A3 / (Lb - La) * (e(-La * t) - e(-Lb * t)) + 2 * A4 / Lb * (e(-Lb * t / 2) - e(-Lb * t))
        - 2 * (A1 + A2 + A3 + A4) / (Lb - La) * (e(-(La + Lb) * t / 2) - e(-Lb * t)))
    eab = e(-(La + Lb) * t / 2)
    ab = -8 * eps**2 * Gm * e(sp.I * phi) / La**2 * (
        A1 * (1 - eab) + A2 * (e(-La * t / 2) - eab) + A3 * (e(-La * t) - eab) + A4 * (e(-Lb * t / 2) - eab))
    beta = 4 * sp.I * eps * Gm * e(sp.I * phi) / La * ((1 - e(-Lb * t / 2)) / Lb + (e(-La * t / 2) - e(-Lb * t / 2)) / (La - Lb))
    EB_inf = 16 * eps**2 * Gm**2 / (La**2 * Lb * (La + Lb)) + 16 * eps**2 * Gm**2 / (La * Lb**2 * (La + Lb))
    return dict(nb=nb, ab=ab, beta=beta, A=(A1, A2, A3, A4), EB_inf=EB_inf)


def dynamical_matrix() -> sp.Matrix:
    """The dynamical matrix ``M`` of Lin et al., Eq. (13), in the symbols of :data:`SYM`.

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


def ep_couplings():
    """Solve the corrected Eq. (15) for ``J`` at ``G = 0``, ``phi = pi/2``, ``Delta'_a = 0``, ``Delta'_b = Delta``.

    Returns
    -------
    dict
        ``general``: the two roots in ``J`` (with ``r = kappa_b/kappa_a`` and ``kappa = kappa_a``);
        ``Delta0``: positive root at ``Delta = 0``; ``r1``: positive root at ``r = 1``.

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
    # a real J needs Im(J^2) = 0, i.e. Delta * kappa * (r - 1) = 0 (regimes (i) and (ii) of Sec. 4)
    im_J2 = sp.simplify(sp.im(sp.expand(roots[0] ** 2)))
    return dict(disc=disc, general=roots, Delta0=d0, r1=r1, im_J2=im_J2, Delta=Delta, r=r, kappa=kappa, M=M)
