# %% [markdown]
# # 05. How does a referral network grow from patients' choices?
#
# **Goal:** run the inter-hospital referral model of Yang et al. (2025), watch a referral
# network emerge from individual patients' choices, read its structure by hospital grade, and
# test ways of adding capacity, knowing what a reduced-scale run can and cannot tell you.
#
# **Prerequisites:** Lesson 00 (the story and the logit-style choice); a little networkx
# (in- and out-degree, PageRank). Lessons 01-04 help but are not required to run this one.
#
# **Where this fits in the story.** Lessons 01-04 looked at the kit's story from above: people
# move between cities, and the ERGMs found that cities with more high-tier hospitals receive
# movers from more places, while primary care does not attract them. This lesson zooms into
# one region and asks *how* that imbalance arises among hospitals: each patient's referral is
# a small choice, and the choices add up to a directed, weighted network, built like the
# mobility network of Lesson 01 (ties from counts, kept above a threshold). Its in-degree plays
# the part of the in-degree centrality of Lesson 04, and tertiary hospitals turn out to be the
# attractors, as the cities with many high-tier hospitals were. Lesson 06 then tests whether
# digital triage in primary care changes that.
#
# Everything here is a **simulation** of a synthetic region: random hospitals on a square
# plane, random patients. It shows what the model's rules imply, not data about China.

# %% [markdown] tags=["instructor"]
# **Instructor note** (not in the student edition). About 50 min to teach (an estimate). Step
# through one patient before the figures. The reduced scale keeps the patterns, not the paper's
# raw numbers; full-scale runs are on the command line. Objectives, tracks, run times and common
# questions: `INSTRUCTORS.md`.

# %%
from medkit.lesson import setup_lesson

setup_lesson()

# %% [markdown]
# ## 1. The story and the rules
# Hospitals of three grades (primary, secondary, tertiary, in the ratio 5:4:1) sit at random
# places on a square. Every day tens of thousands of patients appear at random places, one
# after another. Each patient:
#
# 1. goes to the **nearest hospital**, whatever its grade or how busy it is;
# 2. if the hospital has a free slot, is treated (the slot is used) and **cured** with the
#    grade's probability; a full hospital refers the patient on without treatment;
# 3. if not cured, is **referred**: to a hospital with free capacity, chosen at random with
#    probabilities that mix three reasons (history, distance, grade);
# 4. after 4 referrals without a cure, or when no hospital has room, is **lost** (lost
#    patients, LP, come back the next day as new patients).
#
# Every referral $h \to j$ adds 1 to the weight $w_{hj}$, so the referrals of today make the
# same referrals more likely tomorrow. Capacities refill each night. The referral choice of a
# patient leaving hospital $h$, over the candidates $S_h$ with free capacity, is
#
# $$P(h \to j) = A\,\frac{w_{hj}}{\sum_{k \in S_h} w_{hk}} + B\,\frac{1/d_{hj}}{\sum_{k \in S_h}
# 1/d_{hk}} + C\,\frac{p_{hj}}{\sum_{k \in S_h} p_{hk}},$$
#
# where $d$ is the distance and $p_{hj} = 1/(1 + e^{g_h - g_j})$ prefers higher grades. The
# defaults below are the authors' (read from their code).

# %%
import pandas as pd

from medkit.referral import ReferralParams

paper = ReferralParams.paper()
pd.Series(
    {
        "hospitals": paper.n_hospitals,
        "side of the square (km)": paper.side_km,
        "new patients per day (mean)": paper.mean_daily_patients,
        "cure probability by grade": paper.cure_probability,
        "daily visit limits by grade [low, high)": paper.capacity_ranges,
        "referral limit m": paper.referral_limit,
        "A (history)": paper.weight_history,
        "B (distance)": paper.weight_distance,
        "C = 1 - A - B (grade)": round(paper.weight_grade, 3),
        "days of evolution T": paper.days,
    },
    name="paper's value",
).to_frame()

# %% [markdown]
# ### A handful of patients, step by step
# Before tens of thousands, follow eight patients on a toy plane: 12 hospitals on a 40 km
# square with only a few slots each, so that hospitals fill up fast. `trace_patients` applies
# the rules above in plain Python, one visit per row.

# %%
from medkit.widgets.referral import describe_step, toy_layout, trace_patients

toy = toy_layout(seed=0)
trace = trace_patients(toy, n_patients=8, seed=1)
# patients and visits counted from 1, as in the step descriptions below
shown = trace.assign(patient=trace["patient"] + 1, visit=trace["visit"] + 1)
shown[["patient", "visit", "hospital", "grade", "distance_km", "action", "reason", "next_hospital"]]

# %% [markdown]
# One referral in the picture: the star is the patient, the circled hospital the current one,
# arrows point to the hospitals with free capacity; an arrow's width, and the percentage in
# its hospital's label, give the referral probability. The highlighted arrow (bold label) is
# the hospital drawn. Faded hospitals are full.

# %%
from medkit.plots.referral import plot_trace_step

first_referral = int((trace["action"] == "referred").to_numpy().argmax())
ax = plot_trace_step(toy, trace, first_referral)
print(describe_step(trace, first_referral))

# %% [markdown]
# *Figure: the toy plane at the first referral: the patient (star), the current hospital
# (circled) and arrows to the candidate hospitals with their referral probabilities.*

# %% [markdown]
# Step through all of them with the slider: watch capacity run out, and a full nearest
# hospital send its patient on without treatment.

# %%
# NBVAL_IGNORE_OUTPUT
from medkit.widgets.referral import patient_trace_widget

patient_trace_widget(toy, n_patients=8, seed=1)

# %% [markdown]
# ## 2. Emergence and stability (Figure 2)
# Now the real model, in a compiled kernel. At the paper's scale (200 hospitals, about 41,000
# patients a day, 500 days, 10 runs) the whole lesson would take a few minutes; here it runs
# at a **reduced scale**: 50 hospitals on a 100 km square (the same density of hospitals) and
# a quarter of the patients (the same load per slot). Set `FULL_SCALE = True` for the paper's
# scale, or use `python -m medkit.referral run` from a terminal.

# %%
from medkit.referral import make_layout

FULL_SCALE = False
if FULL_SCALE:
    P = ReferralParams.paper()
    RUNS, N_JOBS, SNAPSHOTS = 10, 2, (500, 600, 700, 800, 900, 1000)
else:
    P = ReferralParams.small(strategy_days=100)
    RUNS, N_JOBS, SNAPSHOTS = 4, 1, (5, 10, 25, 50, 100, 200, 300, 400)
SEED = 2025
layout = make_layout(P, seed=SEED)
print(
    f"{layout.n_hospitals} hospitals on a {P.side_km:.0f} km square, "
    f"{P.mean_daily_patients:,.0f} new patients a day, {layout.capacity.sum():,} slots a day "
    f"({layout.capacity.sum() / P.mean_daily_patients:.2f} per new patient); "
    f"Phase A runs {P.days} days, Phase B {P.strategy_days} days, {RUNS} runs each."
)

# %% [markdown]
# All weights start at 1. Keep the top 5 % of edges by weight: that is the referral network.
# Does it settle? One long run, with the weights saved at several days $T$, and two distances
# between the networks at two $T$: the **topological** distance (share of top edges that differ)
# and the **weight** distance (share of top edges whose normalised weight changed by at least
# 10 %). The paper calls the network stable when both are below 0.1.

# %%
from medkit.plots.referral import plot_stability_heatmap
from medkit.referral import run_evolution, stability_matrix, stability_table

long_run = run_evolution(layout, P, days=max(SNAPSHOTS), snapshots=SNAPSHOTS, seed=SEED + 1)
stability = stability_table(long_run.snapshots)
ax = plot_stability_heatmap(stability_matrix(stability))

# %% [markdown]
# *Figure: topological (upper triangle) and weight (lower triangle) distances between the
# top-5 % networks saved at different days T; between late days they fall below 0.1.*

# %%
late = stability[stability["T_a"] >= P.days]
early = stability[stability["T_a"] == min(SNAPSHOTS)]
print(
    f"From T = {min(SNAPSHOTS)} the network still changes: up to "
    f"{early['topological'].max():.2f} (topological) and {early['weight'].max():.2f} (weight) "
    f"from later networks. From T = {P.days} on, the largest distances are "
    f"{late['topological'].max():.3f} and {late['weight'].max():.3f}: the network is "
    f"{'stable' if late[['topological', 'weight']].max().max() < 0.1 else 'not yet stable'}."
)

# %% [markdown]
# ## 3. The experiment and topology by grade (Figure 3)
# The paper's experiment: several Phase-A runs on the same layout, the **stable network**
# (mean weights over runs, top 5 % of edges), then Phase B, where that network is fixed and
# each way of adding 1 % capacity is run several times. Every run is seeded from `SEED`.

# %%
from medkit.referral.experiment import run_experiment

experiment = run_experiment(P, runs=RUNS, layout=layout, n_jobs=N_JOBS, progress=False, seed=SEED)
stable = experiment.stable
print(
    f"Stable network: {stable.number_of_nodes()} hospitals, {stable.number_of_edges()} "
    f"referral edges (5 % of {P.n_hospitals * (P.n_hospitals - 1):,})."
)

# %% [markdown]
# Each bar is the mean over hospitals of a grade, averaged over runs (each run's own top-5 %
# network), with a 95 % interval over runs. "Received patients per day" is the weighted
# in-degree per day; the **referral service range** is the mean length of a hospital's
# incoming edges; the **initial consultation area** the mean distance of patients cured at
# their first hospital.

# %%
from medkit.plots.referral import plot_grade_panels

grade_table = experiment.grade_table()
FIG3 = [
    "in_degree",
    "out_degree",
    "degree",
    "received_volume",
    "initial_area",
    "in_edge_distance",
    "lost_patients",
    "pagerank",
]
axes = plot_grade_panels(grade_table, FIG3)

# %% [markdown]
# *Figure: eight measures of the stable network by hospital grade (means over runs with 95 %
# intervals); in-degree, received volume, referral range and PageRank rise with the grade.*

# %%
gt = grade_table.set_index(["grade", "measure"])["mean"]
print(
    f"Tertiary hospitals receive referrals from {gt[(3, 'in_degree')]:.1f} hospitals on average, "
    f"secondary from {gt[(2, 'in_degree')]:.1f}, primary from {gt[(1, 'in_degree')]:.1f}; "
    f"primary hospitals refer to {gt[(1, 'out_degree')]:.1f}. Tertiary hospitals draw patients "
    f"from {gt[(3, 'in_edge_distance')]:.0f} km away on average, secondary from "
    f"{gt[(2, 'in_edge_distance')]:.0f} km, while first visits stay within about "
    f"{gt.xs('initial_area', level='measure').mean():.1f} km."
)

# %% [markdown]
# That is the **siphoning** (or "Matthew effect") the paper reports: referrals flow up the
# grades and concentrate on a few tertiary hospitals, which collect them from far away.
#
# ## 4. Communities on the plane (Figure 4)
# Louvain communities of the stable network (undirected, weighted, seed 123; communities of
# fewer than 5 hospitals join the nearest large one). Grey lines are the referral edges; thick
# outlines mark tertiary hospitals.

# %%
from medkit.plots.referral import plot_plane
from medkit.referral import communities

community = communities(stable, seed=123)
ax = plot_plane(
    layout,
    colour=community.to_numpy(),
    edges=stable,
    title="Communities of the stable referral network (synthetic plane)",
)

# %% [markdown]
# *Figure: the hospitals on the synthetic plane, coloured by Louvain community, with the
# referral edges in grey; communities are spatial patches.*

# %%
per_comm = pd.DataFrame({"community": community + 1, "grade": layout.grade}).pivot_table(
    index="community", columns="grade", aggfunc="size", fill_value=0
)
per_comm.columns = ["primary", "secondary", "tertiary"]
per_comm

# %%
with_tertiary = int((per_comm["tertiary"] > 0).sum())
print(f"{with_tertiary} of {len(per_comm)} communities contain a tertiary hospital.")

# %% [markdown]
# Communities are spatial patches, mostly built around the tertiary hospitals that collect their
# referrals: the paper reads them as possible medical alliances or administrative regions.
#
# ## 5. Key nodes across eight metrics (Figure 5)
# The top 5 % hospitals under each of eight metrics, one row per metric; numbers are hospital
# ids, colours their grade, and a line links the same hospital in consecutive rows.

# %%
from medkit.plots.referral import plot_key_nodes
from medkit.referral import key_nodes

key = key_nodes(stable)
ax = plot_key_nodes(key)

# %% [markdown]
# *Figure: the top 5 % hospitals under each of eight metrics (rows), coloured by grade, with
# lines joining the same hospital in consecutive rows.*

# %%
tertiary_share = key.assign(tertiary=key["grade"] == 3).groupby("metric", sort=False)["tertiary"]
tertiary_share.mean().rename("share of tertiary hospitals among the key nodes").to_frame()

# %% [markdown]
# Degree, in-degree, weighted in-degree and PageRank pick tertiary hospitals; out-degree
# (plain and weighted) picks primary hospitals (exercise 5 asks why): two different kinds of
# "key" hospital, which matters for the strategies below.
#
# ## 6. Strategies (Figure 6)
# Phase B holds the stable network fixed and adds about 1 % of capacity in four ways, against
# a baseline with no extra capacity: **uniform** (+1 % everywhere), **core** (the top 5 % by
# degree: core hospital enhancement), **bottleneck** (the top 5 % by out-degree: referral
# bottleneck mitigation) and **lost_patients** (the top 5 % by Phase-A losses). Bars are
# means over runs with 95 % intervals.

# %%
import matplotlib.pyplot as plt

from medkit.plots.referral import plot_strategy_lost_by_grade, plot_strategy_measure

strategy_table = experiment.strategy_table()
fig, (ax_lp, ax_ref) = plt.subplots(1, 2, figsize=(11, 3.4))
ax_lp = plot_strategy_lost_by_grade(strategy_table, ax=ax_lp)
ax_ref = plot_strategy_measure(strategy_table, "referrals", ax=ax_ref)
fig.tight_layout()

# %% [markdown]
# *Figure: lost patients per hospital by grade (left) and total referrals (right) for the
# baseline and the four strategies, means over runs with 95 % intervals; the referral points
# sit on a zoomed axis (its label says so), so their differences of a few percent are read in
# the table below.*

# %%
st = strategy_table.set_index(["strategy", "measure"])
strategy_summary = pd.DataFrame(
    {
        m: st.xs(m, level="measure")["mean"]
        for m in ("referrals", "lost_total", "lost_per_hospital_g1", "lost_per_hospital_g3")
    }
).round(1)
strategy_summary

# %%
four = ["uniform", "core", "bottleneck", "lost_patients"]
ranked = strategy_summary.loc[four, "referrals"].sort_values()
cut = (
    1
    - strategy_summary.loc[four, "lost_total"].mean()
    / strategy_summary.loc["baseline", "lost_total"]
)
print(f"Strategies from fewest to most referrals: {', '.join(ranked.index)}.")
lost_share = (
    strategy_summary.loc["baseline", "lost_total"] / st.loc[("baseline", "patients"), "mean"]
)
print(
    f"Bottleneck mitigation makes {1 - ranked['bottleneck'] / ranked['core']:.1%} fewer referrals "
    f"than core hospital enhancement. The baseline loses {lost_share:.3%} of its patients; the "
    f"four strategies change that by {-cut:+.0%} on average."
)

# %% [markdown]
# Which grade pairs carry the referrals in Phase B (mean share over the four strategies)?

# %%
pairs = experiment.pair_share_table()
pairs = pairs[pairs["strategy"] != "baseline"].groupby("pair")[["mean", "low", "high"]].mean()
pairs.sort_values("mean", ascending=False).round(1).head(5)

# %% [markdown]
# ## 7. What the reduced scale keeps, and what it does not
# The paper's published numbers (as the kit records them in `medkit.referral.reference`) next
# to this run. Raw degrees cannot match: a top-5 %
# network of 50 hospitals has a mean degree of 2.45, not 9.95. So degrees are also shown
# divided by that mean degree, and distances divided by the side of the plane.

# %%
from medkit.widgets.referral import paper_comparison

comparison = paper_comparison(experiment, stability[stability["T_a"] >= P.days])
comparison

# %%
kept = comparison[comparison["kept"].map(lambda k: k is True)]["quantity"]
lost = comparison[comparison["kept"].map(lambda k: k is False)]["quantity"]
print(f"Kept at the reduced scale ({len(kept)}):\n  " + "\n  ".join(kept))
print(f"Not kept ({len(lost)}):\n  " + "\n  ".join(lost))

# %% [markdown]
# Lost patients deserve a warning. They sit on a knife edge: lost patients come back the next
# day, so when capacity falls a little short, losses feed on themselves.

# %%
from medkit.widgets.referral import run_scenario

for scale in (1.0, 0.95, 0.9):
    s = run_scenario(capacity_scale=(scale, scale, scale), days=100, seed=0)
    share = s.totals["lost"] / s.totals["patients"]
    print(f"capacity x {scale:.2f}: {share:.2%} of patients lost over 100 days")

# %% [markdown]
# Read the reduced scale for **patterns and directions**, not for the paper's values. Where
# rows differ, the reasons are known: with only 5 tertiary hospitals Louvain finds fewer
# communities; lost patients are a knife-edge function of capacity against demand (above),
# so their level, their ordering by grade and the strategies' effect on them move with the
# layout's total capacity and are noisy over a few short runs;
# secondary hospitals' referral range depends on how many of them sit between primary and
# tertiary hospitals. The stability distances are smaller than the paper's because a
# 50-hospital network has few edges to change. With
# `FULL_SCALE = True` the same cells reproduce the paper's scale (the engine's own
# `medkit.referral.reproduce` checks it against every published number the kit records).
#
# ## 8. Your turn: choice weights, cure and capacity
# The sliders run one reduced-scale Phase A (100 days, about half a second) with your choice
# weights A and B (C = 1 - A - B), cure probabilities and capacity multipliers by grade, and
# show the mean in-degree and losses by grade and the main grade pairs. The picture below is
# the default setting; move the sliders in a live notebook.

# %%
# NBVAL_IGNORE_OUTPUT
from medkit.widgets.referral import scenario_widget

scenario_widget(days=100, full_scale=FULL_SCALE, seed=0)

# %% [markdown]
# *Figure: the default scenario: mean in-degree and lost patients by grade, and the grade
# pairs that carry the most referrals. It is one run of 100 days on another layout, with the
# pairs counted over all its referrals, not the experiment's stable network from several longer
# runs, so its shares and in-degrees differ from the figures above: compare runs within
# the widget.*

# %%
default = run_scenario(days=100, seed=0)  # the default run, kept for the exercises

# %% [markdown]
# Things to try: set C = 0 (A = 0.5, B = 0.5): do tertiary hospitals still attract the
# referrals? Halve the tertiary capacity. Make primary care cure as well as tertiary care.
#
# ## Exercises
# Replace each `...` with your answer and run the cell. Stuck? In a new cell,
# `solutions.hint(1)` gives a hint and `solutions.show(1)` the worked answer.
#
# **1.** Three hospitals on a line: primary hospitals 0 (at 0 km) and 1 (at 10 km), tertiary
# hospital 2 (at 40 km), all weights 1, all with free slots. A patient is not cured at
# hospital 0. What is the probability of a referral to the tertiary hospital? Give it to three
# decimal places (a percentage counts). Use the formula (grade preferences 0.5 and 0.881) or
# `choice_probabilities`.

# %%
from medkit.solutions import referral_abm as solutions

my_probability = ...
solutions.check(1, my_probability)

# %% [markdown]
# **2.** On one day, at most how many hospital visits can one patient make: the first visit
# plus the referrals that follow it? (a whole number)

# %%
my_hospitals = ...
solutions.check(2, my_hospitals)

# %% [markdown]
# **3. Write the code.** Run the reduced-scale model with half the tertiary capacity,
# `run_scenario(capacity_scale=(1, 1, 0.5), days=100, seed=0)`, and pass the result; then
# compare its `.grades` with `default.grades`.

# %%
half = ...
solutions.check(3, half)

# %% [markdown]
# **4.** Which lowers the tertiary hospitals' mean in-degree more: removing the grade
# preference (A = B = 0.5, C = 0) or cutting tertiary capacity to a quarter
# (`capacity_scale=(1, 1, 0.25)`)? Answer `"preference"` or `"capacity"`; `run_scenario`
# (days=100, seed=0) helps.

# %%
my_lever = ...
solutions.check(4, my_lever)

# %% [markdown]
# **5. Interpret.** The key nodes by out-degree (section 5) are primary hospitals.
# Why? (a) they are the largest hospitals; (b) they see most first visits, cure
# fewer patients and refer the rest up; (c) chance: another run would pick tertiary ones.

# %%
my_choice = ...
solutions.check(5, my_choice)

# %% [markdown]
# ## Summary
# - **How does a referral network grow from patients' choices?** Each uncured patient is
#   referred to a hospital with free slots, chosen by history, distance and grade; every
#   referral strengthens its edge, so early referrals attract later ones. After a few hundred
#   simulated days a stable network emerges whose referrals flow up the grades to a few tertiary
#   hospitals.
# - Patients start at the nearest hospital and are referred by a mix of history, distance and
#   grade preference among hospitals with free capacity; each referral strengthens its edge.
# - A stable referral network emerges in which referrals flow up the grades and concentrate on
#   tertiary hospitals, which draw patients from far away (siphoning).
# - Communities are spatial patches around tertiary hospitals; key nodes by in-degree and
#   PageRank are tertiary, by out-degree primary.
# - Targeting referral bottlenecks (high out-degree) gives fewer referrals than strengthening
#   core hospitals. Lost patients sit on a capacity knife edge: a few percent of slots decide
#   between almost no loss and a runaway, so compare strategies' losses at full scale.
# - A reduced-scale model keeps these patterns but not the paper's raw values: compare
#   patterns, and run the full scale (`FULL_SCALE = True`) for numbers.
#
# ## Further reading
# - Yang T, Fan J, Gu W, et al. (2025). Modeling the evolution of inter-hospital referral
#   networks: an agent-based modeling approach. *Frontiers in Physics* 13:1659506.
#   doi:10.3389/fphy.2025.1659506. Code: github.com/1417556211yt/inter-hospital-referral-networks
# - Yan X, Jeub LGS, Flammini A, Radicchi F, Fortunato S (2018). Weight thresholding on complex
#   networks. *Physical Review E* 98, 042304.
# - Donnat C, Holmes S (2018). Tracking network dynamics: a survey using graph distances.
#   *Annals of Applied Statistics* 12(2):971-1012.
# - Lesson 06 uses the same model to ask whether digital triage in primary care could
#   rebalance the system.
