"""Symbolic derivations for Ahmadi et al., "Nonreciprocal Quantum Batteries" (sympy).

Each function derives one step of the paper from the master equation (with
:mod:`nrqb.engine.symbolic`, independent of the numerical engine) and returns sympy expressions
together with the paper's printed forms.  The chapter unfolds the same steps on the page; the
tests compare every derived expression with the numerical engine (an independent route) and
with the printed forms (``derived - printed`` reduced to 0 by ``sympy.simplify`` or, for sums of
exponentials, by the canonical form ``_canon``, where they agree; a number where they differ).

Derivation routes (none assumes the answer):

* moment equations: the adjoint master equation, normal ordered (:func:`moment_equations`);
* elimination of the reservoir: the Schur complement of the three-mode drift (:func:`adiabatic_elimination`);
* nonreciprocal solution: variation of constants, integrated by sympy (:func:`battery_energy_nonreciprocal`);
* reciprocal solution: the second-order equation of the battery amplitude, solved by ``dsolve``
  (:func:`battery_energy_reciprocal`).

References
----------
B. Ahmadi, P. Mazurek, P. Horodecki, S. Barzanjeh, Phys. Rev. Lett. 132, 210402 (2024);
arXiv version with Appendices A-C.
"""

from __future__ import annotations

import sympy as sp
from sympy.physics.quantum import Dagger
from sympy.physics.quantum.operatorordering import normal_ordered_form

from ..engine import symbolic

__all__ = [
    "pretty",
    "model",
    "moment_equations",
    "dissipator_forms",
    "nonreciprocity_condition",
    "auxiliary_model",
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
J_abs = sp.Symbol("|J|", positive=True)
Lambda_a, Lambda_b, Lam = sp.symbols("Lambda_a Lambda_b Lambda", positive=True)
C, xi, x = sp.symbols("C xi x", positive=True)
delta = sp.Symbol("delta", real=True)
theta = sp.Symbol("theta", real=True)  # mu = e^{i theta} (|mu| = 1)
Delta = sp.Symbol("Delta", positive=True)  # the reciprocal Delta, taken real (overdamped branch)


def _conj_moment(expr: sp.Expr) -> sp.Expr:
    """Complex conjugate of an expression in moment symbols (<a^dag b>* = <b^dag a>, <a>* = <a^dag>)."""
    expr = sp.conjugate(expr)
    reps = {}
    for c in expr.atoms(sp.conjugate):
        arg = c.args[0]
        if isinstance(arg, sp.Symbol) and arg.name.startswith("<"):
            ops = arg.name[1:-1].split()
            flipped = [o[:-4] if o.endswith("^dag") else o + "^dag" for o in reversed(ops)]
            reps[c] = sp.Symbol("<" + " ".join(flipped) + ">")
    return expr.xreplace(reps)


def _re(z):
    return (z + _conj_moment(z)) / 2


def _im(z):
    return (z - _conj_moment(z)) / (2 * sp.I)


def _canon(z: sp.Expr) -> sp.Expr:
    """A canonical form for sums of exponentials with rational coefficients (0 iff zero)."""
    return sp.cancel(sp.powsimp(sp.expand(z)))


def pretty(expr):
    """``expr`` with the moment symbols ``<a^dag b>`` renamed ``\\langle a^\\dagger b\\rangle`` for display.

    Presentation only: the value of the expression is unchanged (the symbols are renamed, not
    rewritten).

    Parameters
    ----------
    expr : sympy expression or matrix

    Returns
    -------
    The same expression with renamed symbols.
    """
    reps = {}
    for s in getattr(expr, "free_symbols", ()):
        if s.name.startswith("<") and s.name.endswith(">"):
            inner = " ".join(o.replace("^dag", r"^{\dagger}") for o in s.name[1:-1].split())
            reps[s] = sp.Symbol(r"\langle " + inner + r"\rangle")
    return expr.xreplace(reps)


# ------------------------------------------------------------------------------------ model
def model() -> dict:
    """Paper Eq. (1) and the master equation below it, in the lab frame.

    Returns
    -------
    dict
        ``a``, ``b`` (boson operators), ``H`` (paper Eq. (1)), ``channels``
        (``[(kappa_a, a), (kappa_b, b), (Gamma, p_a a + p_b b)]``, each ``rate D[L]``).

    References
    ----------
    Ahmadi et al., paper Eq. (1) and the master equation below it.
    """
    a, b = symbolic.modes("a b")
    drive_t = sp.exp(sp.I * omega_L * t)
    H = (omega * Dagger(a) * a + omega * Dagger(b) * b + J * Dagger(a) * b + sp.conjugate(J) * Dagger(b) * a
         + E * (drive_t * a + sp.conjugate(drive_t) * Dagger(a)))
    return {"a": a, "b": b, "H": H, "channels": [(kappa_a, a), (kappa_b, b), (Gamma, p_a * a + p_b * b)]}


def moment_equations() -> dict[str, dict[str, sp.Expr]]:
    """Paper Eqs. (2)-(4) derived from the master equation, and as printed.

    Returns
    -------
    dict
        ``{"derived": {...}, "printed": {...}, "printed_arxiv": {...}}``; each maps the
        observables ``"a", "b", "ada", "bdb", "adb"`` to the right-hand side of its equation of
        motion in moment symbols (``<a>``, ``<a^dag b>``, ...).  ``printed`` is the PRL's
        paper Eqs. (2)-(4) with ``mu = -p_b conj(p_a)``, ``Gamma_i = Gamma |p_i|^2``; in
        ``printed_arxiv`` only ``bdb`` differs (``mu^*`` for ``mu`` in paper Eq. (3)).

    References
    ----------
    Ahmadi et al., paper Eqs. (1)-(4).
    """
    m_ = model()
    a, b, H, channels = m_["a"], m_["b"], m_["H"], m_["channels"]
    ops = {"a": a, "b": b, "ada": Dagger(a) * a, "bdb": Dagger(b) * b, "adb": Dagger(a) * b}
    derived = {k: symbolic.heisenberg(X, H, channels) for k, X in ops.items()}

    m = symbolic.moment
    A_, B_ = m(a), m(b)
    ada, bdb, adb = m(Dagger(a), a), m(Dagger(b), b), m(Dagger(a), b)
    mu = -p_b * sp.conjugate(p_a)
    La = Gamma * p_a * sp.conjugate(p_a) + kappa_a
    Lb = Gamma * p_b * sp.conjugate(p_b) + kappa_b
    Jc, muc = sp.conjugate(J), sp.conjugate(mu)
    drive_t = sp.exp(sp.I * omega_L * t)
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


def dissipator_forms() -> dict[str, dict[str, sp.Expr]]:
    """The two dissipators printed below paper Eq. (1), acting on ``1``, ``a`` and ``a^dag a``.

    PRL: ``L_c[rho] = c rho c^dag - {c^dag c, rho}/2`` (Lindblad), whose Heisenberg action is
    ``X -> c^dag X c - {c^dag c, X}/2``.  arXiv: ``L_c[rho] = rho c^dag - {c^dag c, rho}/2``, whose
    action is ``X -> c^dag X - {X, c^dag c}/2`` (from ``Tr(X rho c^dag) = Tr(c^dag X rho)``).  Both
    for one mode ``c = a`` at unit rate, normal ordered, as moments.

    Returns
    -------
    dict
        ``{"prl": {"1": ..., "a": ..., "ada": ...}, "arxiv": {...}}``: ``d<X>/dt`` from the
        dissipator alone.  ``"1"`` is ``d Tr(rho)/dt``.

    References
    ----------
    Ahmadi et al., the master equation below paper Eq. (1) (both versions).
    """
    (a,) = symbolic.modes("a")
    out = {"prl": {}, "arxiv": {}}
    for key, X in {"1": sp.Integer(1), "a": a, "ada": Dagger(a) * a}.items():
        prl = symbolic.dissipator_adjoint(X, a, 1)
        arx = Dagger(a) * X - sp.Rational(1, 2) * (X * Dagger(a) * a + Dagger(a) * a * X)
        for name, expr in (("prl", prl), ("arxiv", arx)):
            out[name][key] = sp.expand(symbolic.expectation(normal_ordered_form(sp.expand(expr), independent=True)))
    return out


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
    Ahmadi et al., text above paper Eq. (5).
    """
    eqs = moment_equations()["derived"]
    a, b = symbolic.modes("a b")
    coeff = sp.expand(eqs["a"]).coeff(symbolic.moment(b))
    J_nr = sp.solve(sp.Eq(coeff, 0), J)[0]
    reps = {J: J_nr, sp.conjugate(J): sp.conjugate(J_nr)}
    forward = sp.simplify(sp.expand(eqs["b"].xreplace(reps)).coeff(symbolic.moment(a)))
    ada = sp.expand(eqs["ada"].xreplace(reps))
    return {"coefficient": coeff, "J": J_nr, "forward": forward, "ada_rhs": ada}


# ------------------------------------------------------------------------------------ elimination
def auxiliary_model() -> dict:
    """The shared reservoir as a damped auxiliary mode ``c`` (frame of the drive, no drive).

    ``H = J a^dag b + h.c. + c^dag (nu_a a + nu_b e^{i phi} b) + h.c.``; channels
    ``kappa_a D[a]``, ``kappa_b D[b]``, ``gamma_c D[c]``.

    Returns
    -------
    dict
        ``a, b, c``, ``H``, ``channels`` and the symbols ``nu_a, nu_b`` (positive), ``phi``, ``gamma_c``.

    References
    ----------
    Ahmadi et al., the reservoir "treated as a damped cavity" (below paper Eq. (1)).
    """
    a, b, c = symbolic.modes("a b c")
    nu_a, nu_b = sp.symbols("nu_a nu_b", positive=True)
    phi = sp.Symbol("phi", real=True)
    gam = sp.Symbol("gamma_c", positive=True)
    nb = nu_b * sp.exp(sp.I * phi)
    H = (J * Dagger(a) * b + sp.conjugate(J) * Dagger(b) * a
         + Dagger(c) * (nu_a * a + nb * b) + (nu_a * Dagger(a) + sp.conjugate(nb) * Dagger(b)) * c)
    return {"a": a, "b": b, "c": c, "H": H, "channels": [(kappa_a, a), (kappa_b, b), (gam, c)],
            "nu_a": nu_a, "nu_b": nu_b, "phi": phi, "gamma_c": gam}


def adiabatic_elimination() -> dict[str, sp.Expr]:
    """Eliminate the auxiliary mode of :func:`auxiliary_model` by a Schur complement.

    The three-mode drift ``A`` (from the master equation) is reduced to the ``(a, b)`` block,
    ``A_eff = A_ss - A_sc A_cc^{-1} A_cs`` (setting ``dc/dt = 0``, exact to leading order in
    ``nu / gamma_c``).  The input noise of ``c`` enters ``a, b`` with the vector
    ``n = -A_sc A_cc^{-1} sqrt(gamma_c)``; its outer product is the diffusion of the effective
    channel.  Both are compared with a shared reservoir ``Gamma D[p_a a + p_b b]`` with
    ``Gamma = 4 nu_a nu_b / gamma_c`` and ``p_i = nu_i / sqrt(nu_a nu_b)``.

    Returns
    -------
    dict
        ``A3`` (3x3 drift), ``A_eff``, ``A_target`` (two-mode drift with ``Gamma L_z``),
        ``noise_eff`` (``n n^dag``), ``noise_target`` (``Gamma conj(p) p^T``), ``Gamma`` and ``p``,
        and the symbols of :func:`auxiliary_model`.

    References
    ----------
    Ahmadi et al., "By adiabatically eliminating the reservoir ..." (below Fig. 1);
    Metelmann and Clerk, PRX 5, 021025 (2015).
    """
    m = auxiliary_model()
    a, b, c, nu_a, nu_b, phi, gam = m["a"], m["b"], m["c"], m["nu_a"], m["nu_b"], m["phi"], m["gamma_c"]
    A3, _ = symbolic.drift_matrix_from_master_equation([a, b, c], m["H"], m["channels"])
    Ass, Asc, Acs, Acc = A3[:2, :2], A3[:2, 2], A3[2, :2], A3[2, 2]
    A_eff = sp.simplify(Ass - Asc * Acs / Acc)
    n = sp.simplify(-Asc / Acc * sp.sqrt(gam))
    noise_eff = sp.simplify(n * n.H)
    G_ = 4 * nu_a * nu_b / gam
    pa_, pb_ = nu_a / sp.sqrt(nu_a * nu_b), nu_b * sp.exp(sp.I * phi) / sp.sqrt(nu_a * nu_b)
    A_target, _ = symbolic.drift_matrix_from_master_equation(
        [a, b], J * Dagger(a) * b + sp.conjugate(J) * Dagger(b) * a, [(kappa_a, a), (kappa_b, b), (G_, pa_ * a + pb_ * b)])
    p = sp.Matrix([pa_, pb_])
    noise_target = sp.simplify(G_ * p.conjugate() * p.T)
    return {"A3": A3, "A_eff": A_eff, "A_target": sp.simplify(A_target), "noise_eff": noise_eff,
            "noise_target": noise_target, "Gamma": G_, "p": p, "nu_a": nu_a, "nu_b": nu_b, "phi": phi,
            "gamma_c": gam}


# ------------------------------------------------------------------------------------ solutions
def battery_energy_nonreciprocal() -> dict[str, sp.Expr]:
    """Paper Eqs. (5)-(7): integrate paper Eq. (2) at the nonreciprocal point, from the vacuum.

    On resonance, in the frame of the drive and with ``mu = e^{i theta}``, the amplitudes obey
    ``alpha' = -Lambda_a alpha/2 - i E`` and ``beta' = -Lambda_b beta/2 + mu^* Gamma alpha``
    (:func:`nonreciprocity_condition`), so by variation of constants
    ``alpha(t) = int_0^t e^{-Lambda_a (t-s)/2} (-i E) ds`` and
    ``beta(t) = mu^* Gamma e^{-Lambda_b t/2} int_0^t e^{Lambda_b s/2} alpha(s) ds``; sympy integrates
    both and returns ``beta`` as a ``Piecewise`` with a separate branch at ``Lambda_a = Lambda_b``.  The
    state stays coherent, so ``E_A = |alpha|^2`` and ``E_B = |beta|^2`` (``omega = 1``).

    Returns
    -------
    dict
        ``alpha``, ``beta_piecewise`` (as integrated), ``beta`` (``Lambda_a != Lambda_b``),
        ``beta_equal`` (``Lambda_a = Lambda_b = Lambda``), ``E_A``, ``E_B``, ``E_B_equal``;
        the printed forms ``eq5_prl``, ``eq5_arxiv``, ``eq6_printed``, ``eq7_printed``;
        ``eq5_square`` (``P [1 - X/(Lambda_a - Lambda_b)]^2``) and ``eq6_corrected``
        (``16 Gamma^2 E^2/Lambda^4 [1 - (1 + Lambda t/2) e^{-Lambda t/2}]^2``).

    References
    ----------
    Ahmadi et al., paper Eqs. (5), (6), (7).
    """
    s = sp.Symbol("s", nonnegative=True)
    muc = sp.exp(-sp.I * theta)
    alpha = sp.integrate(sp.exp(-Lambda_a * (t - s) / 2) * (-sp.I * E), (s, 0, t))
    # the factors that do not depend on s leave the integral (same integral, 5-10x faster for sympy's
    # heuristic integrator than with mu^*, Gamma and e^{-Lambda_b t/2} inside)
    inner = sp.integrate(sp.exp(Lambda_b * s / 2) * alpha.subs(t, s), (s, 0, t))
    beta_pw = sp.piecewise_fold(muc * Gamma * sp.exp(-Lambda_b * t / 2) * inner)
    branches = {bool(cond == sp.true): expr for expr, cond in beta_pw.args}
    # factor + powsimp instead of simplify: the same closed forms (a ratio of sums of exponentials)
    beta = sp.powsimp(sp.factor(branches[False]))
    beta_eq = sp.powsimp(sp.factor(branches[True].subs({Lambda_a: Lam, Lambda_b: Lam})))   # the branch Lambda_a = Lambda_b
    EA = sp.powsimp(sp.expand(alpha * sp.conjugate(alpha)))
    EB = sp.powsimp(sp.expand(beta * sp.conjugate(beta)))
    EB_eq = sp.factor(sp.powsimp(sp.expand(beta_eq * sp.conjugate(beta_eq))))
    X = Lambda_a * sp.exp(-Lambda_b * t / 2) - Lambda_b * sp.exp(-Lambda_a * t / 2)
    P = 16 * Gamma ** 2 * E ** 2 / (Lambda_a ** 2 * Lambda_b ** 2)
    e = sp.exp(-Lam * t / 2)
    return {"alpha": alpha, "beta_piecewise": beta_pw, "beta": beta, "beta_equal": beta_eq,
            "E_A": EA, "E_B": EB, "E_B_equal": EB_eq,
            "eq5_prl": P * (1 + X / (Lambda_a - Lambda_b) ** 2 * (X - 2 * (Lambda_a - Lambda_b))),
            "eq5_arxiv": P * (1 + X / (Lambda_a - Lambda_b) ** 2) * (X - 2 * (Lambda_a - Lambda_b)),
            "eq5_square": P * (1 - X / (Lambda_a - Lambda_b)) ** 2,
            "eq6_printed": 16 * Gamma ** 2 * E ** 2 / Lam ** 4 * (1 + e * (e - 2)),
            "eq6_corrected": 16 * Gamma ** 2 * E ** 2 / Lam ** 4 * (1 - (1 + Lam * t / 2) * e) ** 2,
            "eq7_printed": 4 * E ** 2 * (1 - sp.exp(-Lambda_a * t / 2)) ** 2 / Lambda_a ** 2}


def battery_energy_reciprocal() -> dict[str, sp.Expr]:
    """Paper Eqs. (8)-(9): the reciprocal pair (``Gamma = 0``) from the vacuum, on resonance.

    The phase of ``J`` drops out of the energies (``b -> e^{i arg J} b``), so ``J = |J|``.  From
    ``alpha' = -kappa_a alpha/2 - i |J| beta - i E`` and ``beta' = -kappa_b beta/2 - i |J| alpha``,
    eliminating ``alpha`` gives
    ``beta'' + (kappa_ab/2) beta' + (kappa_a kappa_b/4 + |J|^2) beta = -|J| E`` with
    ``beta(0) = beta'(0) = 0``; ``dsolve`` solves it.  Its characteristic roots are
    ``(-kappa_ab pm Delta)/4`` with ``Delta^2 = (kappa_a - kappa_b)^2 - 16 |J|^2``.  Written with
    ``Delta`` (here ``Delta > 0``; the underdamped case follows by ``Delta -> i Delta_+``), the
    solution is compared with ``beta_inf (1 - g(t))``, and ``(1 - g)^2`` with the bracket of the
    printed paper Eq. (8), ``E_B / zeta``.

    Returns
    -------
    dict
        ``equations`` (the two amplitude equations), ``alpha_of_beta`` (the charger amplitude from the
        battery equation), ``ode`` (the second-order equation they give), ``roots`` (characteristic
        roots in ``|J|``), ``beta`` (dsolve, in ``|J|``),
        ``g``, ``beta_ours`` (``beta_inf (1 - g)``), ``beta_check`` (dsolve minus ours, in
        ``Delta``, canonical form: 0), ``zeta``, ``E_B`` (``zeta (1 - g)^2``), ``eq8_printed``,
        ``bracket_difference`` (printed bracket minus ``(1 - g)^2``, simplified),
        ``sinh_sign_term`` (``-2 kappa_ab e^{-kappa_ab t/2} sinh(Delta t/2)/Delta``, what a flipped
        sign of the ``sinh`` term of ``beta(t)`` in paper Eq. (9) gives), ``bracket_check``
        (bracket difference minus that term, canonical form: 0), ``J_of_Delta``;
        ``dg_dt`` (``g'(t)``, simplified), ``dg_dt_factored``
        (``-(kappa_ab^2 - Delta^2) e^{-kappa_ab t/4} sinh(Delta t/4) / (4 Delta)``), ``dg_dt_check``
        (their difference, canonical form: 0) and ``kab2_minus_Delta2`` (``kappa_ab^2 - Delta^2`` with
        ``Delta^2`` written out: ``4 kappa_a kappa_b + 16 |J|^2 > 0``).  So for real ``Delta`` (which is
        then below ``kappa_ab``) ``g`` decreases monotonically from 1 to 0 and the overdamped battery
        charges without oscillation (paper text at Fig. 4).

    References
    ----------
    Ahmadi et al., paper Eqs. (8)-(9).
    """
    Jm = J_abs
    k = kappa_a + kappa_b
    at, bt = sp.Function(r"\bar{a}")(t), sp.Function(r"\bar{b}")(t)   # the amplitudes <a>, <b>
    # paper Eq. (2) at Gamma = 0 on resonance (frame of the drive), J = |J|
    eq_a = sp.Eq(at.diff(t), -kappa_a / 2 * at - sp.I * Jm * bt - sp.I * E)
    eq_b = sp.Eq(bt.diff(t), -kappa_b / 2 * bt - sp.I * Jm * at)
    alpha_of_beta = sp.solve(eq_b, at)[0]                     # the battery equation gives alpha
    second = (eq_a.lhs - eq_a.rhs).subs(at, alpha_of_beta).doit()   # ... and the charger equation a 2nd-order one
    ode_lhs = sp.expand(-second * sp.I * Jm)                  # normalised: beta.. + ... + |J| E = 0
    ode = sp.Eq(ode_lhs - ode_lhs.subs({bt.diff(t, 2): 0, bt.diff(t): 0, bt: 0}),
                -ode_lhs.subs({bt.diff(t, 2): 0, bt.diff(t): 0, bt: 0}))
    lam = sp.Symbol("lambda")
    roots = list(sp.roots(sp.Poly(lam ** 2 + k / 2 * lam + kappa_a * kappa_b / 4 + Jm ** 2, lam)))
    # the method named (constant coefficients, undetermined coefficients) and no simplification of the
    # result: it is only compared with beta_inf (1 - g) through the canonical form _canon below
    beta = sp.dsolve(ode, bt, ics={bt.subs(t, 0): 0, bt.diff(t).subs(t, 0): 0},
                     hint="nth_linear_constant_coeff_undetermined_coefficients", simplify=False).rhs
    J_of_D = sp.sqrt(((kappa_a - kappa_b) ** 2 - Delta ** 2) / 16)
    g = sp.exp(-k * t / 4) * (sp.cosh(Delta * t / 4) + k * sp.sinh(Delta * t / 4) / Delta)
    beta_inf = -4 * Jm * E / (kappa_a * kappa_b + 4 * Jm ** 2)
    beta_ours = beta_inf * (1 - g)
    beta_check = _canon((beta - beta_ours).subs(Jm, J_of_D).rewrite(sp.exp))
    Cc = 4 * Jm ** 2 / (kappa_a * kappa_b)
    zeta = 4 * E ** 2 * Cc / (kappa_a * kappa_b * (Cc + 1) ** 2)
    al9 = 2 / Delta * (Delta * sp.cosh(Delta * t / 4) + k * sp.sinh(Delta * t / 4))
    be9 = ((Delta ** 2 + k ** 2) * sp.cosh(Delta * t / 2) - 2 * k * Delta * sp.sinh(Delta * t / 2)) / (2 * Delta ** 2)
    bracket8 = 1 - al9 * sp.exp(-k * t / 4) + (be9 - 2 * kappa_a * kappa_b * (Cc + 1) / Delta ** 2) * sp.exp(-k * t / 2)
    # simplify of the canonical form (_canon): the same simplified expression as simplify of the raw
    # difference, about 5x faster
    diff = sp.simplify(_canon((bracket8 - (1 - g) ** 2).rewrite(sp.exp).subs(Jm, J_of_D)))
    sinh_term = -2 * k * sp.sinh(Delta * t / 2) * sp.exp(-k * t / 2) / Delta
    check = _canon((bracket8 - (1 - g) ** 2 - sinh_term).rewrite(sp.exp).subs(Jm, J_of_D))
    dg = sp.simplify(sp.diff(g, t))
    dg_claim = -(k ** 2 - Delta ** 2) * sp.exp(-k * t / 4) * sp.sinh(Delta * t / 4) / (4 * Delta)
    dg_check = _canon((dg - dg_claim).rewrite(sp.exp))
    kab2_minus_D2 = sp.expand(k ** 2 - ((kappa_a - kappa_b) ** 2 - 16 * Jm ** 2))
    return {"dg_dt": dg, "dg_dt_factored": dg_claim, "dg_dt_check": dg_check, "kab2_minus_Delta2": kab2_minus_D2,
            "equations": (eq_a, eq_b), "alpha_of_beta": alpha_of_beta, "ode": ode, "roots": roots, "beta": beta, "g": g, "beta_ours": beta_ours, "beta_check": beta_check,
            "zeta": zeta, "E_B": zeta * (1 - g) ** 2, "eq8_printed": zeta * bracket8,
            "bracket_difference": diff, "sinh_sign_term": sinh_term, "bracket_check": check,
            "J_of_Delta": J_of_D}


# ------------------------------------------------------------------------------------ ratios
def steady_state_ratios() -> dict[str, sp.Expr]:
    """Paper Eqs. (10)-(12) and ``C_d`` from the steady amplitudes.

    The steady energies come from solving the steady linear systems ``A x = i (E, 0)`` of paper
    Eq. (2) (nonreciprocal drift with general ``Lambda_a, Lambda_b``; reciprocal drift at ``Gamma = 0``).

    Returns
    -------
    dict
        ``steady_nr`` (``(E_A^nr(inf), E_B^nr(inf))``), ``steady_rec`` (``zeta``),
        ``eta_AB`` (``E_B^nr/E_A^nr`` at ``t -> inf``), ``eta_BB`` (general ``Gamma``, ``|J|``),
        ``eq10_derived`` (with ``Gamma = 2|J|``, ``kappa_a = s xi``, ``kappa_b = s/xi``,
        ``|J| = s sqrt(C)/2``), ``eq10_printed``, ``eq11_derived`` (``Gamma_a = xi Gamma``,
        ``Gamma_b = Gamma/xi``), ``eq11_printed``, ``eq12_derived``, ``eq12_printed``;
        ``eq10_limit_C0`` and ``eq10_limit_Cinf`` (the "fourfold" limits of paper Eq. (10), for
        every ``xi``); ``eq10_xi1_minus_1`` (paper Eq. (10) at ``xi = 1`` minus 1, with ``C = u^2``,
        factored) and ``eq10_xi1_minus_1_hand`` (``(u-1)^2 (3u^2 + 2u + 3)/(u+1)^4``);
        ``Cd_threshold`` (the positive roots of ``C_d = 1`` with ``Lambda = Gamma + kappa``) with its
        symbol ``kappa``; ``u``.

    References
    ----------
    Ahmadi et al., text below paper Eq. (7); paper Eqs. (10)-(12).
    """
    Jm, s = J_abs, sp.Symbol("s", positive=True)
    # steady amplitudes: A x = i (E, 0) for the nonreciprocal drift (|mu| = 1, mu = e^{i theta}) and the
    # reciprocal one (Gamma = 0, J = |J|); energies |x_i|^2
    A_nr = sp.Matrix([[-Lambda_a / 2, 0], [sp.exp(-sp.I * theta) * Gamma, -Lambda_b / 2]])
    A_rec = sp.Matrix([[-kappa_a / 2, -sp.I * Jm], [-sp.I * Jm, -kappa_b / 2]])
    x_nr = A_nr.LUsolve(sp.Matrix([sp.I * E, 0]))
    x_rec = A_rec.LUsolve(sp.Matrix([sp.I * E, 0]))
    EA_nr = sp.simplify(x_nr[0] * sp.conjugate(x_nr[0]))
    EB_nr = sp.simplify(x_nr[1] * sp.conjugate(x_nr[1]))
    E_rec = sp.simplify(x_rec[1] * sp.conjugate(x_rec[1]))
    E_nr = lambda La, Lb: EB_nr.subs({Lambda_a: La, Lambda_b: Lb}, simultaneous=True)  # noqa: E731
    E_A = lambda La: EA_nr.subs(Lambda_a, La)  # noqa: E731
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
            "eq10_xi1_minus_1_hand": (u - 1) ** 2 * (3 * u ** 2 + 2 * u + 3) / (u + 1) ** 4,
            "Cd_threshold": Cd_threshold, "kappa": kap, "u": u,
            "steady_nr": (EA_nr, EB_nr), "steady_rec": E_rec,
            "eta_AB": eta_AB, "eta_BB": eta_BB, "eq10_derived": eq10, "eq10_printed": eq10p,
            "eq11_derived": eq11, "eq11_printed": eq11p, "eq12_derived": eq12, "eq12_printed": eq12p}


# ------------------------------------------------------------------------------------ appendices
def detuning_appendix_a() -> dict[str, sp.Expr]:
    """Appendix A: the detuned nonreciprocal solution and the optimality of resonance.

    Returns
    -------
    dict
        ``beta`` (the battery amplitude, ``|mu| = 1``), ``residual`` (``beta' - (i delta -
        Lambda_b/2) beta - Gamma alpha``, in the canonical form of exponential sums: 0), ``beta_at_0`` (0: the vacuum start), ``E_B`` (``|beta|^2``), ``A1_printed``,
        ``difference`` (``|beta|^2 - (A1)``, both times ``Phi_a Phi_b (Lambda_a - Lambda_b)^2``,
        expanded), ``E_inf`` (steady value) and ``dE_inf_d_delta2`` (its derivative with
        respect to ``delta^2``: negative, paper Eq. (A2)), ``d2`` (the symbol ``delta^2``).

    References
    ----------
    Ahmadi et al., paper Eqs. (A1)-(A2) (arXiv).
    """
    ea, eb = sp.exp(-Lambda_a * t / 2), sp.exp(-Lambda_b * t / 2)
    ph = sp.exp(sp.I * delta * t)
    alpha_inf = -2 * sp.I * E / (Lambda_a - 2 * sp.I * delta)
    f = (1 - ph * eb) / (Lambda_b / 2 - sp.I * delta) - 2 * ph * (ea - eb) / (Lambda_b - Lambda_a)
    beta = Gamma * alpha_inf * f
    alpha = alpha_inf * (1 - sp.exp((-Lambda_a / 2 + sp.I * delta) * t))
    resid = _canon(beta.diff(t) - ((-Lambda_b / 2 + sp.I * delta) * beta + Gamma * alpha))   # canonical form: 0 iff zero
    EB = sp.expand(beta * sp.conjugate(beta))
    Pa, Pb = Lambda_a ** 2 + 4 * delta ** 2, Lambda_b ** 2 + 4 * delta ** 2
    K0 = Gamma ** 2 * E ** 2
    dL = Lambda_a - Lambda_b
    X = Lambda_a * eb - Lambda_b * ea
    A1num = (16 * K0 * dL ** 2 + 64 * delta ** 2 * K0 * (ea - eb) ** 2 + 16 * K0 * X ** 2
             - sp.cos(delta * t) * 32 * K0 * dL * X + delta * sp.sin(delta * t) * 64 * K0 * dL * (ea - eb))
    A1 = A1num / (Pa * Pb * dL ** 2)
    fp = sp.expand(sp.cancel(sp.expand(f * (Lambda_b / 2 - sp.I * delta) * (Lambda_b - Lambda_a))))
    lhs = sp.expand(16 * E ** 2 * Gamma ** 2 * fp * sp.expand(sp.conjugate(fp)))
    diff = sp.expand(sp.powsimp(sp.expand((lhs - A1num).rewrite(sp.exp))))
    E_inf = 16 * Gamma ** 2 * E ** 2 / (Pa * Pb)
    d2 = sp.Symbol("delta^2", nonnegative=True)
    dE = sp.simplify(sp.diff(E_inf.subs(delta ** 2, d2), d2))
    return {"beta": beta, "residual": resid, "beta_at_0": sp.simplify(beta.subs(t, 0)), "E_B": EB, "A1_printed": A1, "difference": diff,
            "E_inf": E_inf, "dE_inf_d_delta2": dE, "d2": d2}


def optimisation_appendix_b() -> dict[str, sp.Expr]:
    """Appendix B: the rescaling (B2)-(B3) and the maximum of paper Eq. (B4) over ``x``.

    Returns
    -------
    dict
        ``mu_change`` (``mu(p_a sqrt x, p_b / sqrt x) - mu(p_a, p_b)``, simplified: 0, so
        ``|mu|`` is kept, paper Eq. (B2)); ``Gamma_a``, ``Gamma_b`` (``Gamma |p_i|^2`` after the
        rescaling with ``|p_a| = |p_b| = 1``: paper Eq. (B3)); ``B4_derived`` (the steady
        ``E_B^nr`` of the general formula with those rates and ``kappa_b = kappa_a/xi^2``, paper
        Eq. (B1)); ``B4`` (as printed); ``x_opt`` (the positive stationary point);
        ``second_derivative`` at ``x_opt``; ``B6_derived``, ``B6_printed``, ``B6_printed_J``.

    References
    ----------
    Ahmadi et al., paper Eqs. (B1)-(B6) (arXiv).
    """
    F = E
    qa, qb = sp.symbols("q_a q_b", real=True)  # phases of p_a, p_b
    pa_, pb_ = sp.exp(sp.I * qa), sp.exp(sp.I * qb)
    mu_ = lambda u, v: -v * sp.conjugate(u)  # noqa: E731
    mu_change = sp.simplify(mu_(pa_ * sp.sqrt(x), pb_ / sp.sqrt(x)) - mu_(pa_, pb_))
    Ga = sp.simplify(Gamma * sp.Abs(pa_ * sp.sqrt(x)) ** 2)
    Gb = sp.simplify(Gamma * sp.Abs(pb_ / sp.sqrt(x)) ** 2)
    kb = kappa_a / xi ** 2
    B4_derived = 16 * Gamma ** 2 * F ** 2 / ((Ga + kappa_a) ** 2 * (Gb + kb) ** 2)
    B4 = 16 * Gamma ** 2 * F ** 2 / ((x * Gamma + kappa_a) ** 2 * (Gamma / x + kb) ** 2)
    crit = [r for r in sp.solve(sp.diff(B4, x), x) if r.is_positive]
    x_opt = sp.simplify(crit[0])
    second = sp.simplify(sp.diff(B4, x, 2).subs(x, x_opt))
    B6 = sp.simplify(B4.subs(x, x_opt))
    B6p = 16 * Gamma ** 2 * F ** 2 / (Gamma + sp.sqrt(kappa_a * kb)) ** 4
    B6p_J = 64 * J_abs ** 2 * F ** 2 / (2 * J_abs + sp.sqrt(kappa_a * kb)) ** 4
    return {"mu_change": mu_change, "Gamma_a": Ga, "Gamma_b": Gb, "B4_derived": B4_derived, "B4": B4,
            "x_opt": x_opt, "second_derivative": second, "B6_derived": B6, "B6_printed": B6p,
            "B6_printed_J": B6p_J}


def gap_appendix_c() -> dict[str, sp.Expr]:
    """Appendix C: the gap ``D_t`` between the optimised steady state and the reciprocal ``E_B(t)``.

    With ``kappa_a = r|J|``, ``kappa_b = r y |J|`` (paper Eqs. (C1)-(C2)) and ``|J| = 1`` (time in
    units of ``1/|J|``), paper Eq. (B6) becomes ``N 8/(r sqrt y + 2)^4`` with
    ``N = 8 F^2/|J|^2`` and ``D_t / N = 8/(r sqrt y + 2)^4 - 2 (1 - g)^2 / (r^2 y + 4)^2``, ``g`` as in
    :func:`battery_energy_reciprocal` with ``Delta = i Delta_+``.

    Returns
    -------
    dict
        ``r, y, k`` (symbols), ``Delta_plus``, ``kappa_b`` (``kappa_a/xi^2`` with ``y = 1/xi^2``:
        paper Eq. (C2)), ``B6_over_N`` (paper Eq. (B6) in these variables, divided by ``N``), ``g``,
        ``D_t`` (ours, units of N), ``C3_printed``, ``C3_printed_excess_at_0`` (printed minus ours
        at ``t = 0``, simplified), ``dg_dt`` (``g'(t)`` written with the symbols ``K = r (1 + y)``
        and ``Delta_+``, returned as ``K`` and ``Delta_plus_symbol``), ``t_star`` (paper Eq. (C4)),
        ``chi`` (ours at ``t*``), ``C6_printed``, ``dchi_dk`` (the derivative of ``chi`` in ``k``
        treated as real, symbol ``k_r``).

    References
    ----------
    Ahmadi et al., paper Eqs. (C1)-(C6) (arXiv).
    """
    r, y = sp.symbols("r y", nonnegative=True)
    kk = sp.Symbol("k", integer=True, nonnegative=True)
    kr = sp.Symbol("k_r", nonnegative=True)
    Dp = sp.sqrt(16 - r ** 2 * (1 - y) ** 2)
    ka, kb = r * J_abs, r * y * J_abs
    kb_C2 = sp.simplify((kappa_a / xi ** 2).subs({kappa_a: ka, xi: 1 / sp.sqrt(y)}))
    N = 8 * E ** 2 / J_abs ** 2
    B6 = 64 * J_abs ** 2 * E ** 2 / (2 * J_abs + sp.sqrt(ka * kb)) ** 4
    B6_over_N = sp.simplify(B6 / N)
    ksum = r * (1 + y)
    g = sp.exp(-ksum * t / 4) * (sp.cos(Dp * t / 4) + ksum * sp.sin(Dp * t / 4) / Dp)
    D_t = 8 / (r * sp.sqrt(y) + 2) ** 4 - 2 * (1 - g) ** 2 / (r ** 2 * y + 4) ** 2
    e2, e4 = sp.exp(-r * t * (y + 1) / 2), sp.exp(-r * t * (y + 1) / 4)
    C3 = (8 / (r * sp.sqrt(y) + 2) ** 4
          - 2 * e2 * ((8 - r ** 2 * (y ** 2 + 1)) * sp.cos(Dp * t / 2) + Dp * r * (y + 1) * sp.sin(Dp * t / 2)) / Dp ** 2
          + 4 * (r ** 2 * y + 4) * e2 / Dp ** 2
          - (2 - 4 * e4 * (r * (y + 1) * sp.sin(Dp * t / 4) / Dp + sp.cos(Dp * t / 4))) / (r ** 2 * y + 4) ** 2)
    K, Dpl = sp.symbols("K Delta_+", positive=True)  # kappa_ab/|J| = r (1 + y) and Delta_+/|J|
    dg = sp.simplify(sp.diff(sp.exp(-K * t / 4) * (sp.cos(Dpl * t / 4) + K * sp.sin(Dpl * t / 4) / Dpl), t))
    tstar = 4 * sp.pi * (2 * kk + 1) / Dp
    chi = D_t.subs(t, tstar)  # sin and cos of odd multiples of pi evaluate at once
    C6 = 8 / (r * sp.sqrt(y) + 2) ** 4 - 2 * (sp.exp(-sp.pi * (2 * kk + 1) * r * (y + 1) / (16 - r ** 2 * (1 - y) ** 2)) + 1) ** 2 / (r ** 2 * y + 4) ** 2
    chi_r = 8 / (r * sp.sqrt(y) + 2) ** 4 - 2 * (1 + sp.exp(-sp.pi * (2 * kr + 1) * ksum / Dp)) ** 2 / (r ** 2 * y + 4) ** 2
    excess0 = sp.factor(sp.simplify(C3.subs(t, 0) - D_t.subs(t, 0)))
    return {"r": r, "y": y, "k": kk, "k_r": kr, "Delta_plus": Dp, "kappa_b": kb_C2, "B6_over_N": B6_over_N,
            "g": g, "D_t": D_t, "C3_printed": C3, "C3_printed_excess_at_0": excess0, "dg_dt": dg,
            "t_star": tstar, "chi": chi, "C6_printed": C6, "dchi_dk": sp.diff(chi_r, kr),
            "K": K, "Delta_plus_symbol": Dpl}
