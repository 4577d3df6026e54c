"""pytest configuration for the notebooks of the book (nbval).

nbval compares the outputs of the cells marked ``# NBVAL_CHECK_OUTPUT`` with the stored ones, as
text.  A float printed or glued in full (``repr``, 17 digits) differs in its last digits from one
CPU to another (the BLAS kernels round differently: on 2026-12-04 seven glued values of zhao, lin
and lin_beyond differed from the stored ones by 1e-16 to 2e-13 relative), which is not a change of
the book.  So before the comparison every decimal number in a checked output is rounded to
``SIGNIFICANT`` significant digits (and ``-0`` is written ``0``), in the stored and the new output
alike: ``0.9999999999999998`` and ``1.0`` compare equal, a change of one unit in the 10th
significant digit still fails.  A number that rounds differently on the two sides of a boundary
(a change of ~1e-13 relative that crosses ...5 in the 11th digit) would still differ; none does
now.

nbval's own ``--nbval-sanitize-with`` takes regular expressions only, which cannot round; this
wraps nbval's sanitize step instead, and only when nbval is loaded.

It does not set ``NRQB_FAST_EXIT`` (``nrqb.book.plotting.FAST_EXIT_ENV``): nbval stops its
kernels with SIGKILL, so a fast exit would save nothing, and the notebooks are tested as a reader
runs them.
"""

from __future__ import annotations

import re

#: significant digits kept in the comparison of checked outputs
SIGNIFICANT = 10

#: a decimal number: with a point, or an integer with an exponent
NUMBER = re.compile(r"-?(?:\d+\.\d*|\.\d+|\d+(?=[eE][-+]?\d))(?:[eE][-+]?\d+)?")


def round_numbers(text: str) -> str:
    """``text`` with every decimal number rounded to ``SIGNIFICANT`` significant digits."""

    def _round(m: re.Match) -> str:
        r = f"{float(m.group(0)):.{SIGNIFICANT}g}"
        return "0" if float(r) == 0 else r

    return NUMBER.sub(_round, text)


def pytest_configure(config):
    if not config.pluginmanager.hasplugin("nbval"):
        return
    from nbval.plugin import IPyNbCell

    if getattr(IPyNbCell.sanitize, "_rounds_numbers", False):
        return
    original = IPyNbCell.sanitize

    def sanitize(self, s):
        s = original(self, s)
        return round_numbers(s) if isinstance(s, str) else s

    sanitize._rounds_numbers = True
    IPyNbCell.sanitize = sanitize
