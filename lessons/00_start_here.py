# %% [markdown]
# # 00. Start here: why are China's hospitals unevenly used?
#
# **Goal:** know what this kit is for, the story its lessons tell, and how to work with its
# notebooks, widgets and synthetic datasets.
#
# **Prerequisites:** none. Some Python and pandas help from Lesson 01 on.
#
# ## Who this kit is for
# - **Instructors** running a course or a workshop on health systems, network science or
#   agent-based modelling: every lesson runs top to bottom, on Binder, in a couple of minutes.
# - **Students** who open it on Binder with one click: read, run, move the sliders, answer the
#   exercises and get feedback at once.
# - **Researchers** who want a real tool underneath: the `medkit` package fits exponential
#   random graph models (ERGMs) that agree with R's `statnet`, and runs the referral
#   agent-based model at full scale in seconds. Bring your own data in the documented schema.

# %% [markdown] tags=["instructor"]
# **Instructor note** (not in the student edition). About 15 min to teach (an estimate). Say at
# the start that every dataset is a synthetic twin and every referral result model output. Let
# the class move the widget before you show the logit formula. Objectives, tracks, run times and
# common questions: `INSTRUCTORS.md`.

# %%
from medkit.lesson import setup_lesson

setup_lesson()

# %% [markdown]
# ## The story in four steps
#
# 1. **People move toward high-tier hospitals.** Fu & Lu (2025) aggregate individual moves into
#    a city-to-city mobility network and fit ERGMs: cities with more *primary care
#    facilities* do not attract movers (hypothesis H1a), cities with more *high-tier
#    hospitals* do (H1b), nationally (288 cities) and in port-developed Zhejiang (88 counties;
#    Lesson 04 asks whether the pull is stronger there).
# 2. **High-tier hospitals overflow while primary care sits idle.** In 2021 high-tier
#    hospitals treated about nine times as many patients as primary care facilities, and ran
#    fuller beds (H2a, H2b).
# 3. **Referral networks concentrate on tertiary hospitals.** Yang et al. (2025) grow an
#    inter-hospital referral network from patients' choices in an agent-based model: a stable
#    network emerges in which tertiary hospitals collect the referrals ("siphoning").
# 4. **Digital triage might rebalance it (H3).** Fu & Lu end with a claim they never test:
#    machine-learning diagnostic tools in primary care would let routine cases stay local and
#    send serious ones straight up. Lesson 06 tests it in the referral model.
#
# ## A first toy: one patient, two choices
# Before any data, a toy with the arithmetic that runs through the whole kit: the **logit**.
# A patient with a routine complaint can go to the nearby primary clinic or to a high-tier
# hospital further away. Each option gets a utility; the share choosing it is
# $e^{u}/\sum e^{u}$. The high-tier hospital has a reputation premium (2 units, an assumption);
# travel costs 0.05 units per km; trust in primary care adds to the clinic's utility.

# %%
from medkit.story import hospital_choice_shares, trust_needed_for_balance

today = hospital_choice_shares(trust_in_primary=0.0, extra_distance_km=20.0)
today

# %%
print(
    f"With no extra trust and the hospital 20 km further, "
    f"{today['high-tier hospital']:.0%} of routine patients travel to the high-tier hospital."
)
print(
    f"Trust needed for a 50/50 split at 20 km: {trust_needed_for_balance(20.0):.2f} utility units."
)

# %% [markdown]
# A picture says it faster. Move the sliders: how much trust does primary care need before most
# routine patients stay local? How does distance change the answer?

# %%
# NBVAL_IGNORE_OUTPUT
from medkit.widgets.story import choice_widget

choice_widget()

# %% [markdown]
# *Figure: the share of routine patients choosing each option with no extra trust and the
# high-tier hospital 20 km further away; most travel to the high-tier hospital.*

# %% [markdown]
# The same logit, applied to every ordered pair of cities instead of one patient, is the ERGM
# of Lessons 02-04; applied to every referral decision, it is the choice rule of the referral
# model in Lessons 05-06.
#
# ## How the kit works
# - **Paired notebooks.** Each lesson is a `.py` file (the source, easy to diff and review) and
#   an `.ipynb` notebook generated from it, committed with its outputs. Open either in
#   JupyterLab: the `.py` opens as a notebook too.
# - **Widgets.** Sliders and menus call plain functions of the `medkit` package, which are unit
#   tested; what a widget shows is what the function returns.
# - **Synthetic twins.** The real mobility data behind Fu & Lu are not public. The datasets in
#   `datasets/` sit on real geography (real city codes, coordinates, census population,
#   urbanisation and dialect groups) but their hospital counts, economic covariates and moves are
#   **synthetic**, generated from a seed by code in the kit and calibrated so that refitting the
#   paper's models reproduces its Tables 3 and 4. They teach the method; they are not evidence
#   about China. Every synthetic number is labelled so where you meet it.
# - **Exercises with checks.** Write your answer in place of `...` and run the cell: you get
#   "Correct!" or an explanation of what went wrong. Numbers may be given as you like (a
#   numpy number, a one-element Series, rounded to the precision the question states, a
#   percentage where a share is asked). Stuck? `solutions.hint(2)` gives a hint for
#   exercise 2, and `solutions.show(2)` the worked answer with its reasoning. Nothing is shown
#   until you ask.
#
# ## Map of the lessons
#
# | lesson | question |
# |---|---|
# | 01 edge-list aggregation | How do individual moves become a mobility network? |
# | 02 ERGM intuition | What is an ERGM, and why do some need MCMC? |
# | 03 national fit | Do high-tier hospitals pull people between 288 cities? (Table 3) |
# | 04 provincial fit | Is the pull stronger in port-developed Zhejiang? (Table 4) |
# | 05 referral ABM | How does a referral network grow from patients' choices? |
# | 06 digital triage | Could digital triage in primary care rebalance the system? (H3) |
# | 07 do we need the threshold? | Do the conclusions survive count models of the flows? |

# %% [markdown]
# ## Exercises
# Replace each `...` with your answer and run the cell. For help, run `solutions.hint(1)` (a
# hint) or `solutions.show(1)` (the worked answer) in a new cell.
#
# **1.** With no extra trust, what share of routine patients stays in primary care when the
# high-tier hospital is 40 km further away? Give it to two decimal places (a percentage
# counts). Use `hospital_choice_shares` or reason it out.

# %%
from medkit.solutions import start_here as solutions

my_share = ...
solutions.check(1, my_share)

# %% [markdown]
# **2.** What trust in primary care (in utility units, to two decimal places) makes the split
# exactly 50/50 when the high-tier hospital is 10 km further away?

# %%
my_trust = ...
solutions.check(2, my_trust)

# %% [markdown]
# **3. Write the code.** Compute the choice shares at trust 1.0 with the high-tier hospital
# 30 km further away, and pass the Series `hospital_choice_shares` returns to the check.

# %%
my_shares = ...
solutions.check(3, my_shares)

# %% [markdown]
# **4. Interpret.** Trust in primary care rises while the distance stays the same. What
# happens to the share of routine patients travelling to the high-tier hospital?
# (a) it rises; (b) it falls; (c) it depends on the distance whether it changes at all.
# Answer `"a"`, `"b"` or `"c"`: each option has its own explanation.

# %%
my_choice = ...
solutions.check(4, my_choice)

# %% [markdown]
# ## Summary
# - **Why are China's hospitals unevenly used?** In the story the kit follows, people and
#   patients go where the high-tier hospitals are: they move toward cities that have them,
#   and patients bypass primary care for them, so high-tier hospitals overflow while primary
#   care sits idle. Trust in primary care and distance decide the split, as the toy shows.
# - The kit follows one story: mobility toward high-tier hospitals, overflow at the top and idle
#   primary care, referral networks that concentrate on tertiary hospitals, and digital triage
#   as a possible remedy.
# - The logit is the common arithmetic of the ERGMs and of the referral choices.
# - Lessons are paired `.py`/`.ipynb` files; widgets wrap tested functions; datasets are
#   synthetic twins on real geography.
#
# ## Further reading
# - Fu H, Lu J (2025). Structural imbalance of medical resources amid population mobility and
#   digital empowerment. *Frontiers in Public Health*. doi:10.3389/fpubh.2025.1613293
# - Yang T, Fan J, Gu W, et al. (2025). Modeling the evolution of inter-hospital referral
#   networks: an agent-based modeling approach. *Frontiers in Physics* 13:1659506.
#   doi:10.3389/fphy.2025.1659506
# - Network Analysis Made Simple (Ma & Seth), and QuantEcon's lectures, for the teaching style.
