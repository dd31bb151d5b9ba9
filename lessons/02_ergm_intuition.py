# %% [markdown]
# # 02. ERGM intuition: from coin flips to triangles
# **Goal:** understand what an exponential random graph model (ERGM) says, why some ERGMs are
# plain logistic regressions and others need Markov chain Monte Carlo, and how to spot a
# degenerate model.
#
# **Prerequisites:** lesson 00; logistic regression (log-odds) at the level of an intro course.

# %% [markdown] tags=["instructor"]
# **Instructor note** (not in the student edition). About 45 min to teach (an estimate). Spend
# the time on change statistics; then MPLE = MLE for dyad-independent models follows. The
# degeneracy section is the memorable moment: run it live. Objectives, tracks, run times and
# common questions: `INSTRUCTORS.md`.

# %%
from medkit.lesson import setup_lesson

setup_lesson()

# %%
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from medkit import ergm
from medkit.ergm.datasets import florentine_marriage

# %% [markdown]
# ## 1. A coin-flip network
# Flip one biased coin for each pair of nodes: heads, a tie. This is the Erdos-Renyi network, and
# it is the ERGM with a single statistic, the number of edges:
# $P(Y = y) \propto \exp(\theta_{edges} \cdot edges(y))$.
# The coefficient is the **log-odds** of a tie, so the density is $1 / (1 + e^{-\theta})$.
# We simulate coin-flip networks of 16 nodes and compare the fitted coefficient with the log-odds
# of the observed density.

# %%
coin = nx.gnp_random_graph(16, 0.25, seed=2)
coin_fit = ergm.fit(coin, "edges")
density = nx.density(coin)
print(
    f"density {density:.3f}, log-odds {np.log(density / (1 - density)):.4f}, "
    f"edges coefficient {coin_fit.params['edges']:.4f}"
)

# %%
theta = np.linspace(-4, 2, 50)
fig, ax = plt.subplots()
ax.plot(theta, 1 / (1 + np.exp(-theta)))
ax.scatter([coin_fit.params["edges"]], [density], color="C3", zorder=3, label="our coin network")
ax.set_xlabel("edges coefficient (log-odds)")
ax.set_ylabel("expected density")
ax.legend()
title = ax.set_title("Edges-only ERGM: the coefficient is the log-odds of a tie")

# %% [markdown]
# *Figure: the logistic curve from the edges coefficient to the expected density; our coin
# network's fitted coefficient and observed density sit exactly on it.*

# %% [markdown]
# ## 2. Change statistics and the conditional logit
# Take any pair $(i, j)$ and hold the rest of the network fixed. The ERGM then says
# $\text{logit}\,P(Y_{ij} = 1 \mid \text{rest}) = \theta \cdot \delta_{ij}$, where
# $\delta_{ij}$, the **change statistic**, is how much each statistic grows when the tie is
# added. For edges it is always 1; for triangles it is the number of shared partners of $i$ and
# $j$. Here are the change statistics of a few pairs of Padgett's Florentine marriage network.

# %%
flo = florentine_marriage()
model = ergm.Model(flo, "edges + nodecov('wealth') + triangle")
X, y = model.change_matrix()
rows, cols = model.dyads()
pairs = pd.DataFrame(X, columns=model.coef_names)
pairs.insert(
    0, "pair", [f"{model.nodes[i]}-{model.nodes[j]}" for i, j in zip(rows, cols, strict=True)]
)
pairs["tie"] = y.astype(int)
pairs.sort_values("triangle", ascending=False).head(6)

# %% [markdown]
# ## 3. Why dyad independence makes MPLE exact
# When every change statistic depends only on the pair itself (edges, node covariates, edge
# covariates), the pairs are independent given $\theta$ and the ERGM **is** a logistic regression
# over pairs. Its maximum (pseudo-)likelihood is the exact MLE: here it reproduces statnet's
# published Florentine numbers to the last digit.

# %%
wealth_fit = ergm.fit(flo, "edges + nodecov('wealth')")
wealth_fit.summary()

# %% [markdown]
# ## 4. Directed networks: reciprocity with `mutual`
# The mobility networks of Lessons 01, 03 and 04 are **directed**: a tie i -> j (movers from i
# to j) says nothing by itself about j -> i. Directed networks often have more two-way pairs
# than chance gives. The `mutual` statistic counts the pairs tied both ways; a positive
# coefficient means a tie i -> j is more likely when j -> i exists.
#
# A small simulated example: 30 nodes, drawn from `edges + mutual` at coefficients we choose,
# so we know the truth. Reciprocity (the share of ties that are returned) is far above the
# density, which is what two-way ties would reach by chance.

# %%
true_coef = {"edges": -3.0, "mutual": 2.5}
empty = nx.DiGraph()
empty.add_nodes_from(range(30))
directed = ergm.simulate(
    ergm.Model(empty, "edges + mutual"), 1, coef=list(true_coef.values()), seed=11
)[0]
mutual_fit = ergm.fit(directed, "edges + mutual")
print(
    f"{directed.number_of_edges()} ties among {30 * 29} ordered pairs: density "
    f"{nx.density(directed):.3f}, reciprocity {nx.reciprocity(directed):.3f}"
)
pd.DataFrame(
    {
        "true": pd.Series(true_coef),
        "fitted": mutual_fit.params,
        "std. error": mutual_fit.bse,
        "gap (SE)": (mutual_fit.params - pd.Series(true_coef)) / mutual_fit.bse,
    }
).round(3)

# %% [markdown]
# The fit lands within two standard errors of the truth (last column). Given the rest of the
# network, each pair's four states (no tie, i -> j, j -> i, both) depend only on that pair,
# so `mutual` keeps pairs independent of each other and `medkit` fits it exactly (method
# `"dyad MLE"`), without MCMC. Exercise 5 asks you to do the same on the Zhejiang mobility
# network.
#
# ## 5. Triangles need MCMC
# A triangle term makes a tie more likely when it closes triangles, so pairs depend on each other.
# The logistic regression on change statistics (MPLE) is then only an approximation, and the
# normalising constant sums over all $2^{120}$ networks. MCMC-MLE samples networks with a
# Metropolis-Hastings chain that toggles one tie at a time, and adjusts $\theta$ until the simulated
# statistics match the observed ones.

# %%
tri_mple = ergm.fit(flo, "edges + triangle", method="MPLE")
tri_mcmle = ergm.fit(flo, "edges + triangle", seed=42, progress=False)
kstar_fit = ergm.fit(flo, "edges + kstar(2)", seed=7, progress=False)
edges_fit = ergm.fit(flo, "edges")

# %% [markdown]
# Our numbers next to statnet's (R `ergm` 4.6; MCMC estimates agree within Monte Carlo error):

# %%
from medkit.ergm.datasets import statnet_comparison

table = statnet_comparison(
    {
        "edges": edges_fit,
        "edges + nodecov(wealth)": wealth_fit,
        "edges + triangle (MPLE)": tri_mple,
        "edges + triangle (MCMC-MLE)": tri_mcmle,
        "edges + kstar(2) (MCMC-MLE)": kstar_fit,
    }
)
table.round(4)

# %% [markdown]
# The paper-style comparison table that later lessons use:

# %%
ergm.compare([edges_fit, wealth_fit, tri_mcmle], ["Bernoulli", "Wealth", "Triangle"])

# %% [markdown]
# ## 6. Reading an MCMC fit: trace plots
# An MCMC-MLE is only as good as its last sample of simulated networks. Two checks, the same
# as statnet's `mcmc.diagnostics`: the **trace** of each statistic (simulated minus observed,
# draw after draw) should wander around zero without drift, and its **autocorrelation**
# should die out within a few lags (the draws are nearly independent). The table gives the
# same in numbers: a standardised difference near 0 and a large effective sample size.

# %%
ergm.mcmc_diagnostics(tri_mcmle).round(3)

# %%
from medkit.ergm.diagnostics import plot_mcmc_diagnostics

trace_axes = plot_mcmc_diagnostics(tri_mcmle)
trace_axes[0, 0].figure.tight_layout()

# %% [markdown]
# *Figure: for each statistic of the edges + triangle fit, the simulated minus observed value
# over the final sample (left) and its autocorrelation by lag (right); the traces centre on
# zero and the autocorrelation dies out within a few lags.*
#
# Lesson 03 reads the same plots for a national refit that has **not** converged: there the
# traces sit away from zero.
#
# ## 7. gwesp: triangles with diminishing returns
# The triangle term rewards every closed triangle equally, which is what makes it run away
# (section 8). The **geometrically weighted edgewise shared partner** statistic, `gwesp`,
# counts each tie by its number $k$ of shared partners, with diminishing returns: the first
# shared partner adds 1, each further one adds less, by the **decay** $\alpha$:
# $w(k) = e^{\alpha}\{1 - (1 - e^{-\alpha})^k\}$. With $\alpha = 0$ only the first shared
# partner counts; as $\alpha$ grows, $w(k)$ approaches $k$, the triangle-like count. Lessons
# 03 and 04 use `gwesp(0.5, fixed=True)`.

# %%
from medkit.solutions.ergm_intuition import gwesp_weight

k = np.arange(0, 9)
fig, ax = plt.subplots(figsize=(6, 3.8))
ax.plot(k, k, color="k", ls="--", label="triangle-like count (k)")
# Okabe-Ito colours, and a line style each, so the curves stay apart for every reader
for decay, style, colour in [
    (0.0, ":", "#0072B2"),
    (0.5, "-", "#E69F00"),
    (1.0, "-.", "#009E73"),
    (2.0, "--", "#CC79A7"),
]:
    ax.plot(k, [gwesp_weight(int(j), decay) for j in k], ls=style, marker="o", ms=3,
            color=colour, label=f"gwesp, decay {decay:g}")  # fmt: skip
ax.set_xlabel("shared partners k of a tie")
ax.set_ylabel("what the tie adds to the statistic")
ax.set_ylim(0, 8.5)
ax.legend(frameon=False)
title = ax.set_title("gwesp discounts each extra shared partner")

# %% [markdown]
# *Figure: what one tie with k shared partners adds to gwesp for decays 0, 0.5, 1 and 2,
# against the count k; at decay 0.5 the curve levels off near 1.6, so piling more triangles
# onto one tie gains little, and the model does not run away.*
#
# ## 8. Degeneracy, shown
# Push the triangle coefficient up and the chain "runs away": once a few triangles form, every new
# tie closes more of them, and the network fills up. Below, the same chain started from the
# observed network at two parameter values; with a large triangle coefficient the edge count
# jumps to the complete graph (120 ties) and stays there. Such a model cannot describe the data,
# and `medkit` warns (`DegeneracyWarning`) instead of returning garbage.

# %%
import warnings

flo_model = ergm.Model(flo, "edges + triangle")
fig, ax = plt.subplots()
fitted_coef = tri_mcmle.params.to_numpy()
for coef, label in [
    (fitted_coef, f"our MCMC-MLE (triangle = {fitted_coef[1]:.3f})"),
    ([fitted_coef[0], 1.2], "triangle = 1.2"),
]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trace = ergm.simulate(
            flo_model, 300, coef=coef, output="stats", interval=20, burnin=0, seed=3
        )
    for warning in caught:
        print(f"{label}: {warning.category.__name__}: {warning.message}")
    ax.plot(trace["edges"].to_numpy(), label=label)
ax.axhline(20, color="k", lw=1, ls="--", label="observed")
ax.set_xlabel("sample (every 20 toggles)")
ax.set_ylabel("edges")
ax.legend()
title = ax.set_title("A run-away chain: degeneracy of edges + triangle")

# %% [markdown]
# *Figure: the edge count of chains started at the observed network; at the fitted
# coefficients it stays near the observed 20 ties, at triangle = 1.2 it runs to the complete
# graph of 120 ties.*

# %% [markdown]
# ## 9. Play with the parameters
# The widget simulates a 16-node network from `edges + triangle` at the coefficients you choose.
# Watch the network flip from sparse to complete as the triangle slider crosses a narrow band.

# %%
# NBVAL_IGNORE_OUTPUT
from medkit.widgets.ergm import ergm_simulation_widget

ergm_simulation_widget(seed=1)

# %% [markdown]
# *Figure: the widget's default view, one network simulated from the edges and triangle
# coefficients it starts at; move the sliders in a live notebook to see how ties and
# triangles respond.*
#
# ## 10. Goodness of fit
# Does the fitted triangle model reproduce features it was not fitted to? Simulated degree,
# shared-partner and geodesic distributions against the observed ones (black line).

# %%
fit_check = ergm.gof(tri_mcmle, nsim=100, seed=1, progress=False)
axes = fit_check.plot()

# %% [markdown]
# *Figure: degree, edgewise shared partner and geodesic distance distributions, and the
# model's own statistics, of 100 networks simulated from the triangle fit (boxes) against the
# observed network (line).*

# %% [markdown]
# ## Exercises
# Replace each `...` with your answer and run the cell. Stuck? In a new cell,
# `solutions.hint(1)` gives a hint and `solutions.show(1)` the worked answer.
#
# **1.** A network has density 0.1. What is the edges coefficient of its edges-only ERGM?
# Give it to two decimal places.

# %%
from medkit.solutions import ergm_intuition as solutions

my_answer = ...
solutions.check(1, my_answer)

# %% [markdown]
# **2.** Nodes $i$ and $j$ are not tied and have 3 neighbours in common. By how much does the
# triangle statistic change if we add the tie $i$–$j$? (a whole number)

# %%
my_answer = ...
solutions.check(2, my_answer)

# %% [markdown]
# **3. Interpret.** Which model needs MCMC to be fitted exactly? (a) `edges +
# nodecov('wealth')`; (b) `edges + triangle`; (c) both; (d) neither. Answer with a letter.

# %%
my_answer = ...
solutions.check(3, my_answer)

# %% [markdown]
# **4.** How much does one tie with 3 shared partners add to `gwesp` with decay 0.5? Give it
# to two decimal places (the formula is in section 7).

# %%
my_answer = ...
solutions.check(4, my_answer)

# %% [markdown]
# **5. Write the code.** Fit `edges + mutual` to the directed synthetic Zhejiang mobility
# network of Lesson 01 (`zj_graph` below) and pass the fit; the check reads its terms, its
# network and its estimates. Is there more reciprocity than chance?

# %%
from medkit import data

zj_graph = data.mobility_network("zhejiang")
zj_mutual = ...
solutions.check(5, zj_mutual)

# %% [markdown]
# **6. Interpret.** Another fit's autocorrelation plot (as in section 6) stays near 0.9 all
# the way to lag 30. What does that say? (a) the draws are nearly independent: good;
# (b) successive draws are nearly copies: the effective sample is small, so take more toggles
# between draws; (c) the model is degenerate.

# %%
my_answer = ...
solutions.check(6, my_answer)

# %% [markdown]
# ## Summary
# - **What is an ERGM, and why do some need MCMC?** An ERGM gives every possible network a
#   probability through a few statistics (edges, mutual pairs, triangles, covariates). When
#   each pair's change statistic depends only on that pair, it is a logistic regression and
#   is fitted exactly; when it depends on other ties (triangles, gwesp), the probability's
#   normalising constant cannot be computed, and MCMC simulates networks to fit it.
# - An ERGM puts a probability on every network through a few statistics; the edges-only model is
#   the coin-flip (Erdos-Renyi) network and its coefficient is the log-odds of a tie.
# - The change statistic turns an ERGM into a conditional logit for each pair.
# - Dyad-independent models are logistic regressions: the MPLE is the exact MLE.
# - `mutual` models reciprocity in directed networks and is still fitted exactly.
# - Triangles (and stars, gwesp) make pairs depend on each other: fit by MCMC-MLE, and judge
#   the fit by its trace plots. gwesp's decay discounts extra shared partners.
# - Some parameter values are degenerate: the chain runs to empty or complete graphs.
#
# ## Further reading
# - Fu H, Lu J (2025). Structural imbalance of medical resources amid population mobility and
#   digital empowerment. *Frontiers in Public Health*. doi:10.3389/fpubh.2025.1613293
# - Hunter, Handcock, Butts, Goodreau & Morris (2008), *ergm: A package to fit, simulate and
#   diagnose exponential-family models for networks*, Journal of Statistical Software 24(3).
# - Handcock (2003), *Assessing degeneracy in statistical models of social networks*.
# - Hunter DR (2007). Curved exponential family models for social networks. *Social
#   Networks* 29(2). (gwesp and its decay.)
