"""How much of today's output rests on observed evidence, and how much on a population split.

`current_layout.csv` may say, row by row, what placed the output there (`basis`). Planners
read the comparison with today's layout differently when today's layout is partly a
population split, so the reports state the shares.
"""

from __future__ import annotations

import pandas as pd

BASES = ("evidence", "population", "unspecified")


def basis_shares(current_layout: pd.DataFrame) -> dict[str, float]:
    """Share (0-1) of today's total output on each basis; a blank or absent basis counts as
    `unspecified`. All zeros when there is no output today."""
    if "basis" in current_layout:
        basis = current_layout["basis"].fillna("").replace("", "unspecified")
    else:
        basis = pd.Series("unspecified", index=current_layout.index)
    output = current_layout["output"].astype(float).clip(lower=0.0)
    total = float(output.sum())
    by = output.groupby(basis).sum()
    return {b: (float(by.get(b, 0.0)) / total if total > 0 else 0.0) for b in BASES}


def basis_sentence(shares: dict[str, float]) -> str:
    """One line for report.md."""
    return ("Today's layout rests on observed evidence (development zones, listed firms, own "
            f"statistics) for {shares['evidence']:.1%} of its output, on a population split "
            f"for {shares['population']:.1%}, and does not say for "
            f"{shares['unspecified']:.1%}.")
