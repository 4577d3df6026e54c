"""Tables of numbers printed in a paper against the book's own, for every chapter.

A row states what is compared, the paper's value and where it comes from (a number printed in the
text or a caption, or a formula of the paper that the book evaluated), the book's value, their
relative difference and a word on any difference::

    >>> from nrqb.book.tables import NumbersTable
    >>> t = NumbersTable()
    >>> _ = t.add("steady E_B / omega (Fig. 2)", 74.88, 74.8801, source="formula",
    ...           comment="paper Eq. (8) evaluated")
    >>> print(t.to_markdown().splitlines()[2])
    | steady E_B / omega (Fig. 2) | 74.88 | paper formula | 74.8801 | +0.0 % | paper Eq. (8) evaluated |

Presentation only: the comparison itself is asserted in the notebook or the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from numbers import Real
from typing import Any

__all__ = ["SOURCES", "relative_difference", "NumbersTable"]

#: what the "paper value" column can be: a number printed in the paper, or one of the paper's
#: formulas evaluated by the book (the paper printed no number)
SOURCES = {"printed": "printed in the paper", "formula": "paper formula", "figure": "read off a figure"}


def relative_difference(ours: Any, paper: Any, *, digits: int = 1) -> str:
    """``ours / paper - 1`` as a signed percentage, or ``"n/a"`` when either is not a number.

    Rounded to ``digits`` decimals of a percent so that a checked output is stable; values below
    the rounding are printed as ``+0.0 %`` (never hidden).
    """
    if not (isinstance(ours, Real) and isinstance(paper, Real)) or paper == 0:
        return "n/a"
    return f"{(float(ours) / float(paper) - 1) * 100:+.{digits}f} %"


def _fmt(value: Any) -> str:
    if isinstance(value, Real) and not isinstance(value, bool):
        return f"{float(value):.6g}"
    return str(value)


@dataclass
class NumbersTable:
    """Rows of (quantity, paper value, its source, our value, relative difference, comment)."""

    rows: list[tuple[str, str, str, str, str, str]] = field(default_factory=list)

    def add(self, quantity: str, paper: Any, ours: Any, *, source: str = "printed",
            comment: str = "", rel: str | None = None) -> "NumbersTable":
        """Add a row.

        Parameters
        ----------
        quantity : str
            What is compared, with the paper's figure or equation number.
        paper, ours : number or str
            The paper's value and the book's value (numbers are shown to 6 significant digits).
        source : {"printed", "formula", "figure"}
            Where the paper's value comes from (:data:`SOURCES`).
        comment : str
            A word on any difference (confirmed, erratum, reading).
        rel : str, optional
            The relative difference as text; by default :func:`relative_difference`.
        """
        if source not in SOURCES:
            raise ValueError(f"source must be one of {sorted(SOURCES)}, got {source!r}")
        if not isinstance(quantity, str) or not quantity:
            raise ValueError(f"quantity must be a non-empty string, got {quantity!r}")
        rel = relative_difference(ours, paper) if rel is None else str(rel)
        self.rows.append((quantity, _fmt(paper), SOURCES[source], _fmt(ours), rel, comment))
        return self

    def to_markdown(self) -> str:
        """The table as Markdown (a header, a rule, one line per row)."""
        head = ["quantity", "paper", "paper value is", "ours", "difference", "comment"]
        lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for row in self.rows:
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:
        return self.to_markdown()
