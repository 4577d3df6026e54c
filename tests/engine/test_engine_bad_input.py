"""Table-driven bad input: every public function and method of the engine (modules network,
propagation, steady, gaussian, validation, builder, qutip_bridge, symbolic) refuses bad input
with a ``ValueError`` whose message names the parameter.

Each row: an id, a call, and a regex that the message must match (the parameter's name).  The
issue-11 reproducers are among the rows (marked "issue 11").
"""

import numpy as np
import pytest
import qutip as qt
import sympy as sp

from nrqb import GaussianState, LinearNetwork, NetworkBuilder, gaussian_ergotropy
from nrqb.engine import builder, gaussian, propagation, qutip_bridge, steady, symbolic, validation


def net():
    return LinearNetwork([[0, 0.1], [0.1, 0]], loss=[0.1, 0.2], drive=[0.1, 0], n_th=0.2)


def dark():
    return LinearNetwork(np.zeros((2, 2)), jumps=[(1, [1, 1])], n_th=1)


def nb():
    return NetworkBuilder().mode("a", loss=0.1).mode("b", loss=0.1)


def LN(**kw):
    base = dict(hamiltonian=np.zeros((2, 2)), loss=[0.1, 0.1], jumps=[(0.1, [1, 1])])
    base.update(kw)
    h = base.pop("hamiltonian")
    return LinearNetwork(h, **base)


A2 = net().drift
Q2, P2 = net().noise
SPLIT = propagation.dark_split(np.zeros((2, 2)), np.ones((2, 2)), 1e-12)
a_op, b_op = symbolic.modes("a b")
RHO = qt.ket2dm(qt.tensor(qt.basis(3, 1), qt.basis(3, 0)))

ROWS = [
    # ---------------------------------------------------------------- LinearNetwork(...)
    ("LN hamiltonian string", lambda: LN(hamiltonian="0"), r"hamiltonian"),
    ("LN hamiltonian bool", lambda: LN(hamiltonian=[[True, False], [False, True]]), r"hamiltonian"),
    ("LN hamiltonian NaN", lambda: LN(hamiltonian=[[np.nan, 0], [0, 0]]), r"hamiltonian"),
    ("LN hamiltonian non-square", lambda: LN(hamiltonian=np.zeros((2, 3))), r"hamiltonian"),
    ("LN hamiltonian empty", lambda: LN(hamiltonian=np.zeros((0, 0))), r"hamiltonian"),
    ("LN hamiltonian non-Hermitian", lambda: LN(hamiltonian=[[0, 1], [2, 0]]), r"hamiltonian"),
    ("LN hamiltonian ragged", lambda: LN(hamiltonian=[[0, 1], [1]]), r"hamiltonian"),
    ("LN loss negative", lambda: LN(loss=[-0.1, 0.1]), r"loss"),
    ("LN loss complex", lambda: LN(loss=[0.1j, 0.1]), r"loss must be real"),
    ("LN loss shape", lambda: LN(loss=[0.1, 0.1, 0.1]), r"loss"),
    ("LN loss None entry", lambda: LN(loss=[None, 0.1]), r"loss"),
    ("LN jumps not a sequence", lambda: LN(jumps=5), r"jumps"),
    ("LN jumps entry", lambda: LN(jumps=[0.1]), r"jumps\[0\]"),
    ("LN jumps triple", lambda: LN(jumps=[(0.1, [1, 1], 3)]), r"jumps\[0\]"),
    ("LN jumps rate negative", lambda: LN(jumps=[(-0.1, [1, 1])]), r"jumps\[0\] rate"),
    ("LN jumps rate complex", lambda: LN(jumps=[(0.1j, [1, 1])]), r"jumps\[0\] rate"),
    ("LN jumps coefficients shape", lambda: LN(jumps=[(0.1, [1, 1, 1])]), r"jumps\[0\] coefficients"),
    ("LN jumps coefficients inf", lambda: LN(jumps=[(0.1, [np.inf, 1])]), r"jumps\[0\] coefficients"),
    ("LN jumps overflow", lambda: LN(jumps=[(1e300, [1e10, 1])]), r"jumps"),
    ("LN drive shape", lambda: LN(drive=[1.0]), r"drive"),
    ("LN drive NaN", lambda: LN(drive=[np.nan, 0]), r"drive"),
    ("LN drive string", lambda: LN(drive=["1", "0"]), r"drive"),
    ("LN n_th negative", lambda: LN(n_th=-1.0), r"n_th"),
    ("LN n_th complex", lambda: LN(n_th=0.1j), r"n_th must be real"),
    ("LN n_th shape", lambda: LN(n_th=[0.1, 0.2]), r"n_th"),
    ("LN n_th too large", lambda: LN(n_th=1e301), r"n_th"),
    ("LN n_th overflow with rate", lambda: LN(loss=[1e10, 0.1], n_th=1e299), r"n_th or squeezing"),
    ("LN squeezing r negative", lambda: LN(squeezing=(-0.1, 0.0)), r"squeezing"),
    ("LN squeezing r = 1000 (issue 11)", lambda: LN(squeezing=(1000.0, 0.0)), r"squeezing strength r"),
    ("LN squeezing shape", lambda: LN(squeezing=[(0.1, 0.0)] * 2), r"squeezing"),
    ("LN squeezing NaN theta", lambda: LN(squeezing=(0.1, np.nan)), r"squeezing"),
    ("LN omega negative (issue 11)", lambda: LN(omega=-1.0), r"omega"),
    ("LN omega NaN (issue 11)", lambda: LN(omega=np.nan), r"omega"),
    ("LN omega complex", lambda: LN(omega=1j), r"omega must be real"),
    ("LN omega shape", lambda: LN(omega=[1.0, 2.0, 3.0]), r"omega"),
    ("LN alpha0 shape", lambda: LN(alpha0=[1.0]), r"alpha0"),
    ("LN alpha0 inf", lambda: LN(alpha0=[np.inf, 0]), r"alpha0"),
    # ---------------------------------------------------------------- LinearNetwork methods
    ("moments t negative (issue 11)", lambda: net().moments([-1.0]), r"\bt must be >= 0"),
    ("moments t NaN", lambda: net().moments([np.nan]), r"\bt must"),
    ("moments t -inf", lambda: net().moments([-np.inf]), r"\bt must"),
    ("moments t complex", lambda: net().moments([1j]), r"\bt must be real"),
    ("moments t 2-D", lambda: net().moments(np.zeros((2, 2))), r"\bt must be a 1-D"),
    ("moments t string", lambda: net().moments("1"), r"\bt must be numeric"),
    ("moments initial wrong size", lambda: net().moments([1.0], GaussianState.vacuum(3)), r"initial"),
    ("moments initial not a state", lambda: net().moments([1.0], 3), r"initial"),
    ("amplitudes t negative", lambda: net().amplitudes(-1.0), r"\bt must be >= 0"),
    ("amplitudes initial", lambda: net().amplitudes([1.0], "x"), r"initial"),
    ("fluctuations t NaN", lambda: net().fluctuations([np.nan]), r"\bt must"),
    ("fluctuations initial", lambda: net().fluctuations([1.0], 1.0), r"initial"),
    ("occupations t negative", lambda: net().occupations([-2.0]), r"\bt must be >= 0"),
    ("energies t negative", lambda: net().energies([0.0, -1e-300]), r"\bt must be >= 0"),
    ("energies initial", lambda: net().energies([1.0], initial=[0, 0]), r"initial"),
    ("power t negative", lambda: net().power([-1.0]), r"\bt must be >= 0"),
    ("power initial", lambda: net().power([1.0], initial={}), r"initial"),
    ("covariance t NaN", lambda: net().covariance([np.nan]), r"\bt must"),
    ("ergotropy mode out of range (issue 11)", lambda: net().ergotropy([1.0], 2), r"mode must be in"),
    ("ergotropy mode float", lambda: net().ergotropy([1.0], 1.0), r"mode must be an integer"),
    ("ergotropy mode bool", lambda: net().ergotropy([1.0], True), r"mode must be an integer"),
    ("ergotropy t negative", lambda: net().ergotropy([-1.0], 0), r"\bt must be >= 0"),
    ("ergotropy initial", lambda: net().ergotropy([1.0], 0, initial=GaussianState.vacuum(1)), r"initial"),
    ("ergotropy steady of a marginal network", lambda: dark().ergotropy(None, 0), r"no steady state"),
    ("t = inf on a marginal network", lambda: dark().energies([np.inf]), r"t = inf"),
    ("steady_state of a marginal network", lambda: dark().steady_state(), r"steady_state.*no steady state"),
    ("eliminated_drift keep out of range", lambda: net().eliminated_drift([0, 5]), r"keep must be in"),
    ("eliminated_drift keep repeated", lambda: net().eliminated_drift([0, 0]), r"keep must list distinct"),
    ("eliminated_drift keep empty", lambda: net().eliminated_drift([]), r"keep"),
    ("eliminated_drift keep float", lambda: net().eliminated_drift([0.0]), r"keep must be an integer"),
    ("eliminated_drift keep string", lambda: net().eliminated_drift("0"), r"keep must be a sequence"),
    ("eliminated_drift undamped eliminated mode",
     lambda: LinearNetwork(np.zeros((3, 3)), loss=[0.1, 0.1, 0.0]).eliminated_drift([0, 1]), r"keep"),
    ("susceptibility omega NaN", lambda: net().susceptibility([np.nan]), r"omega"),
    ("isolation mode out of range", lambda: net().isolation([0.0], 0, 7), r"\bb\b"),
    ("to_qutip cutoff inf (issue 11)", lambda: net().to_qutip(np.inf), r"cutoff"),
    ("to_qutip cutoff 1", lambda: net().to_qutip(1), r"cutoff"),
    ("to_qutip cutoff float", lambda: net().to_qutip(3.0), r"cutoff"),
    ("to_qutip cutoff per mode", lambda: net().to_qutip([3]), r"cutoff"),
    ("to_qutip cutoff huge", lambda: net().to_qutip(10**4), r"cutoff"),
    # ---------------------------------------------------------------- builder
    ("nonreciprocal_hopping gamma", lambda: builder.nonreciprocal_hopping(-1.0), r"gamma"),
    ("nonreciprocal_hopping c_src", lambda: builder.nonreciprocal_hopping(1.0, np.nan), r"c_src"),
    ("nonreciprocal_hopping c_dst", lambda: builder.nonreciprocal_hopping(1.0, 1.0, "x"), r"c_dst"),
    ("mode name", lambda: NetworkBuilder().mode(3), r"mode name"),
    ("mode duplicate", lambda: nb().mode("a"), r"already exists"),
    ("mode detuning NaN", lambda: NetworkBuilder().mode("x", detuning=np.nan), r"detuning"),
    ("mode detuning complex", lambda: NetworkBuilder().mode("x", detuning=1j), r"detuning must be real"),
    ("mode loss negative", lambda: NetworkBuilder().mode("x", loss=-1), r"loss"),
    ("mode omega negative (issue 11)", lambda: NetworkBuilder().mode("x", omega=-1), r"omega"),
    ("mode omega NaN (issue 11)", lambda: NetworkBuilder().mode("x", omega=np.nan), r"omega"),
    ("index unknown", lambda: nb().index("z"), r"unknown mode"),
    ("hop J list (issue 11)", lambda: nb().hop("a", "b", J=[1, 2]), r"\bJ\b"),
    ("hop J NaN", lambda: nb().hop("a", "b", np.nan), r"\bJ\b"),
    ("hop unknown a", lambda: nb().hop("z", "b", 1.0), r"\ba: unknown mode"),
    ("hop unknown b", lambda: nb().hop("a", "z", 1.0), r"\bb: unknown mode"),
    ("hop same mode", lambda: nb().hop("a", "a", 1.0), r"two different modes a and b"),
    ("shared_bath rate", lambda: nb().shared_bath(-1.0, {"a": 1}), r"\brate\b"),
    ("shared_bath coefficients empty", lambda: nb().shared_bath(1.0, {}), r"coefficients"),
    ("shared_bath coefficients list", lambda: nb().shared_bath(1.0, [1, 1]), r"coefficients"),
    ("shared_bath coefficient NaN", lambda: nb().shared_bath(1.0, {"a": np.nan}), r"coefficients\['a'\]"),
    ("shared_bath coefficients zero", lambda: nb().shared_bath(1.0, {"a": 0}), r"coefficients"),
    ("shared_bath unknown", lambda: nb().shared_bath(1.0, {"z": 1}), r"coefficients: unknown mode"),
    ("drive amplitude", lambda: nb().drive("a", "big"), r"amplitude"),
    ("drive unknown mode", lambda: nb().drive("z", 1.0), r"name: unknown mode"),
    ("nonreciprocal_link gamma (issue 11)", lambda: nb().nonreciprocal_link("a", "b", gamma=-1), r"\bgamma\b"),
    ("nonreciprocal_link phase", lambda: nb().nonreciprocal_link("a", "b", 0.1, phase=np.inf), r"phase"),
    ("nonreciprocal_link src", lambda: nb().nonreciprocal_link("z", "b", 0.1), r"src: unknown mode"),
    ("nonreciprocal_link dst", lambda: nb().nonreciprocal_link("a", "z", 0.1), r"dst: unknown mode"),
    ("nonreciprocal_link same", lambda: nb().nonreciprocal_link("a", "a", 0.1), r"src and dst"),
    ("build unknown option (issue 11)", lambda: nb().build(foo=1), r"foo"),
    ("build no modes", lambda: NetworkBuilder().build(), r"no modes"),
    ("build n_th", lambda: nb().build(n_th=-1), r"n_th"),
    # ---------------------------------------------------------------- gaussian
    ("gaussian_ergotropy V shape", lambda: gaussian_ergotropy(0.0, np.eye(3)), r"\bV\b"),
    ("gaussian_ergotropy V unphysical", lambda: gaussian_ergotropy(0.0, 0.1 * np.eye(2)), r"\bV is not"),
    ("gaussian_ergotropy V asymmetric", lambda: gaussian_ergotropy(0.0, [[1, 0.2], [0, 1]]), r"\bV must be symmetric"),
    ("gaussian_ergotropy V NaN", lambda: gaussian_ergotropy(0.0, [[np.nan, 0], [0, 1]]), r"\bV\b"),
    ("gaussian_ergotropy alpha", lambda: gaussian_ergotropy(np.inf, 0.5 * np.eye(2)), r"alpha"),
    ("gaussian_ergotropy alpha array", lambda: gaussian_ergotropy([1, 2], 0.5 * np.eye(2)), r"alpha"),
    ("ergotropy_from_moments n", lambda: gaussian.ergotropy_from_moments(0, -1.0, 0), r"\bn must be >= 0"),
    ("ergotropy_from_moments m", lambda: gaussian.ergotropy_from_moments(0, 0.1, 1.0), r"\bm is too large"),
    ("ergotropy_from_moments alpha", lambda: gaussian.ergotropy_from_moments(np.nan, 0.1, 0), r"alpha"),
    ("ergotropy_from_moments shapes", lambda: gaussian.ergotropy_from_moments([0, 0], [0.1] * 3, 0), r"broadcast"),
    ("quadrature_covariance N shape", lambda: gaussian.quadrature_covariance(np.zeros(3), np.zeros(3)), r"\bN\b"),
    ("quadrature_covariance M shape", lambda: gaussian.quadrature_covariance(np.zeros((2, 2)), np.zeros((3, 3))), r"\bM\b"),
    ("quadrature_covariance N NaN", lambda: gaussian.quadrature_covariance(np.full((1, 1), np.nan), np.zeros((1, 1))), r"\bN\b"),
    # ---------------------------------------------------------------- steady
    ("solve_alpha_ss A", lambda: steady.solve_alpha_ss(np.zeros((2, 3)), [0, 0]), r"\bA\b"),
    ("solve_alpha_ss F", lambda: steady.solve_alpha_ss(A2, [1, 2, 3]), r"\bF\b"),
    ("fluctuations_ss Q", lambda: steady.fluctuations_ss(A2, np.zeros((3, 3)), P2), r"\bQ\b"),
    ("fluctuations_ss P", lambda: steady.fluctuations_ss(A2, Q2, np.full((2, 2), np.nan)), r"\bP\b"),
    # ---------------------------------------------------------------- propagation
    ("frobenius A", lambda: propagation.frobenius([np.nan]), r"\bA\b"),
    ("step_propagators A growing", lambda: propagation.step_propagators(np.eye(2), [1.0]), r"\bA must be the drift"),
    ("step_propagators steps", lambda: propagation.step_propagators(A2, [-1.0]), r"steps"),
    ("step_propagators b", lambda: propagation.step_propagators(A2, [1.0], b=[1.0]), r"\bb\b"),
    ("step_propagators Q", lambda: propagation.step_propagators(A2, [1.0], Q=np.eye(3)), r"\bQ\b"),
    ("evolve ts unsorted", lambda: propagation.evolve(A2, [2.0, 1.0]), r"\bts must be strictly increasing"),
    ("evolve ts negative", lambda: propagation.evolve(A2, [-1.0]), r"\bts must be >= 0"),
    ("evolve alpha0", lambda: propagation.evolve(A2, [1.0], alpha0=[1.0]), r"alpha0"),
    ("evolve N0", lambda: propagation.evolve(A2, [1.0], N0=np.eye(3)), r"\bN0\b"),
    ("dark_split h", lambda: propagation.dark_split([[0, 1], [2, 0]], np.eye(2), 0.0), r"\bh must be Hermitian"),
    ("dark_split K", lambda: propagation.dark_split(np.zeros((2, 2)), -np.eye(2), 0.0), r"\bK must be"),
    ("dark_split tol", lambda: propagation.dark_split(np.zeros((2, 2)), np.eye(2), -1.0), r"tol_K"),
    ("split_step_propagators split", lambda: propagation.split_step_propagators(None, [1.0]), r"split"),
    ("split_step_propagators steps", lambda: propagation.split_step_propagators(SPLIT, [np.nan]), r"steps"),
    ("DarkSplit.to_split N", lambda: SPLIT.to_split(N=np.eye(3)), r"\bN\b"),
    ("DarkSplit.from_split alpha", lambda: SPLIT.from_split(alpha=np.zeros(2)), r"alpha"),
    ("dark_tolerances K shape", lambda: propagation.dark_tolerances(np.zeros((2, 2)), np.eye(3)), r"\bK\b"),
    ("dark_tolerances h", lambda: propagation.dark_tolerances("h", np.eye(2)), r"\bh\b"),
    ("decay_bound K", lambda: propagation.decay_bound(np.zeros(3)), r"\bK\b"),
    ("sparse_amplitudes d0", lambda: propagation.sparse_amplitudes(A2, [1.0], [1.0], 0.1), r"d0"),
    ("sparse_amplitudes mu", lambda: propagation.sparse_amplitudes(A2, [1.0], [1.0, 0], "x"), r"\bmu\b"),
    ("sparse_amplitudes t", lambda: propagation.sparse_amplitudes(A2, [2.0, 1.0], [1.0, 0], 0.1), r"\bt must"),
    # ---------------------------------------------------------------- validation
    ("finite_array", lambda: validation.finite_array([1, np.nan], "xx"), r"\bxx\b"),
    ("finite_array string", lambda: validation.finite_array("1", "xx"), r"\bxx must be numeric"),
    ("finite_array complex for real", lambda: validation.finite_array(1j, "xx", dtype=float), r"\bxx must be real"),
    ("real_array shape", lambda: validation.real_array([1, 2], "xx", shape=(3,)), r"\bxx must have shape"),
    ("real_array sign", lambda: validation.real_array([-1], "xx", nonnegative=True), r"\bxx must be >= 0"),
    ("finite_complex array", lambda: validation.finite_complex([1, 2], "xx"), r"\bxx must be a single number"),
    ("real complex", lambda: validation.real(1 + 1j, "xx"), r"\bxx must be real"),
    ("real bool", lambda: validation.real(True, "xx"), r"\bxx must be numeric"),
    ("rate negative", lambda: validation.rate(-1, "xx"), r"\bxx must be >= 0"),
    ("positive zero", lambda: validation.positive(0, "xx"), r"\bxx must be > 0"),
    ("count float (float where int)", lambda: validation.count(2.0, "xx"), r"\bxx must be an integer"),
    ("count small", lambda: validation.count(0, "xx"), r"\bxx must be an integer >= 1"),
    ("index out of range", lambda: validation.index(3, "xx", 3), r"\bxx must be in"),
    ("index float", lambda: validation.index(1.0, "xx", 3), r"\bxx must be an integer"),
    ("rates shape", lambda: validation.rates([1, 2], "xx", 3), r"\bxx must be a scalar or have 3"),
    ("rates negative", lambda: validation.rates([-1], "xx"), r"\bxx must be >= 0"),
    ("times inf", lambda: validation.times([np.inf]), r"\bt must be finite"),
    ("times negative", lambda: validation.times([-1.0], nonnegative=True), r"\bt must be >= 0"),
    ("times_1d 2-D", lambda: validation.times_1d(np.zeros((2, 2)), name="tt"), r"\btt must be a 1-D"),
    # ---------------------------------------------------------------- qutip bridge
    ("mode_operators n", lambda: qutip_bridge.mode_operators(3, 0), r"\bn must be an integer"),
    ("mode_operators cutoff", lambda: qutip_bridge.mode_operators(2.5, 1), r"cutoff"),
    ("network_to_qutip net", lambda: qutip_bridge.network_to_qutip("net", 3), r"\bnet must be"),
    ("reduced_ergotropy rho", lambda: qutip_bridge.reduced_ergotropy(np.eye(2), 0), r"\brho must be"),
    ("reduced_ergotropy mode", lambda: qutip_bridge.reduced_ergotropy(RHO, 2), r"\bmode must be in"),
    ("reduced_ergotropy omega", lambda: qutip_bridge.reduced_ergotropy(RHO, 0, omega=-1.0), r"\bomega must be >= 0"),
    # ---------------------------------------------------------------- symbolic
    ("modes names int", lambda: symbolic.modes(3), r"names"),
    ("modes names empty", lambda: symbolic.modes(""), r"names"),
    ("modes names repeated", lambda: symbolic.modes("a a"), r"names must be distinct"),
    ("moment ops", lambda: symbolic.moment(sp.Symbol("x")), r"\bops must be bosonic"),
    ("heisenberg channels", lambda: symbolic.heisenberg(a_op, 0, channels=[(1,)]), r"channels\[0\]"),
    ("dissipator_adjoint L", lambda: symbolic.dissipator_adjoint(a_op, 3), r"\bL must be"),
    ("dissipator_adjoint rate", lambda: symbolic.dissipator_adjoint(a_op, b_op, sp.nan), r"\brate must be finite"),
    ("heisenberg channels string", lambda: symbolic.heisenberg(a_op, 0, channels="x"), r"channels"),
    ("drift_matrix_from_master_equation ops", lambda: symbolic.drift_matrix_from_master_equation([], 0), r"\bops\b"),
    ("drift_matrix_from_master_equation ops creation", lambda: symbolic.drift_matrix_from_master_equation([sp.Symbol("a")], 0), r"\bops\b"),
]


@pytest.mark.parametrize("label, call, name", ROWS, ids=[r[0] for r in ROWS])
def test_bad_input_raises_value_error_naming_the_parameter(label, call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_every_public_callable_of_the_engine_has_a_row():
    """The table covers each public function and each public method taking arguments."""
    import inspect

    labels = " ".join(r[0] for r in ROWS)
    modules = [builder, gaussian, propagation, qutip_bridge, steady, symbolic, validation]
    missing = []
    for mod in modules:
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isfunction(obj) and name not in labels:
                missing.append(f"{mod.__name__}.{name}")
    methods = [m for m, f in vars(LinearNetwork).items() if inspect.isfunction(f) and not m.startswith("_")]
    methods += [m for m, f in vars(NetworkBuilder).items() if inspect.isfunction(f) and not m.startswith("_")]
    no_arguments = {"eigenvalues", "is_stable"}
    missing += [m for m in methods if m not in labels and m not in no_arguments]
    assert not missing, missing


def test_builder_operations_are_all_or_nothing():
    """Issue 11: a failed nonreciprocal_link left a half-built shared bath in the builder."""
    b = nb()
    before = b.build()
    for bad in (lambda: b.nonreciprocal_link("a", "b", gamma=-1),
                lambda: b.nonreciprocal_link("a", "b", gamma=0.1, phase=np.nan),
                lambda: b.nonreciprocal_link("a", "z", gamma=0.1),
                lambda: b.hop("a", "b", [1, 2]),
                lambda: b.shared_bath(0.1, {"a": 1.0, "z": 1.0}),
                lambda: b.shared_bath(0.1, {"a": 1.0, "b": np.nan}),
                lambda: b.drive("a", np.nan),
                lambda: b.mode("c", loss=0.1, omega=-1)):
        with pytest.raises(ValueError):
            bad()
    after = b.build()
    assert b.names == ["a", "b"]
    np.testing.assert_array_equal(after.drift, before.drift)
    np.testing.assert_array_equal(after.noise[0], before.noise[0])
    assert len(after.channels) == len(before.channels)


def test_the_engine_refuses_to_return_overflowed_numbers():
    """Results beyond double precision raise instead of returning inf or NaN."""
    huge = LinearNetwork([[0.0]], loss=[1e-300], drive=[1e10])
    with pytest.raises(ValueError, match="overflow"):
        huge.steady_state()
    grow = LinearNetwork([[0.0, 0.0], [0.0, 0.0]], loss=[0.0, 1.0], drive=[1e200, 0])
    with pytest.raises(ValueError, match="overflow"):
        grow.energies([1e200])
