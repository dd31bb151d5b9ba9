"""Results of a valued ERGM fit: statnet's summary layout, with a count model's null deviance."""

from __future__ import annotations

from dataclasses import dataclass

from medkit.ergm.results import ERGMResults


@dataclass
class ValuedERGMResults(ERGMResults):
    """A fitted valued (count) ERGM; the same attributes and ``summary()`` as ERGMResults.

    ``loglik`` is the log-likelihood with respect to counting measure (it includes the Poisson
    reference ``-sum log y_ij!``), so AIC and BIC compare with Poisson gravity models of the
    same counts; the null model is ``theta = 0`` (every count Poisson with mean 1), as statnet's.
    """

    @property
    def null_deviance(self) -> float:
        return float(-2 * (self.model.log_reference - self.model.n_dyads))

    def _header(self) -> list[str]:
        kind = {
            "MLE": "Maximum likelihood, exact (Poisson regression over pairs for sum-type "
            "terms; hurdle Poisson with nonzero-type terms)",
            "MCMC-MLE": "Monte Carlo MLE (Markov chain Monte Carlo over counts, Poisson proposal)",
        }[self.method]
        return [
            f"Valued ERGM: {self.model.formula}",
            f"Network: {self.model.n} nodes, directed, {self.nobs} pairs; response "
            f"{self.model.response_name!r}, reference Poisson",
            f"Estimation: {kind}",
        ]

    def __repr__(self) -> str:
        return f"<ValuedERGMResults {self.method}: {self.model.formula}>"
