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
ax.set_title("Edges-only ERGM: the coefficient is the log-odds of a tie")

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
# ## 4. Reciprocity and triangles need MCMC
# A triangle term makes a tie more likely when it closes triangles, so pairs depend on each other.
# The logistic regression on change statistics (MPLE) is then only an approximation, and the
# normalising constant sums over all $2^{120}$ networks. MCMC-MLE samples networks with a
# Metropolis-Hastings chain that toggles one tie at a time, and adjusts $\theta$ until the simulated
# statistics match the observed ones. (Reciprocity alone, `mutual`, is a special case: pairs stay
# independent of each other, so `medkit` fits it exactly without MCMC.)

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
# ## 5. Degeneracy, shown
# Push the triangle coefficient up and the chain "runs away": once a few triangles form, every new
# tie closes more of them, and the network fills up. Below, the same chain started from the
# observed network at two parameter values; with a large triangle coefficient the edge count
# jumps to the complete graph (120 ties) and stays there. Such a model cannot describe the data,
# and `medkit` warns (`DegeneracyWarning`) instead of returning garbage.

# %%
import warnings

flo_model = ergm.Model(flo, "edges + triangle")
fig, ax = plt.subplots()
for coef, label in [([-1.674, 0.154], "fitted"), ([-1.674, 1.2], "triangle = 1.2")]:
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
ax.set_title("A run-away chain: degeneracy of edges + triangle")

# %% [markdown]
# ## 6. Play with the parameters
# The widget simulates a 16-node network from `edges + triangle` at the coefficients you choose.
# Watch the network flip from sparse to complete as the triangle slider crosses a narrow band.

# %%
# NBVAL_IGNORE_OUTPUT
from medkit.widgets.ergm import ergm_simulation_widget

ergm_simulation_widget(seed=1)

# %% [markdown]
# ## 7. Goodness of fit
# Does the fitted triangle model reproduce features it was not fitted to? Simulated degree,
# shared-partner and geodesic distributions against the observed ones (black line).

# %%
fit_check = ergm.gof(tri_mcmle, nsim=100, seed=1, progress=False)
axes = fit_check.plot()

# %% [markdown]
# ## Exercises
# **1.** A network has density 0.25. What is the edges coefficient of its edges-only ERGM?
# Replace the `...` with your answer (a number).

# %%
from medkit.solutions import ergm_intuition as solutions

my_answer = ...
solutions.check_question_1(my_answer)

# %% [markdown]
# **2.** Nodes $i$ and $j$ are not tied and have 3 neighbours in common. By how much does the
# triangle statistic change if we add the tie $i$–$j$?

# %%
my_answer = ...
solutions.check_question_2(my_answer)

# %% [markdown]
# **3.** Which of `"edges + nodecov('wealth')"` and `"edges + triangle"` needs MCMC to fit exactly?

# %%
my_answer = ...
solutions.check_question_3(my_answer)

# %% [markdown]
# ## Summary
# - An ERGM puts a probability on every network through a few statistics; the edges-only model is
#   the coin-flip (Erdos-Renyi) network and its coefficient is the log-odds of a tie.
# - The change statistic turns an ERGM into a conditional logit for each pair.
# - Dyad-independent models are logistic regressions: the MPLE is the exact MLE.
# - Triangles (and stars, gwesp) make pairs depend on each other: fit by MCMC-MLE.
# - Some parameter values are degenerate: the chain runs to empty or complete graphs.
#
# ## Further reading
# - Fu & Lu, the seed paper of this kit (`/work/shared/seeds/`).
# - Hunter, Handcock, Butts, Goodreau & Morris (2008), *ergm: A package to fit, simulate and
#   diagnose exponential-family models for networks*, Journal of Statistical Software 24(3).
# - Handcock (2003), *Assessing degeneracy in statistical models of social networks*.
