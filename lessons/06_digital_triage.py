# %% [markdown]
# # 06. Could digital triage in primary care rebalance the system? (H3)
#
# **Goal:** test Fu & Lu's hypothesis H3 fairly in a simulation: first build a referral world
# that holds H3's premise (high-tier hospitals overflow while primary care sits idle), then add a
# triage tool with two separate levers (routing and trust), and measure with honest uncertainty
# what each lever does, in that world and in Yang et al.'s.
#
# **Prerequisites:** Lesson 05 (the referral agent-based model), Lessons 03-04 (Model 3 of the
# mobility ERGM). Ideas: sensitivity and specificity of a test, a 95 % interval over seeds.
#
# Everything in this lesson is **synthetic model output**: the referral model runs on a stylised
# region, the mobility data are synthetic twins of the paper's data. Stuck on an exercise? Run
# `solutions.hint(n)` for a nudge or `solutions.show(n)` for the worked answer.

# %% [markdown] tags=["instructor"]
# **Instructor note** (not in the student edition). About 50 min to teach (an estimate). Let the
# model's answer stand, whichever way it goes: the lesson is about testing H3, not selling the
# tool. Insist on paired seeds and intervals. On a slow Binder, show the committed outputs of
# the sweeps. Objectives, tracks, run times and common questions: `INSTRUCTORS.md`.

# %%
from medkit.lesson import setup_lesson

setup_lesson()

# %% [markdown]
# ## 1. The hypothesis, in the paper's words
# Fu & Lu (2025) observe that most patients in high-tier hospitals have routine illnesses, and
# propose:
#
# > "primary care facilities need digital tools using machine learning to diagnose diseases more
# > accurately. By this method, those with routine issues will be able to receive care at local
# > health service centers while significant disease risk cases can be referred to higher-tier
# > hospitals"
#
# > **H3: Digital empowerment of primary care facilities can help balance out the different
# > kinds of medical resources in China.**
#
# They support H3 with survey data and one example (a community health centre in Changsha), not
# with a test. A simulation cannot prove H3, but it can ask a sharper question: *in a model of how
# patients move between hospitals, what does a tool of a given accuracy do, through which lever,
# and what goes wrong with a poor tool?* A fair test needs a model world in which H3's **premise**
# holds. So we measure the premise first.
#
# ## 2. The premise, measured first
# The real pattern, in published figures (cited in `medkit.referral.world`):

# %%
import pandas as pd

from medkit.referral.world import BYPASS_SHARE_45PLUS, OCCUPANCY_FIGURES, PRIMARY_VISIT_SHARE_2021

pd.set_option("display.max_colwidth", 110)
OCCUPANCY_FIGURES

# %%
print(
    f"Also: primary-level institutions had {PRIMARY_VISIT_SHARE_2021:.1%} of all visits in 2021, "
    f"and about {BYPASS_SHARE_45PLUS:.0%} of patients aged 45+ bypass primary care (CHARLS)."
)

# %% [markdown]
# Now the model's counterpart of bed occupancy, utilisation by grade (visits over daily
# capacity: a proxy, since the model has visits, not beds), in two model worlds without any tool, each on three hospital layouts at the reduced scale (50 hospitals):
#
# - **Yang et al.'s world** (Lesson 05 with 30 % of patients bypassing primary care): everyone
#   first visits the nearest hospital, patients live uniformly on a square, capacities as in the
#   authors' code;
# - **the Fu & Lu world** (`ReferralParams.fulu_world()`): patients choose their first hospital
#   among the nearest of each grade with a logit over distance and trust, most live around city
#   centres where the tertiary hospitals stand, trust follows experience, and capacities by grade
#   are set by a calibration function (`calibrate_capacities`) so that the baseline hits target
#   occupancies taken from the figures above. The calibration targets the premise only; the tool
#   plays no part in it.

# %%
from medkit.referral.world import premise_table

premise = premise_table("small", layout_seeds=(1, 2, 3), days=100)
premise.round(3)

# %%
from medkit.plots.triage import plot_premise

ax = plot_premise(premise)

# %% [markdown]
# *Figure 1. In Yang et al.'s world primary hospitals are full and tertiary ones less so; the
# Fu & Lu world reproduces the real gradient, with primary care about half used.*

# %%
from medkit.referral.triage import imbalance_index, read_imbalance_index

idx_yang = imbalance_index(premise.loc[2, "yang"], premise.loc[0, "yang"])
idx_fulu = imbalance_index(premise.loc[2, "fulu"], premise.loc[0, "fulu"])
idx_real = imbalance_index(0.782, 0.521)
for name, v in [("Yang et al.'s world", idx_yang), ("Fu & Lu world", idx_fulu),
                ("real, 2021 (78.2 % / 52.1 %)", idx_real)]:  # fmt: skip
    print(f"{name}: imbalance index {v:.2f}, {read_imbalance_index(v)}")

# %% [markdown]
# ### A reading guide for the imbalance index
# The **imbalance index** is tertiary over primary utilisation, each relative to its own capacity.
#
# | index | reads as | H3 predicts |
# |---|---|---|
# | above 1 | high-tier hospitals fuller than primary care: Fu & Lu's imbalance | a fall towards 1 |
# | about 1 | equal load at the top and at the base | no change |
# | below 1 | primary care the fuller side: the opposite of the premise | (no test of H3) |
#
# So a *rise* of the index is not always bad news: in Yang et al.'s world, whose index starts
# below 1, a rise is a move towards equal load. It is a test of H3 only where the index starts
# above 1, which is why the Fu & Lu world exists.
#
# ## 3. The tool and its two levers
# A primary hospital that adopts the tool uses it at each patient's first consultation there.
#
# - **Routing lever.** The tool flags the patient as serious or clears them. A flagged patient is
#   referred at once to a hospital of grade 2 or 3 with room (optionally after a **remote
#   review** by a specialist, which costs one more slot at the primary hospital and clears
#   most false alarms); a cleared routine patient is treated locally with AI support (cure 0.9
#   instead of 0.85).
# - **Trust lever.** In Yang et al.'s world: patients near an adopting hospital bypass it half as
#   often (a fixed cut). In the Fu & Lu world trust *learns*: each visit moves patients' trust in
#   that hospital towards 1 (cured, or a serious patient sent straight up) or towards 0 (not
#   cured, turned away, or a routine patient sent upstream needlessly), at a stated learning rate.
#   The tool starts an adopter's trust 0.1 higher; after that, experience decides, so a tool that
#   gives bad experiences can lose trust.
#
# Every one of these rules is an assumption. The kit keeps them in a table, each with the
# sentence of either paper that motivates it:

# %%
from medkit.referral.triage import TOOLS, tool_changes, triage_assumptions

triage_assumptions()[["parameter", "default", "source", "quote"]]

# %% [markdown]
# The tools we compare (each at half the primary hospitals), and what they change in the Fu &
# Lu world. The "realistic" tool has the accuracy of online symptom checkers, which triage
# appropriately in about 57 % of cases (Semigran et al., BMJ 2015):

# %%
pd.DataFrame({tool: tool_changes(tool, "fulu") for tool in TOOLS}).T.fillna("")

# %% [markdown]
# ## 4. Try it: one run with and without the tool
# Move the sliders. Each change reruns the same 50-hospital region for 100 days with the same
# seed, with and without the tool (about a second). `world="fulu"` switches to the Fu & Lu world.

# %%
# NBVAL_IGNORE_OUTPUT
from medkit.widgets.triage import triage_widget

triage_widget(world="fulu")

# %% [markdown]
# *Figure: one reduced-scale run of the Fu & Lu world with and without the default tool, the
# widget's default view; move the sliders in a live notebook to change the tool.*
#
# The widget calls a plain function you can use directly. Here is the default tool in the Fu &
# Lu world, and the **full-trust run**: a tool whose adopters start with full trust (boost 1).

# %%
from medkit.referral import ReferralParams
from medkit.referral.triage import compare_run

rows = ["imbalance_index", "utilisation_g1", "visit_share_g1", "referrals_per_new_patient",
        "serious_reached_grade2_share", "trust_adopters"]  # fmt: skip
default_run = compare_run(0.5, 0.9, 0.85, 0.1, world="fulu")
p_start = ReferralParams.fulu_world().trust_initial[0] + 0.1
full_trust = compare_run(0.5, 0.9, 0.85, 1.0, world="fulu")
pd.concat({"default tool": default_run.loc[rows], "full trust": full_trust.loc[rows]},
          axis=1).round(3)  # fmt: skip

# %%
t0, t1 = (
    full_trust.loc["trust_adopters", "with triage"],
    default_run.loc["trust_adopters", "with triage"],
)
print(
    f"Full trust at the start fades with experience: after 100 days trust in adopting hospitals "
    f"is {t0:.2f} (it started at 1), against {t1:.2f} for the default tool (which started at "
    f"{p_start:.2f}): after a few weeks, experience, not the starting level, sets trust."
)

# %% [markdown]
# ## 5. The levers separated, in both worlds
# One run proves little. The kit ships the paired comparison of every tool with no tool on 5
# hospital layouts x 2 seeds at the reduced scale (the same layouts and seeds for every tool,
# so differences are paired), made by the command in `datasets/model_output/README.md`. Here is
# a small version you can run yourself (3 layouts, 1 seed, 60 days):

# %%
from medkit.referral.triage import lever_effects, lever_sweep

mini = lever_sweep("small", "fulu", ("no tool", "default tool", "useless tool"), runs=1,
                   layouts=3, days=60, n_jobs=2, progress=False, seed=0)  # fmt: skip
lever_effects(mini.assign(world="fulu")).query("measure == 'imbalance_index'")[
    ["comparison", "mean_a", "mean_b", "difference", "low", "high"]
].round(3)

# %% [markdown]
# And the shipped full comparison (MODEL OUTPUT, 50 hospitals, 200 days, 5 layouts x 2 seeds):

# %%
from medkit.referral.triage import load_lever_effects

levers_small = load_lever_effects("small")
key = ["imbalance_index", "visit_share_g1", "referrals_per_new_patient",
       "serious_reached_grade2_share"]  # fmt: skip
levers_small[levers_small["measure"].isin(key)].pivot_table(
    index="comparison", columns=["world", "measure"], values="difference", sort=False
).round(3)

# %%
import matplotlib.pyplot as plt

from medkit.plots.triage import plot_lever_effects

fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
ax = plot_lever_effects(levers_small, "imbalance_index", ax=axes[0], title="imbalance index")
ax = plot_lever_effects(levers_small, "serious_reached_grade2_share", ax=axes[1],
                        title="serious patients reaching grade >= 2")  # fmt: skip
fig.suptitle("Paired effect of each tool over no tool (synthetic model output, 50 hospitals)")
fig.tight_layout()

# %% [markdown]
# *Figure 2. Each dot is a tool's mean paired change with its 95 % interval, orange in Yang et
# al.'s world and blue in the Fu & Lu world; the dashed line is no change.*

# %%
e = levers_small.set_index(["world", "comparison", "measure"])
for tool in ["routing lever only", "trust lever only", "default tool"]:
    r = e.loc[("fulu", tool, "imbalance_index")]
    print(f"Fu & Lu world, {tool}: imbalance index {r['mean_a']:.3f} -> {r['mean_b']:.3f} "
          f"(change {r['difference']:+.3f}, 95 % interval {r['low']:+.3f} to {r['high']:+.3f})")  # fmt: skip

# %% [markdown]
# ## 6. Realistic and useless tools, and trust that learns
# A tool with sensitivity = specificity = 0.5 is a coin toss; the realistic tool (0.57) is not
# much better. In the Fu & Lu world their adopters start with the same trust boost as the
# default tool's, and then live with the experiences they give:

# %%
from medkit.plots.triage import plot_trust_by_tool
from medkit.referral.triage import load_lever_runs

runs_small_fulu = load_lever_runs("small", "fulu")
p = ReferralParams.fulu_world("small")
start = {t: p.trust_initial[0] + tool_changes(t, "fulu").get("triage_trust_boost", 0.0)
         for t in TOOLS if t != "no tool"}  # fmt: skip
ax = plot_trust_by_tool(runs_small_fulu, start)

# %% [markdown]
# *Figure 3. Trust in adopting primary hospitals at the end of the runs (bars) against where it
# started (diamonds): every tool ends below its start, a poor tool far below.*

# %%
tr = runs_small_fulu.groupby("tool")["trust_adopters"].mean()
print(
    f"End-of-run trust in adopters: default tool {tr['default tool']:.2f}, realistic tool "
    f"{tr['realistic tool']:.2f}, useless tool {tr['useless tool']:.2f} (start "
    f"{start['useless tool']:.2f}); with remote review {tr['default tool + remote review']:.2f}."
)

# %% [markdown]
# ## 7. Dose-response and the adoption x accuracy map
# More adoption of the default tool (shipped model output, 50 hospitals, 5 layouts). Each
# point is the change from no adoption on the same layout and seed, so the variation between
# layouts cancels out:

# %%
from medkit.plots.triage import plot_dose_response
from medkit.referral.triage import dose_effects, load_sweep_runs

dose = {w: dose_effects(load_sweep_runs("dose_response", "small", w)) for w in ("yang", "fulu")}
fig, axes = plt.subplots(1, 2, figsize=(11, 3.8))
for ax, w in zip(axes, ["yang", "fulu"], strict=True):
    ax = plot_dose_response(dose[w], "imbalance_index", ax=ax,
                            title={"yang": "Yang et al.'s world", "fulu": "Fu & Lu world"}[w],
                            ylabel="change in imbalance index")  # fmt: skip
    ax.axhline(0, color="#444444", ls="--", lw=1)
fig.suptitle("Paired change in the imbalance index over adoption (synthetic model output)")
fig.tight_layout()

# %% [markdown]
# *Figure 4. The mean paired change in the imbalance index, with its 95 % band, as more primary
# hospitals adopt the default tool, in each world (note the different vertical scales).*

# %%
from medkit.plots.triage import plot_imbalance_heatmap
from medkit.referral.triage import load_sweep_summary

heat = load_sweep_summary("heatmap", "small", "fulu")
ax = plot_imbalance_heatmap(heat, title="Fu & Lu world: imbalance index (synthetic model output)")

# %% [markdown]
# *Figure 5. Mean imbalance index (3 layouts, 100 days) for each adoption level (columns) and
# tool accuracy (rows) in the Fu & Lu world; brighter cells are more imbalanced.*
#
# ## 8. At the paper's scale
# The same comparisons at Yang et al.'s scale (200 hospitals, 41,000 patients a day, 300 days,
# 3 layouts x 2 seeds) take many minutes, so the kit ships them as model output. First the
# premise at this scale (baseline utilisation, no tool):

# %%
levers_paper = load_lever_effects("paper")
ep = levers_paper.set_index(["world", "comparison", "measure"])
premise_paper = pd.DataFrame(
    {w: [ep.loc[(w, "default tool", f"utilisation_g{g}"), "mean_a"] for g in (1, 2, 3)]
     for w in ("yang", "fulu")}, index=["primary", "secondary", "tertiary"])  # fmt: skip
premise_paper["target"] = ReferralParams.fulu_world("paper").occupancy_targets
premise_paper.round(3)

# %%
for w in ("yang", "fulu"):
    v = ep.loc[(w, "default tool", "imbalance_index"), "mean_a"]
    print(f"Paper scale, {w} world: baseline imbalance index {v:.2f}, {read_imbalance_index(v)}")

# %% [markdown]
# The effect of every tool and lever at the paper's scale (mean paired difference and 95 %
# interval):

# %%
show = ["imbalance_index", "visit_share_g1", "turned_away_g3_per_day",
        "referrals_per_new_patient", "serious_reached_grade2_share", "lost_per_new_patient"]  # fmt: skip
paper_table = levers_paper[levers_paper["measure"].isin(show)]
paper_table[["world", "comparison", "measure", "mean_a", "mean_b", "difference", "low",
             "high"]].round(4)  # fmt: skip

# %%
fig, axes = plt.subplots(1, 2, figsize=(12, 4.2), sharey=True)
ax = plot_lever_effects(levers_paper, "imbalance_index", ax=axes[0], title="imbalance index")
ax = plot_lever_effects(levers_paper, "visit_share_g1", ax=axes[1],
                        title="share of visits at primary level")  # fmt: skip
fig.suptitle("Paired effect of each tool, paper scale (synthetic model output, 200 hospitals)")
fig.tight_layout()

# %% [markdown]
# *Figure 6. The same forest plot at the paper's scale: each tool's paired change with its 95 %
# interval, in both worlds.*
#
# ### Are the sizes plausible?
# A Chinese gatekeeping pilot (difference-in-differences) raised primary-care visits by 55.3 %
# and cut hospital visits by 23.9 %. We compare, not tune: the relative change in primary and
# tertiary visits (utilisation at fixed capacity) with the default tool at the paper's scale:

# %%
from medkit.referral.world import GATEKEEPING_EFFECTS

pilot = GATEKEEPING_EFFECTS["primary-care visits"]
for w in ("yang", "fulu"):
    r1 = ep.loc[(w, "default tool", "utilisation_g1")]
    r3 = ep.loc[(w, "default tool", "utilisation_g3")]
    lo, hi = r1["low"] / r1["mean_a"], r1["high"] / r1["mean_a"]
    print(
        f"{w} world: primary visits {r1['relative']:+.1%} (95 % interval {lo:+.1%} to {hi:+.1%}), "
        f"tertiary visits {r3['relative']:+.1%}; the pilot's {pilot:+.1%} lies "
        + ("outside" if not lo <= pilot <= hi else "inside")
        + " the model's interval."
    )

# %% [markdown]
# In Yang et al.'s world primary hospitals are full every day (utilisation 1 at fixed
# capacity), so their visits cannot rise: the change is zero with a zero-width interval, a
# ceiling of that world rather than a precise finding. A triage tool at half the primary
# hospitals that changes only routing and trust is a far weaker intervention than gatekeeping, which changes the rules of first contact for everyone;
# effects of the pilot's size are not what this mechanism produces in the model.
#
# ## 9. The mobility bridge: what if primary care pulled like high-tier hospitals?
# In Model 3 a city's high-tier hospitals (HTH) attract movers and its primary care facilities
# (PCF) do not. Suppose triage made primary care as attractive *per standard deviation* as
# high-tier hospitals: we move the PCF coefficient step by step towards
# $\beta_{HTH}\,\mathrm{sd}(HTH)/\mathrm{sd}(PCF)$, re-solve the `edges` term so total mobility
# stays the same, and simulate networks from each model. **What this assumes:** triage acts only
# through the PCF coefficient; the fitted association is causal; everything else stays fixed;
# the data are synthetic.

# %%
from medkit.counterfactual import fit_model3, in_degree_shift, pcf_path, shift_summary

zj = fit_model3("zhejiang")
pcf_path(zj, steps=3)[["lambda", "pcf_raw", "pcf_per_sd", "edges"]].round(4)

# %%
zj_shift = in_degree_shift(zj, steps=3, n_sim=2, seed=1)
zj_summary = shift_summary(zj_shift)
from medkit.plots.triage import plot_in_degree_shift

ax = plot_in_degree_shift(zj_shift, 1.0)

# %% [markdown]
# *Figure 7. Change in each Zhejiang unit's expected in-degree when primary care pulls like
# high-tier hospitals (synthetic twin data; red gains inflow, blue loses).*

# %%
g0, g1 = zj_summary["gini"].iloc[[0, -1]]
print(
    f"Gini of expected in-degree in Zhejiang, fitted -> counterfactual: {g0:.3f} -> {g1:.3f}; "
    f"correlation of the shift with PCF: {zj_summary['corr_shift_pcf'].iloc[-1]:.2f}."
)

# %% [markdown]
# On these synthetic twins the units with most primary care facilities are also the big ones, so
# making primary care attractive does not spread inflow evenly. Whether that holds for the real
# data depends on where the real facilities are (Fu & Lu's Figure 6 shows south-western Zhejiang
# rich in primary care and poor in high-tier hospitals).
#
# ## Exercises
# Replace each `...` with your answer and run the cell. `solutions.hint(n)` gives a nudge,
# `solutions.show(n)` the worked answer.
#
# **1.** With the default severity mix (20 % serious), what is the cure probability at a primary
# hospital? Use `p.cure_routine`, `p.cure_serious` and `p.serious_share` (grade 1 is index 0).
# Give two decimals.

# %%
from medkit.solutions import digital_triage as solutions

p = ReferralParams()
my_cure = ...
solutions.check(1, my_cure)

# %% [markdown]
# **2.** With 20 % serious patients, sensitivity 0.9 and specificity 0.85, what share of the
# patients the tool flags are in fact routine? Give two decimals (a percentage counts).

# %%
my_fp_share = ...
solutions.check(2, my_fp_share)

# %% [markdown]
# **3.** *Write code:* from `OCCUPANCY_FIGURES`, compute the imbalance index of 2010: tertiary
# over first-level hospital bed occupancy (NHC statistics). Give two decimals. Was the
# contrast sharper then than in 2021, when high-tier over primary-care occupancy was
# 0.782 / 0.521 = 1.50? (The 2021 categories are broader, so the comparison is rough.)

# %%
my_index = ...
solutions.check(3, my_index)

# %% [markdown]
# **4.** *Write code:* from `levers_small`, make a DataFrame `my_table` of the Fu & Lu world's
# imbalance-index rows, with the columns `comparison`, `difference`, `low` and `high` (one row
# per tool or lever). Which tools raise the index?

# %%
my_table = ...
solutions.check(4, my_table)

# %% [markdown]
# **5.** In the Fu & Lu world (its index starts above 1, Figure 1) the default tool raises the
# imbalance index (Figure 2). What does that mean? (a) the imbalance grew: high-tier care,
# already the fuller side, got relatively fuller; (b) a move towards equal load; (c) primary
# care became full; (d) fewer patients were lost.

# %%
my_reading = ...
solutions.check(5, my_reading)

# %% [markdown]
# **6.** In the Fu & Lu world the routing lever raises the imbalance index (Figure 2). Why?
# (a) it makes patients trust primary care less; (b) it sends every flagged patient
# upstream, and with specificity 0.85 about two in five flagged patients are routine; (c) it
# removes capacity from primary hospitals.

# %%
my_lever = ...
solutions.check(6, my_lever)

# %% [markdown]
# **7.** In the Fu & Lu world's dose-response (Figure 4, right), does the imbalance index
# `"rises"`, `"falls"` or stay `"flat"` (within noise) as adoption grows?

# %%
my_direction = ...
solutions.check(7, my_direction)

# %% [markdown]
# ## What is supported, in which world, and why
# Each part of H3 as a prediction on the model's measures, judged on the paper-scale runs with
# the default tool: *supported* when the 95 % interval of the paired change lies wholly on the
# side H3 predicts, *contradicted* when it lies wholly on the other side, *not shown* otherwise.

# %%
from medkit.referral.triage import h3_verdicts

verdicts = h3_verdicts(levers_paper)
verdicts[["world", "claim", "without tool", "with tool", "low", "high", "verdict",
          "premise holds"]].round(4)  # fmt: skip

# %%
for w, part in verdicts.groupby("world", sort=False):
    counts = part["verdict"].value_counts()
    print(
        f"{w} world (premise holds: {part['premise holds'].iloc[0]}): "
        + ", ".join(f"{k} {v}" for k, v in counts.items())
    )

# %% [markdown]
# **Why, in Yang et al.'s world.** Its premise is absent: every primary hospital is full every
# day, so there is no idle primary care for a tool to fill, and any verdict there is about
# congestion, not about H3. Flagged patients add load upstream, and when lost patients come back
# the next day (the authors' rule) the extra load feeds itself. (One row there needs care: a
# remote review uses a primary slot but is not a consultation, so where primary hospitals are
# full every day the review shows as a fall in primary utilisation and a jump of the index.)
#
# **Why, in the Fu & Lu world.** The premise holds (the index starts near the real 1.5-1.6), so
# this is a fair test of the mechanism as written. The routing lever gets serious patients to
# specialist care sooner, but it also sends every false alarm upstream (two in five flagged
# patients at specificity 0.85), which is what moves the index up; the trust lever is small and
# fades, because trust follows experience and needless referrals are bad experiences. A poor
# tool (0.57, 0.5) does more harm on the load measures (index, turn-aways, referrals) and loses
# more trust. Remote review of flagged patients cuts the needless referrals at a cost in primary
# capacity.
#
# **What would change the verdict:** a tool much more specific than the ones here, a routing
# rule that keeps false alarms local, trust that responds to something other than outcomes, or
# capacity moved with the patients; and, above all, data on real referral flows.
#
# The table of effects of every tool and lever in both worlds at the paper's scale, collected
# for reference:

# %%
closing = levers_paper[levers_paper["measure"].isin(["imbalance_index", "visit_share_g1",
                                                     "serious_reached_grade2_share"])]  # fmt: skip
closing.pivot_table(index="comparison", columns=["world", "measure"],
                    values=["difference", "low", "high"], sort=False).round(4)  # fmt: skip

# %%
paper_levers = load_lever_effects("paper").set_index(["world", "comparison", "measure"])
for measure in ("imbalance_index", "visit_share_g1", "serious_reached_grade2_share"):
    r = paper_levers.loc[("fulu", "default tool", measure)]
    print(f"Fu & Lu world, paper scale, default tool, {measure}: {r['difference']:+.3f} "
          f"[{r['low']:+.3f}, {r['high']:+.3f}]")  # fmt: skip

# %% [markdown]
# ## Summary
# - **Could digital triage in primary care rebalance the system?** Not in this model, with the
#   tools it describes: in the Fu & Lu world, which holds H3's premise, the default tool
#   *raises* the imbalance index and lowers the share of visits at primary level (the paired
#   changes above, 95 % intervals beside them); its one clear benefit is safety, more serious
#   patients reaching a grade-2 or grade-3 hospital. In Yang et al.'s world the premise is
#   absent, so it cannot test H3 at all. This is what the model says, not a verdict on China.
# - A fair test of H3 needs a world that holds its premise: Yang et al.'s region has full primary
#   care (index below 1), the calibrated Fu & Lu world has half-idle primary care (index near 1.6).
# - Read the index with its guide: above 1 the top is fuller; H3 predicts a fall towards 1.
# - Separate the levers: routing moves serious patients up and adds upstream load; trust that
#   learns from experience rewards good tools and punishes poor ones.
# - Pair runs by layout and seed and report 95 % intervals; compare effect sizes with real
#   interventions, never tune towards a verdict.
#
# ## Further reading
# - Fu H, Lu J (2025). Structural imbalance of medical resources amid population mobility and
#   digital empowerment. *Front Public Health*, doi 10.3389/fpubh.2025.1613293.
# - Yang T, Fan J, Gu W, et al. (2025). Modeling the evolution of inter-hospital referral
#   networks: an agent-based modeling approach. *Front Phys* 13:1659506.
# - Semigran HL, Linder JA, Gidengil C, Mehrotra A (2015). Evaluation of symptom checkers for
#   self diagnosis and triage: audit study. *BMJ* 351:h3480.
# - Wynants L, et al. (2020). Prediction models for diagnosis and prognosis of covid-19:
#   systematic review and critical appraisal. *BMJ* 369:m1328 (why tool accuracy claims need
#   external validation).
