"""The four papers, reproduced: closed forms (``ahmadi``, ``zhao``, ``lin``, ``liu``), each with the
paper's equation numbers in its docstrings and the forms "as printed" beside the corrected ones,
and their sympy companions (``ahmadi_sym``, ``zhao_sym``, ``lin_sym``, ``liu_sym``).

A paper module depends on the engine (:mod:`nrqb.engine`), never the other way round.
"""
