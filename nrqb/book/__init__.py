"""Presentation only: the book's plotting style, schematics drawn from the model, tables of
printed against computed numbers, and figure export (``python -m nrqb.book.figures OUTDIR``).
Nothing in :mod:`nrqb` depends on this subpackage."""
