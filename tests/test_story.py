"""Lesson 00's toy choice model, its widget and its exercise checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from medkit._random import as_generator, int_seed
from medkit.errors import DataError, FormulaError
from medkit.solutions import start_here
from medkit.solutions._checks import check_value
from medkit.story import hospital_choice_shares, trust_needed_for_balance
from medkit.widgets.story import choice_widget, plot_choice_shares


def test_shares_are_a_logit():
    shares = hospital_choice_shares(0.0, 20.0)
    # utilities 0 and 2 - 0.05 * 20 = 1
    assert shares["primary care"] == pytest.approx(1 / (1 + math.e))
    assert shares.sum() == pytest.approx(1.0)


def test_trust_and_distance_push_patients_to_primary_care():
    base = hospital_choice_shares(0.0, 20.0)["primary care"]
    assert hospital_choice_shares(1.0, 20.0)["primary care"] > base
    assert hospital_choice_shares(0.0, 60.0)["primary care"] > base


def test_balance_point():
    trust = trust_needed_for_balance(10.0)
    assert trust == pytest.approx(1.5)
    assert hospital_choice_shares(trust, 10.0)["primary care"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    "kwargs", [{"extra_distance_km": -1.0}, {"trust_in_primary": float("nan")}]
)
def test_bad_input_is_refused(kwargs):
    with pytest.raises(ValueError, match="extra_distance_km|trust_in_primary"):
        hospital_choice_shares(**kwargs)


def test_widget_draws_what_the_function_returns():
    ax = plot_choice_shares(2.0, 40.0)
    heights = [p.get_height() for p in ax.patches]
    assert heights == pytest.approx(list(hospital_choice_shares(2.0, 40.0).values))
    widget = choice_widget(trust_in_primary=1.0, extra_distance_km=30.0)
    assert widget.children[0].value == 1.0 and widget.children[1].value == 30.0


def test_exercise_checks():
    assert start_here.check(1, 0.5).correct is True
    assert start_here.check(1, 50).correct is True  # a percentage for a share
    assert start_here.check(1, 0.7).correct is False
    assert start_here.check(1, ...).correct is None
    assert start_here.check(2, 1.5).correct is True
    assert "Hint" in repr(start_here.check(2, 0.0))


def test_check_value_kinds():
    assert check_value(3, 3.0005).correct is True
    assert check_value("x", 3.0).correct is False
    assert check_value(" Hangzhou ", "hangzhou").correct is True
    assert check_value([1, 2], [1, 2]).correct is True
    assert check_value(True, True).correct is True
    assert check_value(1, True).correct is True


def test_seeds_reproduce():
    assert np.array_equal(as_generator(5).random(4), as_generator(5).random(4))
    gen = np.random.default_rng(1)
    assert as_generator(gen) is gen
    assert int_seed(9) == int_seed(9)
    with pytest.raises(TypeError):
        as_generator("seven")
    with pytest.raises(ValueError):
        as_generator(-1)


def test_error_messages_say_where():
    err = DataError("negative count -3", file="flows.csv", row=4, column="count")
    assert str(err) == "flows.csv, row 4, column count: negative count -3"
    assert isinstance(err, ValueError)
    ferr = FormulaError("unknown term 'edgez'", formula="edgez + mutual", position=0)
    assert str(ferr).splitlines()[-1].strip() == "^"
