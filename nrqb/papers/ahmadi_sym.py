"""Symbolic derivations for Ahmadi et al., "Nonreciprocal Quantum Batteries" (sympy).

Each function derives one step of the paper from the master equation (with
:mod:`nrqb.engine.symbolic`, independent of the numerical engine) and returns sympy expressions
together with the paper's printed forms, so that the chapter can compare them with
``sympy.simplify(derived - printed) == 0``.

References
----------
B. Ahmadi, P. Mazurek, P. Horodecki, S. Barzanjeh, Phys. Rev. Lett. 132, 210402 (2024);
arXiv version with Appendices A-C.
"""

from __future__ import annotations

import sympy as sp
from sympy.physics.quantum import Dagger

from ..engine import symbolic

__all__ = [
    "symbols",
    "moment_equations",
    "nonreciprocity_condition",
    "adiabatic_elimination",
    "battery_energy_nonreciprocal",
    "battery_energy_reciprocal",
    "steady_state_ratios",
    "detuning_appendix_a",
    "optimisation_appendix_b",
    "gap_appendix_c",
]

# ------------------------------------------------------------------------------------ symbols
omega, Gamma, kappa_a, kappa_b, E, omega_L = sp.symbols("omega Gamma kappa_a kappa_b E omega_L", positive=True)
t = sp.Symbol("t", nonnegative=True)
J, p_a, p_b = sp.symbols("J p_a p_b")
Lambda_a, Lambda_b, Lam = sp.symbols("Lambda_a Lambda_b Lambda", positive=True)
C, xi, x = sp.symbols("C xi x", positive=True)
delta = sp.Symbol("delta", real=True)


def symbols() -> dict[str, sp.Symbol]:
    """The sympy symbols used by this module, by name."""
    return dict(omega=omega, Gamma=Gamma, kappa_a=kappa_a, kappa_b=kappa_b, E=E, omega_L=omega_L, t=t,
                J=J, p_a=p_a, p_b=p_b, Lambda_a=Lambda_a, Lambda_b=Lambda_b, Lambda=Lam, C=C, xi=xi,
                x=x, delta=delta)


def _conj_moment(expr: sp.Expr) -> sp.Expr:
    """Complex conjugate of an expression in moment symbols (<a^dag b>* = <b^dag a>, <a>* = <a^dag>)."""
    expr = sp.conjugate(expr)
    reps = {}
    for s in expr.atoms(sp.Symbol):
        pass
    for c in expr.atoms(sp.conjugate):
        arg = c.args[0]
        if isinstance(arg, sp.Symbol) and arg.name.startswith("<"):
            ops = arg.name[1:-1].split()
            flipped = []
            for o in reversed(ops):
                flipped.append(o[:-4] if o.endswith("^dag") else o + "^dag")
            reps[c] = sp.Symbol("<" + " ".join(flipped) + ">")
    return expr.xreplace(reps)


def _re(z):
    return (z + _conj_moment(z)) / 2


def _im(z):
    return (z - _conj_moment(z)) / (2 * sp.I)


def moment_equations() -> dict[str, dict[str, sp.Expr]]:
    """Eqs. (2)-(4) derived from the master equation, and as printed.

    The master equation is ``d rho/dt = -i[H, rho] + kappa_a L_a + kappa_b L_b + Gamma L_z``
    with ``H`` of Eq. (1) in the lab frame and ``z = p_a a + p_b b``.

    Returns
    -------
    dict
        ``{"derived": {...}, "printed": {...}, "printed_arxiv": {...}}``; each maps the
        observables ``"a", "b", "ada", "bdb", "adb"`` to the right-hand side of its equation of
        motion in moment symbols (``<a>``, ``<a^dag b>``, ...).  ``printed`` is the PRL's
        Eqs. (2)-(4) with ``mu = -p_b conj(p_a)``, ``Gamma_i = Gamma |p_i|^2``; in
        ``printed_arxiv`` only ``bdb`` differs (``mu^*`` for ``mu`` in Eq. (3)).

    References
    ----------
    Ahmadi et al., Eqs. (1)-(4).
    """
    a, b = symbolic.modes("a b")
    drive_t = sp.exp(sp.I * omega_L * t)
    H = (omega * Dagger(a) * a + omega * Dagger(b) * b + J * Dagger(a) * b + sp.conjugate(J) * Dagger(b) * a
         + E * (drive_t * a + sp.conjugate(drive_t) * Dagger(a)))
    channels = [(kappa_a, a), (kappa_b, b), (Gamma, p_a * a + p_b * b)]
    ops = {"a": a, "b": b, "ada": Dagger(a) * a, "bdb": Dagger(b) * b, "adb": Dagger(a) * b}
    derived = {k: symbolic.heisenberg(X, H, channels) for k, X in ops.items()}

    m = symbolic.moment
    A_, B_ = m(a), m(b)
    ada, bdb, adb = m(Dagger(a), a), m(Dagger(b), b), m(Dagger(a), b)
    mu = -p_b * sp.conjugate(p_a)
    La = Gamma * p_a * sp.conjugate(p_a) + kappa_a
    Lb = Gamma * p_b * sp.conjugate(p_b) + kappa_b
    Jc, muc = sp.conjugate(J), sp.conjugate(mu)
    printed = {
        "a": -(La / 2 + sp.I * omega) * A_ - sp.I * (J + sp.I * mu * Gamma / 2) * B_ - sp.I * sp.exp(-sp.I * omega_L * t) * E,
        "b": -(Lb / 2 + sp.I * omega) * B_ - sp.I * (Jc + sp.I * muc * Gamma / 2) * A_,
        "ada": -La * ada - 2 * _re(sp.I * (J + sp.I * mu * Gamma / 2) * adb) - 2 * _im(drive_t * E * A_),
        "bdb": -Lb * bdb + 2 * _re(sp.I * (J - sp.I * mu * Gamma / 2) * adb),
        "adb": (-(La + Lb) / 2 * adb - sp.I * (Jc + sp.I * muc * Gamma / 2) * ada
                + sp.I * (Jc - sp.I * muc * Gamma / 2) * bdb + sp.I * drive_t * E * B_),
    }
    printed_arxiv = dict(printed)
    printed_arxiv["bdb"] = -Lb * bdb + 2 * _re(sp.I * (J - sp.I * muc * Gamma / 2) * adb)
    return {"derived": derived, "printed": {k: sp.expand(v) for k, v in printed.items()},
            "printed_arxiv": {k: sp.expand(v) for k, v in printed_arxiv.items()}}


def nonreciprocity_condition() -> dict[str, sp.Expr]:
    """The coupling that makes the charger blind to the battery.

    Returns
    -------
    dict
        ``coefficient``: the coefficient of ``<b>`` in ``d<a>/dt``;
        ``J``: its root, ``i Gamma conj(p_a) p_b / 2 = -i mu Gamma / 2``;
        ``forward``: the coefficient of ``<a>`` in ``d<b>/dt`` at that ``J`` (``mu^* Gamma``);
        ``ada_rhs``: ``d<a^dag a>/dt`` at that ``J`` (no ``<a^dag b>`` left).

    References
    ----------
    Ahmadi et al., text above Eq. (5).
    """
    eqs = moment_equations()["derived"]
    a, b = symbolic.modes("a b")
    coeff = sp.expand(eqs["a"]).coeff(symbolic.moment(b))
    J_nr = sp.solve(sp.Eq(coeff, 0), J)[0]
    reps = {J: J_nr, sp.conjugate(J): sp.conjugate(J_nr)}
    forward = sp.simplify(sp.expand(eqs["b"].xreplace(reps)).coeff(symbolic.moment(a)))
    ada = sp.expand(eqs["ada"].xreplace(reps))
    return {"coefficient": coeff, "J": J_nr, "forward": forward, "ada_rhs": ada}


def adiabatic_elimination() -> dict[str, sp.Expr]:
    """Eliminate a strongly damped auxiliary mode ``c`` coupled as ``c^dag (g_a a + g_b b) + h.c.``.

    The three-mode drift ``A`` (from the master equation, auxiliary decay ``gamma_c``) is reduced
    to the ``(a, b)`` block by the Schur complement ``A_eff = A_ss - A_sc A_cc^{-1} A_cs``
    (setting ``dc/dt = 0``, exact to leading order in ``g / gamma_c``).  The input noise of ``c``
    enters ``a, b`` with the vector ``n = -A_sc A_cc^{-1} sqrt(gamma_c)``; its outer product is the
    diffusion of the effective channel.  Both are compared with a shared reservoir
    ``Gamma D[p_a a + p_b b]`` with ``Gamma = 4|g_a g_b|/gamma_c`` and ``p_i = g_i/sqrt|g_a g_b|``.

    Returns
    -------
    dict
        ``A3`` (3x3 drift), ``A_eff``, ``A_target`` (two-mode drift with ``Gamma L_z``),
        ``noise_eff`` (``n n^dag``), ``noise_target`` (``Gamma p p^dag``), ``Gamma`` and ``p``.

    References
    ----------
    Ahmadi et al., "By adiabatically eliminating the reservoir ..." (below Fig. 1);
    Metelmann and Clerk, PRX 5, 021025 (2015).
    """
    a, b, c = symbolic.modes("a b c")
    g_a, g_b = sp.symbols("g_a g_b", positive=True)
    phi = sp.Symbol("phi", real=True)
    gam = sp.Symbol("gamma_c", positive=True)
    gb = g_b * sp.exp(sp.I * phi)
    H = J * Dagger(a) * b + sp.conjugate(J) * Dagger(b) * a + Dagger(c) * (g_a * a + gb * b) + sp.conjugate(gb) * Dagger(b) * c + g_a * Dagger(a) * c
    A3, _ = symbolic.drift_matrix_from_master_equation([a, b, c], H, [(kappa_a, a), (kappa_b, b), (gam, c)])
    Ass, Asc, Acs, Acc = A3[:2, :2], A3[:2, 2], A3[2, :2], A3[2, 2]
    A_eff = sp.simplify(Ass - Asc * Acs / Acc)
    n = sp.simplify(-Asc / Acc * sp.sqrt(gam))
    noise_eff = sp.simplify(n * n.H)
    G_ = 4 * g_a * g_b / gam
    pa_, pb_ = g_a / sp.sqrt(g_a * g_b), gb / sp.sqrt(g_a * g_b)
    A_target, _ = symbolic.drift_matrix_from_master_equation(
        [a, b], J * Dagger(a) * b + sp.conjugate(J) * Dagger(b) * a, [(kappa_a, a), (kappa_b, b), (G_, pa_ * a + pb_ * b)])
    p = sp.Matrix([pa_, pb_])
    noise_target = sp.simplify(G_ * p.conjugate() * p.T)
    return {"A3": A3, "A_eff": A_eff, "A_target": sp.simplify(A_target), "noise_eff": noise_eff,
            "noise_target": noise_target, "Gamma": G_, "p": p, "g_a": g_a, "g_b": g_b, "phi": phi,
            "gamma_c": gam}


def _canon(z: sp.Expr) -> sp.Expr:
    """A cheap canonical form for sums of exponentials with rational coefficients (0 iff zero)."""
    return sp.cancel(sp.powsimp(sp.expand(z)))


def battery_energy_nonreciprocal() -> dict[str, sp.Expr]:
    """Eqs. (5)-(7): solve Eq. (2) at the nonreciprocal point on resonance, from the vacuum.

    In the frame rotating at ``omega_L = omega`` and with ``|mu| = 1`` the amplitudes
    ``x = (alpha, beta)`` obey the linear system ``x' = A x + f`` with
    ``A = [[-Lambda_a/2, 0], [mu^* Gamma, -Lambda_b/2]]`` and ``f = (-i E, 0)``
    (:func:`nonreciprocity_condition`).  From the vacuum its solution is
    ``x(t) = A^{-1} (e^{A t} - 1) f``; ``e^{A t}`` is the exact matrix exponential of the 2x2
    drift, computed for ``Lambda_a != Lambda_b`` and for ``Lambda_a = Lambda_b`` (a Jordan
    block, where it contains ``t e^{-Lambda t/2}``).  The state stays coherent, so
    ``E_A = |alpha|^2`` and ``E_B = |beta|^2`` (``omega = 1``).

    Returns
    -------
    dict
        ``A`` (the drift), ``residual`` and ``residual_sym`` (``x' - A x - f`` for both cases,
        zero vectors), ``x0`` (``x(0)``, zero), ``E_A`` and ``E_B`` (general), ``E_B_sym``
        (``Lambda_a = Lambda_b = Lambda``), ``eq5_prl``, ``eq5_arxiv``, ``eq5_square``
        (``P [1 - X/(Lambda_a - Lambda_b)]^2``, the factorised PRL form), ``eq6_printed``,
        ``eq7_printed``, ``q_limit`` (the limit of ``X/(Lambda_a - Lambda_b)`` as
        ``Lambda_b -> Lambda_a``) and ``E_B_limit`` (the limit of Eq. (5), from ``q_limit``).

    References
    ----------
    Ahmadi et al., Eqs. (5), (6), (7); the matrix exponential as in Van Loan (1978).
    """
    theta = sp.Symbol("theta", real=True)
    muc = sp.exp(-sp.I * theta)  # mu^* with |mu| = 1
    f = sp.Matrix([-sp.I * E, 0])

    def solve(La, Lb):
        A = sp.Matrix([[-La / 2, 0], [muc * Gamma, -Lb / 2]])
        x = (A.inv() * ((A * t).exp() - sp.eye(2)) * f).applyfunc(_canon)
        res = (x.diff(t) - A * x - f).applyfunc(_canon)
        EA = sp.powsimp(sp.expand(x[0] * sp.conjugate(x[0])))
        EB = sp.powsimp(sp.expand(x[1] * sp.conjugate(x[1])))
        return A, x, res, EA, EB

    A, x, res, EA, EB = solve(Lambda_a, Lambda_b)
    _, x_sym, res_sym, _, EB_sym = solve(Lam, Lam)
    X = Lambda_a * sp.exp(-Lambda_b * t / 2) - Lambda_b * sp.exp(-Lambda_a * t / 2)
    P = 16 * Gamma ** 2 * E ** 2 / (Lambda_a ** 2 * Lambda_b ** 2)
    eq5_prl = P * (1 + X / (Lambda_a - Lambda_b) ** 2 * (X - 2 * (Lambda_a - Lambda_b)))
    eq5_arxiv = P * (1 + X / (Lambda_a - Lambda_b) ** 2) * (X - 2 * (Lambda_a - Lambda_b))
    q = X / (Lambda_a - Lambda_b)
    eq5_square = P * (1 - q) ** 2
    e = sp.exp(-Lam * t / 2)
    eq6 = 16 * Gamma ** 2 * E ** 2 / Lam ** 4 * (1 + e * (e - 2))
    eq7 = 4 * E ** 2 * (1 - sp.exp(-Lambda_a * t / 2)) ** 2 / Lambda_a ** 2
    eps = sp.Symbol("epsilon")
    q_lim = sp.limit(q.subs(Lambda_b, Lambda_a + eps), eps, 0).subs(Lambda_a, Lam)
    lim = (16 * Gamma ** 2 * E ** 2 / Lam ** 4) * (1 - q_lim) ** 2
    return {"A": A, "residual": res, "residual_sym": res_sym, "x": x, "x_sym": x_sym.applyfunc(sp.simplify), "x0": x.subs(t, 0), "x0_sym": x_sym.subs(t, 0),
            "E_A": EA, "E_B": EB, "E_B_sym": EB_sym, "eq5_prl": eq5_prl, "eq5_arxiv": eq5_arxiv,
            "eq5_square": eq5_square, "eq6_printed": eq6, "eq7_printed": eq7, "q_limit": sp.simplify(q_lim),
            "E_B_limit": sp.simplify(lim)}


def battery_energy_reciprocal() -> dict[str, sp.Expr]:
    """Eqs. (8)-(9): the reciprocal pair (``Gamma = 0``) from the vacuum, on resonance.

    The battery amplitude is ``beta = beta_inf (1 - g)`` with
    ``g = e^{-k t/4} [cosh(D t/4) + k sinh(D t/4)/D]``, ``k = kappa_a + kappa_b`` and
    ``D^2 = (kappa_a - kappa_b)^2 - 16 |J|^2``.  The function checks that ``beta`` and the
    charger amplitude ``alpha`` it implies (from the battery's equation) solve Eq. (2) with the
    vacuum initial state, and expands ``zeta (1 - g)^2`` against Eqs. (8)-(9).

    Returns
    -------
    dict
        ``residual_a`` (the charger equation's residual, 0), ``alpha0`` (``alpha(0)``, 0),
        ``beta0`` (0), ``E_B`` (ours), ``eq8_printed``, ``difference`` (printed minus ours),
        ``sinh_sign_term`` (``-2 zeta k sinh(D t/2) e^{-k t/2}/D``, what a flipped sign of the
        ``sinh`` in ``beta(t)`` gives), ``difference_minus_sinh_term`` (0) and
        ``D`` (the symbol for Delta), ``zeta``.

    References
    ----------
    Ahmadi et al., Eqs. (8)-(9).
    """
    Jm = sp.Symbol("J_m", positive=True)  # |J|; the phase of J drops out of |beta|^2
    D = sp.Symbol("Delta", positive=True)
    k = kappa_a + kappa_b
    g = sp.exp(-k * t / 4) * (sp.cosh(D * t / 4) + k * sp.sinh(D * t / 4) / D)
    beta_inf = -4 * Jm * E / (kappa_a * kappa_b + 4 * Jm ** 2)
    beta = beta_inf * (1 - g)
    # battery equation beta' = -kappa_b beta/2 - i J alpha  ->  alpha
    alpha = (beta.diff(t) + kappa_b * beta / 2) / (-sp.I * Jm)
    res_a = alpha.diff(t) - (-kappa_a * alpha / 2 - sp.I * Jm * beta - sp.I * E)
    Dsq = (kappa_a - kappa_b) ** 2 - 16 * Jm ** 2
    res_a = sp.simplify(sp.expand(res_a.rewrite(sp.exp)).subs(Jm, sp.sqrt(((kappa_a - kappa_b) ** 2 - D ** 2) / 16)))
    Cc = 4 * Jm ** 2 / (kappa_a * kappa_b)
    zeta = 4 * E ** 2 * Cc / (kappa_a * kappa_b * (Cc + 1) ** 2)
    al9 = 2 / D * (D * sp.cosh(D * t / 4) + k * sp.sinh(D * t / 4))
    be9 = ((D ** 2 + k ** 2) * sp.cosh(D * t / 2) - 2 * k * D * sp.sinh(D * t / 2)) / (2 * D ** 2)
    eq8 = zeta * (1 - al9 * sp.exp(-k * t / 4) + (be9 - 2 * kappa_a * kappa_b * (Cc + 1) / D ** 2) * sp.exp(-k * t / 2))
    ours = zeta * (1 - g) ** 2
    diff = sp.simplify((eq8 - ours).rewrite(sp.exp).subs(Jm, sp.sqrt(((kappa_a - kappa_b) ** 2 - D ** 2) / 16)))
    expected = -2 * zeta * k * sp.sinh(D * t / 2) * sp.exp(-k * t / 2) / D
    diff_check = sp.simplify((diff - expected).rewrite(sp.exp).subs(Jm, sp.sqrt(((kappa_a - kappa_b) ** 2 - D ** 2) / 16)))
    return {"residual_a": res_a, "sinh_sign_term": expected, "difference_minus_sinh_term": diff_check, "alpha0": sp.simplify(alpha.subs(t, 0)), "beta0": sp.simplify(beta.subs(t, 0)),
            "E_B": ours, "eq8_printed": eq8, "difference": diff, "D": D, "zeta": zeta, "J_abs": Jm,
            "Dsq": Dsq}


def steady_state_ratios() -> dict[str, sp.Expr]:
    """Eqs. (10)-(12) and ``C_d`` from the steady amplitudes.

    Returns
    -------
    dict
        ``eta_AB`` (``E_B^nr/E_A^nr`` at ``t -> inf``), ``eta_BB`` (general ``Gamma``, ``J``),
        ``eq10_derived`` (with ``Gamma = 2|J|``, ``kappa_a = s xi``, ``kappa_b = s/xi``,
        ``|J| = s sqrt(C)/2``), ``eq10_printed``, ``eq11_derived`` (``Gamma_a = xi Gamma``,
        ``Gamma_b = Gamma/xi``), ``eq11_printed``, ``eq12_derived``, ``eq12_printed``;
        ``eq10_limit_C0`` and ``eq10_limit_Cinf`` (the "fourfold" limits of Eq. (10), 4 for every
        ``xi``), ``eq10_xi1_minus_1`` (Eq. (10) at ``xi = 1`` minus 1, with ``C = u^2``, factored: it has the
        factor ``(u - 1)^2`` and is otherwise positive, so ``eta >= 1``) and
        ``Cd_threshold`` (the positive root of ``C_d = 1`` with ``Lambda = Gamma + kappa``:
        ``[kappa]``, i.e. ``C_d > 1 <=> Gamma > kappa``) with its symbol ``kappa``.

    References
    ----------
    Ahmadi et al., text below Eq. (7); Eqs. (10)-(12).
    """
    Jm, s = sp.symbols("J_m s", positive=True)
    E_nr = lambda La, Lb: 16 * Gamma ** 2 * E ** 2 / (La ** 2 * Lb ** 2)  # noqa: E731
    E_A = lambda La: 4 * E ** 2 / La ** 2  # noqa: E731
    E_rec = 16 * Jm ** 2 * E ** 2 / (kappa_a * kappa_b + 4 * Jm ** 2) ** 2
    eta_AB = sp.simplify(E_nr(Lambda_a, Lambda_b) / E_A(Lambda_a))
    eta_BB = sp.simplify(E_nr(Gamma + kappa_a, Gamma + kappa_b) / E_rec)
    par = {kappa_a: s * xi, kappa_b: s / xi}
    eq10 = sp.simplify(eta_BB.subs(Gamma, 2 * Jm).subs(par).subs(Jm, s * sp.sqrt(C) / 2))
    eq10p = 4 * ((1 + C) / ((sp.sqrt(C) + xi) * (sp.sqrt(C) + 1 / xi))) ** 2
    xi_ = sp.sqrt(kappa_a / kappa_b)
    eq11 = sp.simplify(E_nr(xi_ * Gamma + kappa_a, Gamma / xi_ + kappa_b) / E_rec)
    eq11p = Gamma ** 2 * (4 * Jm ** 2 + kappa_a * kappa_b) ** 2 / (Jm ** 2 * (Gamma + sp.sqrt(kappa_a * kappa_b)) ** 4)
    eq12 = sp.simplify(eq11.subs(Gamma, 2 * Jm).subs(par).subs(Jm, s * sp.sqrt(C) / 2))
    eq12p = 4 * ((1 + C) / (sp.sqrt(C) + 1) ** 2) ** 2
    kap, u = sp.symbols("kappa u", positive=True)
    Cd_threshold = [g for g in sp.solve(sp.Eq(4 * Gamma ** 2 / (Gamma + kap) ** 2, 1), Gamma) if g.is_positive]
    return {"eq10_limit_C0": sp.limit(eq10, C, 0), "eq10_limit_Cinf": sp.limit(eq10, C, sp.oo),
            "eq10_xi1_minus_1": sp.factor(sp.simplify(eq10.subs(xi, 1).subs(C, u ** 2) - 1)),
            "Cd_threshold": Cd_threshold, "kappa": kap, "u": u,
            "eta_AB": eta_AB, "eta_BB": eta_BB, "eq10_derived": eq10, "eq10_printed": eq10p,
            "eq11_derived": eq11, "eq11_printed": eq11p, "eq12_derived": eq12, "eq12_printed": eq12p,
            "J_abs": Jm}


def detuning_appendix_a() -> dict[str, sp.Expr]:
    """Appendix A: the detuned nonreciprocal solution and the optimality of resonance.

    Returns
    -------
    dict
        ``E_B`` (``|beta|^2`` with detuning ``delta``, from the solution of Eq. (2) in the frame
        rotating at ``omega_L``), ``A1_printed``, ``difference`` (simplified, 0),
        ``E_inf`` (steady value) and ``dE_inf_d_delta2`` (its derivative with respect to
        ``delta^2``, negative: Eq. (A2)).

    References
    ----------
    Ahmadi et al., Eqs. (A1)-(A2) (arXiv).
    """
    ea, eb = sp.exp(-Lambda_a * t / 2), sp.exp(-Lambda_b * t / 2)
    ph = sp.exp(sp.I * delta * t)
    alpha_inf = -2 * sp.I * E / (Lambda_a - 2 * sp.I * delta)
    # beta = Gamma mu^* alpha_inf [ (1 - ph eb)/(Lb/2 - i delta) - 2 ph (ea - eb)/(Lb - La) ]  (|mu| = 1)
    f = (1 - ph * eb) / (Lambda_b / 2 - sp.I * delta) - 2 * ph * (ea - eb) / (Lambda_b - Lambda_a)
    beta = Gamma * alpha_inf * f
    # check it solves beta' = (-Lb/2 + i delta) beta + Gamma alpha, alpha = alpha_inf (1 - e^{(-La/2 + i delta) t})
    alpha = alpha_inf * (1 - sp.exp((-Lambda_a / 2 + sp.I * delta) * t))
    resid = sp.simplify(beta.diff(t) - ((-Lambda_b / 2 + sp.I * delta) * beta + Gamma * alpha))
    EB = sp.expand(beta * sp.conjugate(beta))
    Pa, Pb = Lambda_a ** 2 + 4 * delta ** 2, Lambda_b ** 2 + 4 * delta ** 2
    K0 = Gamma ** 2 * E ** 2
    dL = Lambda_a - Lambda_b
    X = Lambda_a * eb - Lambda_b * ea
    # Eq. (A1) times Phi_a Phi_b (Lambda_a - Lambda_b)^2
    A1num = (16 * K0 * dL ** 2 + 64 * delta ** 2 * K0 * (ea - eb) ** 2 + 16 * K0 * X ** 2
             - sp.cos(delta * t) * 32 * K0 * dL * X + delta * sp.sin(delta * t) * 64 * K0 * dL * (ea - eb))
    A1 = A1num / (Pa * Pb * dL ** 2)
    # |beta|^2 Phi_a Phi_b (Lambda_a - Lambda_b)^2 = 16 E^2 Gamma^2 |f (Lambda_b/2 - i delta)(Lambda_b - Lambda_a)|^2
    fp = sp.expand(sp.cancel(sp.expand(f * (Lambda_b / 2 - sp.I * delta) * (Lambda_b - Lambda_a))))
    lhs = sp.expand(16 * E ** 2 * Gamma ** 2 * fp * sp.expand(sp.conjugate(fp)))
    diff = sp.expand(sp.powsimp(sp.expand((lhs - A1num).rewrite(sp.exp))))
    E_inf = 16 * Gamma ** 2 * E ** 2 / (Pa * Pb)
    d2 = sp.Symbol("d2", nonnegative=True)
    dE = sp.simplify(sp.diff(E_inf.subs(delta ** 2, d2), d2))
    return {"residual": resid, "E_B": EB, "A1_printed": A1, "difference": diff, "E_inf": E_inf,
            "dE_inf_d_delta2": dE}


def optimisation_appendix_b() -> dict[str, sp.Expr]:
    """Appendix B: maximise Eq. (B4) over the rescaling ``x``.

    Returns
    -------
    dict
        ``B4`` (``E_B^nr(inf)`` with ``Gamma_a = x Gamma``, ``Gamma_b = Gamma/x``), ``x_opt``
        (the positive stationary point, ``xi``), ``second_derivative`` at ``x_opt`` (negative),
        ``B6_derived``, ``B6_printed`` (both forms).

    References
    ----------
    Ahmadi et al., Eqs. (B1)-(B6) (arXiv).
    """
    F = E
    kb = kappa_a / xi ** 2
    B4 = 16 * Gamma ** 2 * F ** 2 / ((x * Gamma + kappa_a) ** 2 * (Gamma / x + kb) ** 2)
    crit = [r for r in sp.solve(sp.diff(B4, x), x) if r.is_positive]
    x_opt = sp.simplify(crit[0])
    second = sp.simplify(sp.diff(B4, x, 2).subs(x, x_opt))
    B6 = sp.simplify(B4.subs(x, x_opt))
    Jm = sp.Symbol("J_m", positive=True)
    B6p = 16 * Gamma ** 2 * F ** 2 / (Gamma + sp.sqrt(kappa_a * kb)) ** 4
    B6p_J = 64 * Jm ** 2 * F ** 2 / (2 * Jm + sp.sqrt(kappa_a * kb)) ** 4
    return {"B4": B4, "x_opt": x_opt, "second_derivative": second, "B6_derived": B6,
            "B6_printed": B6p, "B6_printed_J": B6p_J, "J_abs": Jm}


def gap_appendix_c() -> dict[str, sp.Expr]:
    """Appendix C: the gap ``D_t`` between the optimised steady state and the reciprocal ``E_B(t)``.

    With ``kappa_a = r|J|``, ``kappa_b = r y |J|`` and ``|J| = 1`` (time in units of ``1/|J|``),
    ``D_t / N = 8/(r sqrt y + 2)^4 - 2 (1 - g)^2 / (r^2 y + 4)^2``, ``g`` as in
    :func:`battery_energy_reciprocal` with ``Delta = i Delta_+``.

    Returns
    -------
    dict
        ``D_t`` (ours, units of N), ``C3_printed``, ``C3_printed_at_0`` (the printed form at
        ``t = 0``, where the true gap equals its first term), ``dg_dt`` (``g'(t)``, which vanishes
        only at ``Delta_+ t / 4 = n pi``: Eq. (C4)), ``chi`` (ours at ``t*``), ``C6_printed``.

    References
    ----------
    Ahmadi et al., Eqs. (C1)-(C6) (arXiv).
    """
    r, y = sp.symbols("r y", nonnegative=True)
    kk = sp.Symbol("k", integer=True, nonnegative=True)
    Dp = sp.sqrt(16 - r ** 2 * (1 - y) ** 2)
    ksum = r * (1 + y)
    g = sp.exp(-ksum * t / 4) * (sp.cos(Dp * t / 4) + ksum * sp.sin(Dp * t / 4) / Dp)
    D_t = 8 / (r * sp.sqrt(y) + 2) ** 4 - 2 * (1 - g) ** 2 / (r ** 2 * y + 4) ** 2
    e2, e4 = sp.exp(-r * t * (y + 1) / 2), sp.exp(-r * t * (y + 1) / 4)
    C3 = (8 / (r * sp.sqrt(y) + 2) ** 4
          - 2 * e2 * ((8 - r ** 2 * (y ** 2 + 1)) * sp.cos(Dp * t / 2) + Dp * r * (y + 1) * sp.sin(Dp * t / 2)) / Dp ** 2
          + 4 * (r ** 2 * y + 4) * e2 / Dp ** 2
          - (2 - 4 * e4 * (r * (y + 1) * sp.sin(Dp * t / 4) / Dp + sp.cos(Dp * t / 4))) / (r ** 2 * y + 4) ** 2)
    dg = sp.simplify(sp.diff(g, t))
    tstar = 4 * sp.pi * (2 * kk + 1) / Dp
    chi = sp.simplify(D_t.subs(t, tstar))
    C6 = 8 / (r * sp.sqrt(y) + 2) ** 4 - 2 * (sp.exp(-sp.pi * (2 * kk + 1) * r * (y + 1) / (16 - r ** 2 * (1 - y) ** 2)) + 1) ** 2 / (r ** 2 * y + 4) ** 2
    excess0 = sp.factor(sp.simplify(C3.subs(t, 0) - 8 / (r * sp.sqrt(y) + 2) ** 4))
    return {"r": r, "y": y, "k": kk, "g": g, "D_t": D_t, "C3_printed": C3,
            "C3_printed_excess_at_0": excess0, "D_t_at_0": sp.simplify(D_t.subs(t, 0)), "dg_dt": dg, "chi": chi, "C6_printed": C6,
            "t_star": tstar}
