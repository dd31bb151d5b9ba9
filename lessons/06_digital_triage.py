# %% [markdown]
# # 06. Could digital triage in primary care rebalance the system? (H3)
#
# **Goal:** test Fu & Lu's hypothesis H3 in a simulation: add a machine-learning triage tool to
# primary hospitals in the referral model, measure what it does to structural imbalance with
# honest uncertainty, and carry the idea over to the mobility network.
#
# **Prerequisites:** Lesson 05 (the referral agent-based model), Lessons 03-04 (Model 3 of the
# mobility ERGM). Ideas: sensitivity and specificity of a test, a 95 % interval over seeds.
#
# Everything in this lesson is **synthetic model output**: the referral model is Yang et al.'s
# stylised region, the mobility data are synthetic twins of the paper's data.

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
# with a test. A simulation cannot prove H3 either, but it can ask a sharper question: *in a model
# of how patients move between hospitals, how much adoption, how accurate a tool and how much
# restored trust would it take, and what goes wrong with a poor tool?*
#
# ## 2. The mechanism, step by step
# A patient whose nearest hospital is a primary hospital with the tool is classified on arrival:
#
# - **flagged** (the tool says "serious"): referred at once to a hospital of grade 2 or 3 with
#   room. A *true positive* gets specialist care sooner; a *false positive* is a routine patient
#   sent upstream needlessly;
# - **cleared** ("routine"): treated locally with AI support. A *true negative* is cured with a
#   higher probability than without the tool; a *false negative* is a serious patient kept
#   locally, who may fail treatment and be referred late.
#
# And **trust**: patients who used to bypass their primary hospital (Yang et al.'s "siphoning")
# come back when it adopts the tool. Every one of these rules is an assumption. The kit keeps them
# in a table, each with the sentence of either paper that motivates it:

# %%
import pandas as pd

from medkit.referral.triage import triage_assumptions

pd.set_option("display.max_colwidth", 120)
triage_assumptions()[["parameter", "default", "source", "quote"]]

# %% [markdown]
# A first piece of arithmetic (you will redo it in Exercise 2): out of 1,000 patients of whom a
# fifth are serious, a tool with sensitivity 0.9 and specificity 0.85 flags 180 serious patients
# and 120 routine ones, so 40 % of the referrals it makes are needless. Accuracy matters most when
# the condition is rare.
#
# ## 3. The model extensions
# The engine of Lesson 05 carries the extension as options of the *same* model, all off by
# default (then it is bit for bit the authors' model):
#
# | option | default | meaning |
# |---|---|---|
# | `serious_share`, `severity_cure` | 0.2, off | severity, with cure by grade x severity |
# | `bypass_share` | 0 (siphoning: 0.3) | patients skipping their nearest primary hospital |
# | `triage_adoption` | 0 | share of primary hospitals with the tool |
# | `triage_sensitivity`, `triage_specificity` | 0.9, 0.85 | accuracy of the tool |
# | `ai_cure_routine` | 0.9 | cure of cleared routine patients (0.85 without the tool) |
# | `trust_bypass_reduction` | 0.5 | bypass halved near an adopting hospital |
#
# The **baseline** is the siphoning scenario without triage; the **default tool** adds triage at
# half the primary hospitals. We measure structural imbalance with the **imbalance index**,
# tertiary over primary utilisation: the model's version of Fu & Lu's contrast between bed
# occupancy in high-tier hospitals (78.2 %) and primary care (52.1 %), a ratio of 1.50.

# %%
from medkit.referral.triage import default_tool, scenario

baseline, tool = scenario("small"), default_tool("small")
print(
    f"Reduced scale: {baseline.n_hospitals} hospitals, {baseline.mean_daily_patients:,.0f} "
    f"patients a day; baseline bypass share {baseline.bypass_share}, "
    f"default tool at {tool.triage_adoption:.0%} of primary hospitals."
)

# %% [markdown]
# ## 4. Try it: one run with and without the tool
# Move the sliders. Each change reruns the same 50-hospital region for 100 days with the same
# seed, with and without the tool (about a second).

# %%
# NBVAL_IGNORE_OUTPUT
from medkit.widgets.triage import triage_widget

triage_widget()

# %% [markdown]
# The widget calls a plain function you can use directly; here are the numbers for the default
# tool, and for a tool that also restores full trust:

# %%
from medkit.referral.triage import compare_run

compare_run(0.5, 0.9, 0.85, 0.5).loc[
    ["imbalance_index", "utilisation_g1", "referrals_per_patient", "lost_g3",
     "serious_reached_grade2_share"]
].round(4)  # fmt: skip

# %% [markdown]
# ## 5. Dose-response: more adoption, with 10 seeds
# One run proves little. We run 10 seeds at each adoption level (the same seeds at every level,
# so the comparison is paired) in parallel on two cores, and plot the mean with its 95 %
# interval as a band.

# %%
from medkit.referral.triage import summarise_sweep, sweep

DAYS = 100  # reduced scale; the command line below runs the paper's scale
dose = sweep("small", {"triage_adoption": [0.0, 0.25, 0.5, 0.75, 1.0]}, runs=10, days=DAYS,
             n_jobs=2, progress=False, seed=0)  # fmt: skip
dose_summary = summarise_sweep(dose, by=["triage_adoption"])

# %%
import matplotlib.pyplot as plt

from medkit.plots.triage import plot_dose_response

fig, axes = plt.subplots(2, 2, figsize=(11, 7))
for ax, m in zip(axes.flat, ["imbalance_index", "referrals_per_patient", "lost_g3",
                             "serious_reached_grade2_share"], strict=True):  # fmt: skip
    ax = plot_dose_response(dose_summary, m, ax=ax, title="")
fig.suptitle("Dose-response over adoption (synthetic model output, 50 hospitals, 10 seeds)")
fig.tight_layout()

# %% [markdown]
# ## 6. A useless tool, and the headline effects
# A tool with sensitivity = specificity = 0.5 is a coin toss. Compared with the baseline, paired
# by seed, the differences with their 95 % intervals:

# %%
from medkit.referral.triage import effect

useless = sweep("small", [{"triage_adoption": 0.5, "accuracy": 0.5}], runs=10, days=DAYS,
                n_jobs=2, progress=False, seed=0)  # fmt: skip
no_tool = dose[dose["triage_adoption"] == 0.0]
effects = pd.concat(
    [effect(no_tool, dose[dose["triage_adoption"] == 0.5]).assign(comparison="default tool"),
     effect(no_tool, useless).assign(comparison="useless tool")]
).reset_index()  # fmt: skip
headline = ["imbalance_index", "utilisation_g1", "referrals_per_patient", "lost_g3",
            "days_at_capacity_g3", "mean_travel_km", "serious_reached_grade2_share"]  # fmt: skip
table = effects[effects["measure"].isin(headline)]
table[["comparison", "measure", "mean_a", "mean_b", "difference", "low", "high",
       "beyond_noise"]].round(4)  # fmt: skip

# %%
e = table.set_index(["comparison", "measure"])
rpp = e.loc[("default tool", "referrals_per_patient")]
idx = e.loc[("default tool", "imbalance_index")]
print(
    f"Default tool: referrals per patient {rpp['mean_a']:.3f} -> {rpp['mean_b']:.3f} "
    f"(change {rpp['difference']:+.3f}, 95 % interval {rpp['low']:+.3f} to {rpp['high']:+.3f}); "
    f"imbalance index {idx['mean_a']:.3f} -> {idx['mean_b']:.3f} "
    f"({idx['low']:+.3f} to {idx['high']:+.3f})."
)
u1 = e.loc[("default tool", "utilisation_g1")]
print(f"Primary utilisation without and with the tool: {u1['mean_a']:.2f} and {u1['mean_b']:.2f}.")

# %% [markdown]
# ### At the paper's scale
# The same comparison at Yang et al.'s scale (200 hospitals, 41,000 patients a day, 500 days,
# 10 seeds) takes minutes, so the kit ships its result as **model output** in
# `datasets/model_output/` (the README there gives the command that remakes it). Two variants:
# lost patients re-enter the next day (the authors' code) or are dropped.

# %%
from medkit.referral.triage import load_paper_effects

paper = load_paper_effects()
show = ["imbalance_index", "lost_g3", "lost_rate", "referrals_per_patient",
        "serious_reached_grade2_share"]  # fmt: skip
paper_table = paper[paper["measure"].isin(show)]
paper_table[["variant", "comparison", "measure", "mean_a", "mean_b", "difference", "low",
             "high"]].round(4)  # fmt: skip

# %%
pe = paper.set_index(["variant", "comparison", "measure"]).sort_index()
dropped = pe.loc[("lost patients dropped", "default tool")]
reenter = pe.loc[("lost patients re-enter (authors' code)", "default tool")]
lp, rp = dropped.loc["lost_g3"], dropped.loc["referrals_per_patient"]
print(
    f"Paper scale, lost patients dropped: LP at tertiary hospitals {lp['mean_a']:,.0f} -> "
    f"{lp['mean_b']:,.0f} (change {lp['difference']:+,.0f}, 95 % interval {lp['low']:+,.0f} to "
    f"{lp['high']:+,.0f}); referrals per patient {rp['mean_a']:.3f} -> {rp['mean_b']:.3f} "
    f"({rp['low']:+.3f} to {rp['high']:+.3f})."
)
lr = reenter.loc["lost_rate"]
print(
    f"Paper scale, lost patients re-entering: the share of arrivals lost goes from "
    f"{lr['mean_a']:.2%} to {lr['mean_b']:.1%} ({lr['low']:+.1%} to {lr['high']:+.1%}): "
    "a backlog builds up and the system tips over."
)

# %% [markdown]
# ## 7. Adoption x accuracy: a heat map of the imbalance index
# Is there *any* tool accurate enough to lower the index? We cross three adoption levels with
# three accuracies (4 seeds each at this reduced scale; the command line runs 10 on a finer grid).

# %%
from medkit.plots.triage import plot_imbalance_heatmap

grid = sweep("small", {"triage_adoption": [0.0, 0.5, 1.0], "accuracy": [0.5, 0.75, 0.99]},
             runs=4, days=DAYS, n_jobs=2, progress=False, seed=0)  # fmt: skip
grid_summary = summarise_sweep(grid, by=["triage_adoption", "triage_sensitivity"])
ax = plot_imbalance_heatmap(grid_summary, title="imbalance index (synthetic model output)")

# %% [markdown]
# Full-scale experiments (200 hospitals, 41,000 patients a day, 500 days) run from the command
# line and write tidy CSVs, for example
#
# ```
# python -m medkit.referral.triage dose-response --scale paper --seeds 10 --out results/
# python -m medkit.referral.triage heatmap --scale paper --seeds 10 --out results/
# python -m medkit.referral.triage effects --scale paper --seeds 10 --out results/
# ```
#
# ## 8. The mobility bridge: what if primary care pulled like high-tier hospitals?
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
shift_summary(zj_shift).round(3)

# %%
from medkit.plots.triage import plot_in_degree_shift

ax = plot_in_degree_shift(zj_shift, 1.0)

# %%
nat = fit_model3("national")
nat_shift = in_degree_shift(nat, steps=3, n_sim=1, seed=1)
nat_summary = shift_summary(nat_shift)
ax = plot_in_degree_shift(nat_shift, 1.0)
nat_summary.round(3)

# %%
g0, g1 = nat_summary["gini"].iloc[0], nat_summary["gini"].iloc[-1]
zg0, zg1 = shift_summary(zj_shift)["gini"].iloc[[0, -1]]
print(
    f"Gini of expected in-degree, fitted -> counterfactual: national {g0:.3f} -> {g1:.3f}, "
    f"Zhejiang {zg0:.3f} -> {zg1:.3f}. Cities rich in primary care gain inflow "
    f"(correlation of the shift with PCF: {nat_summary['corr_shift_pcf'].iloc[-1]:.2f})."
)

# %% [markdown]
# On these synthetic twins, the cities with most primary care facilities are also the big
# cities, so making primary care attractive concentrates inflow further instead of spreading it.
# Whether that holds for the real data depends on where the real facilities are (Fu & Lu's
# Figure 6 shows south-western Zhejiang rich in primary care and poor in high-tier hospitals).
#
# ## Exercises
# **1.** With the default severity mix (20 % serious), what is the cure probability at a primary
# hospital? Use `p.cure_routine`, `p.cure_serious` and `p.serious_share` (grade 1 is index 0).

# %%
from medkit.referral import ReferralParams
from medkit.solutions import digital_triage as solutions

p = ReferralParams()
my_cure = ...
solutions.check_primary_mixed_cure(my_cure)

# %% [markdown]
# **2.** With 20 % serious patients, sensitivity 0.9 and specificity 0.85, what share of the
# patients the tool flags are in fact routine?

# %%
my_fp_share = ...
solutions.check_false_positive_share_of_flagged(my_fp_share)

# %% [markdown]
# **3.** In the dose-response of Section 5, does the imbalance index `"rises"`, `"falls"` or stay
# `"flat"` (within noise) as adoption grows?

# %%
my_direction = ...
solutions.check_imbalance_direction(my_direction, dose_summary)

# %% [markdown]
# **4.** Which raw PCF coefficient (per facility) makes primary care as attractive per standard
# deviation as high-tier hospitals in Zhejiang? Use `zj.params_raw` and `zj.sd`.

# %%
my_target = ...
solutions.check_target_pcf_raw(my_target, zj)

# %% [markdown]
# ## What the evidence does and does not support
# **Supported, in this model:** a triage tool gets more serious patients to a hospital of grade
# 2 or 3; a better tool does less harm than a poor one; a coin-toss tool only adds load.
#
# **Not supported, in this model:** that triage *rebalances* the system. In the reduced-scale
# runs above, the default tool *raises* referrals per patient and the imbalance index, beyond the
# 10-seed uncertainty, and does not lower lost patients at tertiary hospitals. Two mechanisms do
# it: flagged patients (40 % of them routine) are sent upstream, and patients whose trust is
# restored return to primary hospitals that are already full and are referred on. In Yang et
# al.'s set-up primary hospitals are full every day, so primary utilisation cannot rise: the
# model has no idle primary care to fill, unlike the 52.1 % bed occupancy Fu & Lu report. At the
# paper's scale, where tertiary hospitals are already full most days, the extra upstream load
# multiplies lost patients at tertiary hospitals, and when lost patients come back the next day
# (the authors' rule) the backlog grows until most arrivals are lost. The headline effect sizes,
# with their 95 % intervals over 10 seeds, are collected below.

# %%
rows = {
    "reduced scale": effects.set_index(["comparison", "measure"]).loc["default tool"],
    "paper scale, lost dropped": pe.loc[("lost patients dropped", "default tool")],
    "paper scale, lost re-enter": pe.loc[
        ("lost patients re-enter (authors' code)", "default tool")
    ],
}
closing = pd.concat(
    {k: v.loc[["imbalance_index", "referrals_per_patient", "lost_g3", "lost_rate",
               "serious_reached_grade2_share"], ["mean_a", "mean_b", "difference", "low", "high"]]
     for k, v in rows.items()}
)  # fmt: skip
closing.round(4)

# %% [markdown]
# Read the last block with care: when lost patients re-enter, the engine counts each return as a
# new arrival, so "per patient" rates fall because the denominator swells with the backlog, not
# because care improved (`triage_measures` also gives rates per first arrival).
#
# **What would change the verdict:** primary capacity that is not saturated (Fu & Lu's world),
# a tool whose false positives are treated locally or reviewed remotely before referral, and data
# on real referral flows. The mobility bridge adds a second caution: attractiveness of primary
# care rebalances *between cities* only if primary care is where high-tier hospitals are not.
#
# ## Summary
# - H3 becomes testable once its mechanism is written as rules: classify, refer the flagged,
#   treat the cleared, restore trust; each rule is an assumption with its source sentence.
# - Measure imbalance with uncertainty: 10 paired seeds per setting, means with 95 % intervals.
# - In Yang et al.'s model the default tool helps serious patients reach specialist care but
#   increases referrals and tertiary load, and at the paper's scale multiplies lost patients; a
#   coin-toss tool is worse still.
# - Making primary care attractive in the mobility ERGM moves inflow towards cities rich in
#   primary care, which in the synthetic data are the big cities.
#
# ## Further reading
# - Fu H, Lu J (2025). Structural imbalance of medical resources amid population mobility and
#   digital empowerment. *Front Public Health*, doi 10.3389/fpubh.2025.1613293.
# - Yang T, Fan J, Gu W, et al. (2025). Modeling the evolution of inter-hospital referral
#   networks: an agent-based modeling approach. *Front Phys* 13:1659506.
# - Wynants L, et al. (2020). Prediction models for diagnosis and prognosis of covid-19:
#   systematic review and critical appraisal. *BMJ* 369:m1328 (why tool accuracy claims need
#   external validation).
