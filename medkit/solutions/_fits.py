"""Reproduced Fu & Lu fits shared by the answers of Lessons 03 and 04 (cached per process)."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=8)
def reproduced_fit(level: str, model_number: int):
    """Model ``model_number`` of the paper fitted to the synthetic twin of ``level``."""
    from medkit import data, ergm

    return ergm.fit(
        data.mobility_network(level),
        data.model_formula(level, model_number),
        edge_covariates=data.edge_covariates(level),
    )


def odds_ratio_ten_more_hth(level: str) -> float:
    """Odds ratio of an incoming tie for ten more high-tier hospitals (reproduced Model 3)."""
    from medkit.tables import odds_ratio_for_change

    return odds_ratio_for_change(reproduced_fit(level, 3), "nodeicov.HTH", 10)
