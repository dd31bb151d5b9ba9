"""One answer-checking core for every lesson exercise.

A check never raises on a wrong answer: it returns a :class:`CheckResult` whose text tells the
learner what is right, or explains the mistake, so a notebook always runs top to bottom.

The pieces:

- :func:`as_number` turns any reasonable "one number" (a numpy scalar, a 0-d or one-element
  array, a one-element Series, list or tuple, a numeric string) into a float;
- :func:`check_number`, :func:`check_text` and :func:`check_choice` compare an answer with the
  right one (numbers to a stated precision, text against accepted spellings, a multiple choice
  with one explanation per option);
- :class:`NumberCheck`, :class:`TextCheck` and :class:`ChoiceCheck` are the same checks as
  callable objects that also know their right answer's forms (the property tests use them);
- :class:`Exercise` and :class:`ExerciseBook` hold a lesson's exercises: ``book.check(n, answer)``,
  ``book.hint(n)`` and ``book.show(n)`` (the worked answer, on request only).
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

NOT_ANSWERED = "Not answered yet: replace the ... with your answer and run the cell again."
HIDE_ANSWERS_ENV = "MEDKIT_HIDE_ANSWERS"


@dataclass(frozen=True)
class CheckResult:
    """Outcome of an exercise check.

    Attributes
    ----------
    correct : bool or None
        ``True`` if right, ``False`` if wrong, ``None`` if not answered yet.
    message : str
        Feedback for the learner.

    Examples
    --------
    >>> CheckResult(True, "Correct!")
    Correct!
    >>> bool(CheckResult(False, "Not quite."))
    False
    """

    correct: bool | None
    message: str

    def __bool__(self) -> bool:
        return bool(self.correct)

    def __repr__(self) -> str:
        return self.message

    def _repr_html_(self) -> str:
        colour = {True: "#1a7f37", False: "#b35900", None: "#57606a"}[self.correct]
        text = self.message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return f'<p style="color:{colour}"><b>{text}</b></p>'


def _not_answered(answer: Any) -> bool:
    return answer is None or answer is Ellipsis


# ----------------------------------------------------------------------------------- numbers
_NUMBER_TEXT = re.compile(r"^[+-]?(\d[\d,_ ]*\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _parse_number_text(text: str) -> tuple[float, bool]:
    """(value, was_percent) for a numeric string such as ``"0.5"``, ``"1,234"`` or ``"50 %"``."""
    s = text.strip().replace("\u2212", "-")
    percent = s.endswith("%")
    if percent:
        s = s[:-1].strip()
    if not _NUMBER_TEXT.match(s):
        raise ValueError(f"{text!r} is not a number")
    return float(s.replace(",", "").replace("_", "").replace(" ", "")), percent


def _single_item(x: Any) -> Any:
    """The one element of a one-element container (Series, array, list, tuple), else ``x``."""
    if isinstance(x, str | bytes | bool | int | float | complex):
        return x
    if isinstance(x, Mapping):
        if len(x) != 1:
            raise ValueError(f"expected one value, got a mapping with {len(x)} entries")
        return _single_item(next(iter(x.values())))
    values = getattr(x, "values", None)  # pandas Series / DataFrame / Index
    if values is not None and not callable(values):
        x = values
    if isinstance(x, list | tuple) or hasattr(x, "__array__") or hasattr(x, "shape"):
        arr = np.asarray(x, dtype=object).ravel()
        if arr.size != 1:
            raise ValueError(f"expected one value, got {arr.size} values")
        item = arr[0]
        return item.item() if isinstance(item, np.generic) else item
    if isinstance(x, np.generic):
        return x.item()
    return x


def as_number(x: Any) -> float:
    """Read one number from any reasonable form of it.

    Accepts Python and numpy numbers, 0-d and one-element arrays, one-element pandas Series,
    DataFrames, lists and tuples, and numeric strings (``"0.07"``, ``"1,234"``, ``"50 %"``: a
    trailing percent sign is dropped, not divided out; :func:`check_number` handles shares).

    Parameters
    ----------
    x : object
        The value to read.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If ``x`` is ``True``/``False`` or not a number at all.
    ValueError
        If ``x`` holds more or fewer than one value, or is text that is not a number.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> as_number(np.int64(3))
    3.0
    >>> as_number(pd.Series([0.25], index=[10]))
    0.25
    >>> as_number(np.array([[1.5]]))
    1.5
    >>> as_number("1,234")
    1234.0
    >>> as_number([1, 2])
    Traceback (most recent call last):
    ...
    ValueError: expected one value, got 2 values
    """
    return _as_number_and_percent(x)[0]


def _as_number_and_percent(x: Any) -> tuple[float, bool]:
    item = _single_item(x)
    if isinstance(item, bool | np.bool_):
        raise TypeError("expected a number, got True/False")
    if isinstance(item, str):
        return _parse_number_text(item)
    if isinstance(item, bytes):
        return _parse_number_text(item.decode("utf-8", errors="replace"))
    if isinstance(item, complex):
        raise TypeError("expected a real number, got a complex one")
    try:
        return float(item), False
    except (TypeError, ValueError):
        raise TypeError(f"expected a number, got {type(item).__name__}") from None


def _tolerance(expected: float, decimals: int | None, rel_tol: float | None) -> float:
    """Largest distance from ``expected`` that still counts as right."""
    tols = []
    if decimals is not None:
        # any rounding to `decimals` places (or finer) is within half a unit of the last place
        tols.append(0.5 * 10.0 ** (-decimals) * (1 + 1e-9) + 1e-12)
    if rel_tol is not None:
        tols.append(abs(expected) * rel_tol)
    if not tols:
        tols.append(max(abs(expected) * 1e-9, 1e-12))
    return max(tols)


def _matches(value: float, target: float, tol: float) -> bool:
    return math.isfinite(value) and abs(value - target) <= tol


def _format(x: float) -> str:
    return f"{x:.6g}"


Mistake = tuple[Any, str]


def _takes_no_arguments(func: Callable) -> bool:
    """True for a zero-argument function (a lazily computed value, not a predicate)."""
    import inspect

    try:
        params = inspect.signature(func).parameters.values()
    except (TypeError, ValueError):
        return False
    return not any(
        p.default is inspect.Parameter.empty
        and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        for p in params
    )


def check_number(
    answer: Any,
    expected: Any,
    *,
    decimals: int | None = None,
    rel_tol: float | None = None,
    share: bool = False,
    hint: str = "",
    mistakes: Sequence[Mistake] = (),
) -> CheckResult:
    """Check a numeric answer, in any reasonable form, against the right value.

    Parameters
    ----------
    answer : object
        What the learner gave: anything :func:`as_number` reads.
    expected : float
        The right value (anything :func:`as_number` reads).
    decimals : int, optional
        The precision the question states. Any rounding of ``expected`` to ``decimals`` places,
        or finer, passes (``0.07`` and ``0.069`` both pass for 0.0694 with ``decimals=2``).
    rel_tol : float, optional
        A relative tolerance instead of (or as well as) ``decimals``; with neither, the answer
        must equal ``expected`` up to floating-point noise.
    share : bool
        The question asks for a share (a proportion in [0, 1]): ``100 * expected`` (a
        percentage, to the same precision) also passes, with a note, and so does ``"50 %"``.
    hint : str
        Shown when the answer is wrong and no known mistake explains it.
    mistakes : sequence of (value or predicate, explanation)
        Known wrong answers: a value (compared to the same precision as the right one), a
        zero-argument function computing such a value, or a predicate ``float -> bool``; a
        match returns its own explanation.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> check_number(0.07, 0.0694, decimals=2)
    Correct!
    >>> check_number(pd.Series([0.069]), 0.0694, decimals=2).correct
    True
    >>> check_number(-1.1, -1.0986, decimals=1).correct
    True
    >>> check_number(50, 0.5, share=True)
    Correct! (50 is a percentage; as a share that is 0.5.)
    >>> check_number(1.0986, -1.0986, decimals=2, hint="log-odds of a tie.")
    Not quite: check the sign. Hint: log-odds of a tie.
    >>> check_number(0.75, 0.25, mistakes=[(0.75, "that is 1 - p, not p.")])
    Not quite: that is 1 - p, not p.
    >>> check_number(..., 0.5)
    Not answered yet: replace the ... with your answer and run the cell again.
    """
    if _not_answered(answer):
        return CheckResult(None, NOT_ANSWERED)
    hint_text = f" Hint: {hint}" if hint else ""
    try:
        value, was_percent = _as_number_and_percent(answer)
    except (TypeError, ValueError) as err:
        return CheckResult(False, f"Not quite: I need one number here ({err}).{hint_text}")
    target = as_number(expected)
    tol = _tolerance(target, decimals, rel_tol)
    precision = f" to {decimals} decimal places" if decimals is not None else ""

    if was_percent:
        if share and _matches(value / 100, target, tol):
            return CheckResult(
                True, f"Correct! ({_format(value)} % is the share {_format(target)}.)"
            )
        if not share and _matches(value, target, tol):
            return CheckResult(True, "Correct!")
        value = value / 100 if share else value
    elif _matches(value, target, tol):
        return CheckResult(True, "Correct!")
    elif share and _matches(value, 100 * target, 100 * tol):
        return CheckResult(
            True,
            f"Correct! ({_format(value)} is a percentage; as a share that is {_format(target)}.)",
        )

    for known, explanation in mistakes:
        if callable(known) and _takes_no_arguments(known):
            known = known()
        if callable(known):
            try:
                hit = bool(known(value))
            except Exception:  # a predicate that cannot judge this value does not match
                hit = False
        else:
            k = as_number(known)
            hit = _matches(value, k, _tolerance(k, decimals, rel_tol)) or (
                share and _matches(value, 100 * k, 100 * _tolerance(k, decimals, rel_tol))
            )
        if hit:
            return CheckResult(False, f"Not quite: {explanation}")

    if not math.isfinite(value):
        return CheckResult(False, f"Not quite: {_format(value)} is not a finite number.{hint_text}")
    if target != 0 and _matches(-value, target, tol):
        return CheckResult(False, f"Not quite: check the sign.{hint_text}")
    if decimals is not None and any(
        _matches(value, round(target, k), 1e-9 * max(1.0, abs(target))) for k in range(decimals)
    ):
        return CheckResult(
            False, f"Close: that is rounded too coarsely; give it{precision}.{hint_text}"
        )
    if _matches(value, target, 20 * tol) and (decimals is not None or rel_tol is not None):
        return CheckResult(
            False, f"Close, but not right{precision or ' within the tolerance'}.{hint_text}"
        )
    if share and 1 < abs(value) and _matches(value / 100, target, 20 * tol):
        return CheckResult(False, f"Close: as a percentage, check your rounding.{hint_text}")
    return CheckResult(False, f"Not quite.{hint_text}" if hint else "Not quite.")


# -------------------------------------------------------------------------------------- text
def normalise_text(text: Any) -> str:
    """Casefold, drop accents, spaces and punctuation: how text answers are compared.

    Examples
    --------
    >>> normalise_text("  Edges + Triangle! ")
    'edgestriangle'
    >>> normalise_text("Hángzhōu")
    'hangzhou'
    >>> normalise_text(3)
    '3'
    """
    item = _single_item(text)
    if isinstance(item, float) and item.is_integer():
        item = int(item)
    s = unicodedata.normalize("NFKD", str(item).upper().casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return "".join(ch for ch in unicodedata.normalize("NFKC", s).casefold() if ch.isalnum())


def _accepted_list(accepted: str | Iterable[Any]) -> list[str]:
    if isinstance(accepted, str) or not isinstance(accepted, Iterable):
        accepted = [accepted]
    return [str(a) for a in accepted]


def _mistake_pairs(mistakes: Mapping[Any, str] | Sequence[Mistake] | None) -> list[Mistake]:
    if not mistakes:
        return []
    if isinstance(mistakes, Mapping):
        return list(mistakes.items())
    return list(mistakes)


def check_text(
    answer: Any,
    accepted: str | Iterable[str],
    *,
    hint: str = "",
    mistakes: Mapping[str, str] | Sequence[Mistake] | None = None,
) -> CheckResult:
    """Check a text answer against accepted spellings, ignoring case, spaces and punctuation.

    Parameters
    ----------
    answer : object
        What the learner gave (a one-element Series or list of text is read too; an integer
        such as ``numpy.int64(3)`` is compared as ``"3"``).
    accepted : str or iterable of str
        Every spelling that counts as right (synonyms, Chinese and pinyin names, codes).
    hint : str
        Shown when the answer is wrong and no known mistake explains it.
    mistakes : mapping or sequence of (text, explanation), optional
        Known wrong answers, each with its own explanation.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> check_text("Model 3", ["3", "model 3"])
    Correct!
    >>> check_text("INCREASES ", ["increases", "rises", "goes up"]).correct
    True
    >>> check_text("falls", ["rises"], mistakes={"falls": "read the slope again."})
    Not quite: read the slope again.
    """
    if _not_answered(answer):
        return CheckResult(None, NOT_ANSWERED)
    hint_text = f" Hint: {hint}" if hint else ""
    try:
        given = normalise_text(answer)
    except ValueError as err:
        return CheckResult(False, f"Not quite: I need one answer here ({err}).{hint_text}")
    if not given:
        return CheckResult(None, NOT_ANSWERED)
    if given in {normalise_text(a) for a in _accepted_list(accepted)}:
        return CheckResult(True, "Correct!")
    for known, explanation in _mistake_pairs(mistakes):
        if callable(known):
            try:
                hit = bool(known(answer))
            except Exception:
                hit = False
        else:
            hit = given in {normalise_text(k) for k in _accepted_list(known)}
        if hit:
            return CheckResult(False, f"Not quite: {explanation}")
    return CheckResult(False, f"Not quite.{hint_text}" if hint else "Not quite.")


# ------------------------------------------------------------------------------------ choice
def _choice_key(text: Any) -> str:
    key = normalise_text(text)
    return key


def _strip_verdict(text: str) -> str:
    """An option's explanation without a leading "Right:"/"No:" (the check says which)."""
    text = re.sub(r"^(Right|Yes|No|Correct)[:!.,]\s*", "", text.strip())
    return text[:1].upper() + text[1:]


def check_choice(
    answer: Any,
    options: Mapping[str, str],
    correct: str,
    *,
    texts: Mapping[str, str] | None = None,
) -> CheckResult:
    """Check a multiple-choice answer; every option carries its own explanation.

    Parameters
    ----------
    answer : object
        The learner's choice: the label in any case or bracketing (``"b"``, ``"B"``, ``"(b)"``,
        ``"b)"``) or the option's text.
    options : mapping of label to explanation
        The explanation shown when that option is chosen (the right one's says why it is right).
    correct : str
        The label of the right option.
    texts : mapping of label to option text (or a list of accepted wordings), optional
        The options' wording, so that a learner may answer with it or a synonym.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> opts = {"a": "More ties, not fewer.", "b": "Yes: the odds rise with HTH.", "c": "No."}
    >>> check_choice("(B)", opts, "b")
    Correct! The odds rise with HTH.
    >>> check_choice("a", opts, "b")
    Not quite. More ties, not fewer.
    >>> check_choice("z", opts, "b")
    Not quite: choose one of a, b, c.
    """
    if _not_answered(answer):
        return CheckResult(None, NOT_ANSWERED)
    try:
        given = _choice_key(answer)
    except ValueError as err:
        return CheckResult(False, f"Not quite: choose one option ({err}).")
    chosen = None
    for label in options:
        wordings = _accepted_list(texts.get(label, [])) if texts else []
        if given == _choice_key(label) or given in {_choice_key(w) for w in wordings if w}:
            chosen = label
            break
    if chosen is None:
        return CheckResult(False, "Not quite: choose one of " + ", ".join(options) + ".")
    explanation = _strip_verdict(options[chosen])
    if chosen == correct:
        return CheckResult(True, f"Correct! {explanation}".rstrip())
    return CheckResult(False, f"Not quite. {explanation}")


# ------------------------------------------------------------------ check objects with forms
def _resolve(value: Any) -> Any:
    return value() if callable(value) else value


@dataclass(eq=False)
class NumberCheck:
    """:func:`check_number` as a callable that also lists the right answer's forms.

    ``expected`` may be a zero-argument function (evaluated once, on first use), so that a
    lesson's solutions module can be imported without fitting anything.

    Examples
    --------
    >>> c = NumberCheck(0.0694, decimals=2, share=True)
    >>> c(6.9)
    Correct! (6.9 is a percentage; as a share that is 0.0694.)
    >>> all(c(form).correct for form in c.right_forms())
    True
    """

    expected: Any
    decimals: int | None = None
    rel_tol: float | None = None
    share: bool = False
    hint: str = ""
    mistakes: Sequence[Mistake] = ()

    @cached_property
    def value(self) -> float:
        """The right value as a float."""
        return as_number(_resolve(self.expected))

    def __call__(self, answer: Any) -> CheckResult:
        return check_number(
            answer,
            self.value,
            decimals=self.decimals,
            rel_tol=self.rel_tol,
            share=self.share,
            hint=self.hint,
            mistakes=self.mistakes,
        )

    def right_forms(self) -> list[Any]:
        """The right answer as a float, numpy scalar, one-element Series/array/list, rounded."""
        import pandas as pd

        v = self.value
        forms: list[Any] = [v, np.float64(v), np.array(v), np.array([v]), [v], (v,)]
        forms.append(pd.Series([v], index=[7]))
        if float(v).is_integer():
            forms += [int(v), np.int64(int(v)), pd.Series([int(v)], dtype="int64")]
        if self.decimals is not None:
            forms += [round(v, d) for d in range(self.decimals, self.decimals + 4)]
            forms.append(f"{v:.{self.decimals}f}")
        if self.share:
            forms += [100 * v, f"{100 * v:.4f} %"]
        return forms


@dataclass(eq=False)
class TextCheck:
    """:func:`check_text` as a callable that also lists the right answer's forms.

    Examples
    --------
    >>> c = TextCheck(["rises", "increases"])
    >>> c(" Increases.")
    Correct!
    >>> c.right_forms()[:3]
    ['rises', 'RISES', '  rises. ']
    """

    accepted: Any
    hint: str = ""
    mistakes: Mapping[str, str] | Sequence[Mistake] | None = None

    @cached_property
    def spellings(self) -> list[str]:
        """Every accepted spelling."""
        return _accepted_list(_resolve(self.accepted))

    def __call__(self, answer: Any) -> CheckResult:
        return check_text(answer, self.spellings, hint=self.hint, mistakes=self.mistakes)

    def right_forms(self) -> list[Any]:
        """Each spelling as given, upper-cased, padded and punctuated, and in a Series."""
        import pandas as pd

        forms: list[Any] = []
        for s in self.spellings:
            forms += [s, s.upper(), f"  {s}. ", [s], pd.Series([s])]
        return forms


@dataclass(eq=False)
class ChoiceCheck:
    """:func:`check_choice` as a callable that also lists the right answer's forms.

    Examples
    --------
    >>> c = ChoiceCheck({"a": "Too small.", "b": "Right: 1.59 > 1.43."}, "b")
    >>> c("B").correct, c("a").message
    (True, 'Not quite. Too small.')
    """

    options: Mapping[str, str]
    correct: str
    texts: Mapping[str, str] | None = None

    def __call__(self, answer: Any) -> CheckResult:
        return check_choice(answer, self.options, self.correct, texts=self.texts)

    def right_forms(self) -> list[Any]:
        """The right label as given, upper-cased, bracketed, and its text if known."""
        c = self.correct
        forms: list[Any] = [c, c.upper(), f"({c})", f"{c})", f" {c}. "]
        if self.texts and c in self.texts:
            forms += _accepted_list(self.texts[c])
        return forms

    def wrong_forms(self) -> list[tuple[Any, str]]:
        """Every wrong option with (the start of) the explanation it must get."""
        pairs = [
            (label, _strip_verdict(text)[1:40])
            for label, text in self.options.items()
            if label != self.correct
        ]
        return [*pairs, ("none of them", "choose one of")]


# ------------------------------------------------------------------------------- exercises
@dataclass
class Exercise:
    """One exercise of a lesson: its check, its worked answer and how to explain it.

    Parameters
    ----------
    number : int
        The exercise's number in the lesson.
    prompt : str
        The question, in one or two sentences (shown by :meth:`ExerciseBook.show`).
    check : callable
        ``check(answer) -> CheckResult``; never raises on a wrong answer.
    answer : object
        The worked answer: a value, text or code, or a zero-argument function that makes it
        (evaluated only when shown or tested).
    reasoning : str
        Why the answer is right: shown with the answer.
    hint : str
        A nudge that does not give the answer away.
    right_forms : sequence
        Further answers that must pass (values, or zero-argument functions making them, such
        as a function that builds the object a code exercise asks for).
    wrong_answers : sequence of (answer, fragment)
        Wrong answers that must fail, each with a piece of the message it must get (the
        property tests check both). A bare answer (no fragment) only has to fail.

    Examples
    --------
    >>> ex = Exercise(1, "Log-odds of density 0.5?", NumberCheck(0.0, decimals=2), 0.0,
    ...               "log(0.5 / 0.5) = 0.", "log(p / (1 - p)).")
    >>> ex.check(0.001).correct
    True
    """

    number: int
    prompt: str
    check: Callable[[Any], CheckResult]
    answer: Any
    reasoning: str
    hint: str
    right_forms: Sequence[Any] = ()
    wrong_answers: Sequence[Any] = ()

    def worked_answer(self) -> Any:
        """The worked answer (made now if it is a function)."""
        return _resolve(self.answer)

    def all_right_forms(self) -> list[Any]:
        """Every form that must pass: the check's own forms and this exercise's extras."""
        forms = list(getattr(self.check, "right_forms", list)())
        forms += [_resolve(f) for f in self.right_forms]
        return forms

    def all_wrong_answers(self) -> list[tuple[Any, str]]:
        """Every (wrong answer, message fragment) pair that must fail."""
        pairs = list(getattr(self.check, "wrong_forms", list)())
        for w in self.wrong_answers:
            if isinstance(w, tuple) and len(w) == 2 and isinstance(w[1], str):
                pairs.append((_resolve(w[0]), w[1]))
            else:
                pairs.append((_resolve(w), ""))
        return pairs


def answers_hidden() -> bool:
    """``True`` when the environment variable ``MEDKIT_HIDE_ANSWERS`` is set to 1 (or yes/true).

    Examples
    --------
    >>> import os
    >>> os.environ.pop("MEDKIT_HIDE_ANSWERS", None) and None
    >>> answers_hidden()
    False
    """
    return os.environ.get(HIDE_ANSWERS_ENV, "").strip().lower() in {"1", "true", "yes", "on"}


@dataclass
class ExerciseBook:
    """The exercises of one lesson, with checks, hints and worked answers on request.

    Parameters
    ----------
    lesson_name : str
        The lesson's name, e.g. ``"02_ergm_intuition"``.

    Examples
    --------
    >>> book = ExerciseBook("99_demo")
    >>> _ = book.add(Exercise(1, "What is 2 + 2?", NumberCheck(4), 4,
    ...                       "Two and two make four.", "count on your fingers."))
    >>> book.check(1, "4")
    Correct!
    >>> book.check(1, 5)
    Not quite. Hint: count on your fingers.
    >>> book.hint(1)
    Hint for exercise 1: count on your fingers.
    >>> book.show(1)
    Exercise 1: What is 2 + 2?
    Answer: 4
    Why: Two and two make four.
    >>> book.check(2, 4)
    Not quite: 99_demo has exercise 1 only; there is no exercise 2.
    """

    lesson_name: str
    _exercises: dict[int, Exercise] = field(default_factory=dict, repr=False)

    def add(self, exercise: Exercise) -> Exercise:
        """Add an exercise (its number must be new) and return it."""
        if exercise.number in self._exercises:
            raise ValueError(f"{self.lesson_name} already has an exercise {exercise.number}")
        self._exercises[exercise.number] = exercise
        return exercise

    @property
    def exercises(self) -> list[Exercise]:
        """The exercises, in number order."""
        return [self._exercises[n] for n in sorted(self._exercises)]

    def __getitem__(self, number: int) -> Exercise:
        return self._exercises[number]

    def _missing(self, number: Any) -> str:
        numbers = sorted(self._exercises)
        listed = (
            f"exercise {numbers[0]} only"
            if len(numbers) == 1
            else "exercises " + ", ".join(map(str, numbers))
        )
        return f"{self.lesson_name} has {listed}; there is no exercise {number}."

    def check(self, number: int, answer: Any) -> CheckResult:
        """Check ``answer`` to exercise ``number``; never raises.

        Returns
        -------
        CheckResult
        """
        exercise = self._exercises.get(number)
        if exercise is None:
            return CheckResult(False, f"Not quite: {self._missing(number)}")
        if _not_answered(answer):
            return CheckResult(None, NOT_ANSWERED)
        try:
            result = exercise.check(answer)
        except Exception as err:  # a check must never stop the notebook
            return CheckResult(
                False,
                f"Not quite: the check could not read this answer ({type(err).__name__}: {err})."
                f" Hint: {exercise.hint}",
            )
        if (
            result.correct is False
            and exercise.hint
            and "Hint:" not in result.message
            and not isinstance(exercise.check, ChoiceCheck)
        ):
            result = CheckResult(False, f"{result.message} Hint: {exercise.hint}")
        return result

    def hint(self, number: int) -> None:
        """Print the hint of exercise ``number``."""
        exercise = self._exercises.get(number)
        if exercise is None:
            print(self._missing(number))
            return
        print(f"Hint for exercise {number}: {exercise.hint}")

    def show(self, number: int, *, instructor: bool = False) -> None:
        """Print the worked answer of exercise ``number`` with its reasoning.

        In the student edition (``MEDKIT_HIDE_ANSWERS=1``) it declines, unless
        ``instructor=True``.
        """
        exercise = self._exercises.get(number)
        if exercise is None:
            print(self._missing(number))
            return
        if answers_hidden() and not instructor:
            print(
                f"Worked answers are switched off in this edition of the course. Try "
                f"`solutions.hint({number})`, or ask your instructor."
            )
            return
        answer = exercise.worked_answer()
        if isinstance(answer, float):
            answer = _format(answer)
        text = str(answer)
        sep = "\n" if "\n" in text else " "
        print(
            f"Exercise {number}: {exercise.prompt}\nAnswer:{sep}{text}\nWhy: {exercise.reasoning}"
        )


# ------------------------------------------------------------------------ backward support
def check_value(
    answer: Any,
    expected: Any,
    *,
    rel_tol: float = 1e-3,
    abs_tol: float = 1e-9,
    hint: str = "",
) -> CheckResult:
    """Compare a learner's answer with the expected one (older, simpler interface).

    Numbers go through :func:`as_number` (so numpy scalars and one-element Series pass) and are
    compared with a tolerance; strings through :func:`check_text`; other objects by equality.
    New exercises use :func:`check_number`, :func:`check_text` or :func:`check_choice`.

    Parameters
    ----------
    answer : object
        What the learner gave.
    expected : object
        The right answer.
    rel_tol, abs_tol : float
        Tolerances for numbers, as in :func:`math.isclose`.
    hint : str
        Shown when the answer is wrong.

    Examples
    --------
    >>> check_value(0.5001, 0.5)
    Correct!
    >>> check_value(None, 0.5)
    Not answered yet: replace the ... with your answer and run the cell again.
    >>> check_value("medici", "Medici").correct
    True
    """
    if _not_answered(answer):
        return CheckResult(None, NOT_ANSWERED)
    if isinstance(expected, bool) or isinstance(answer, bool):
        right = answer is expected or answer == expected
    elif isinstance(expected, int | float | np.number):
        try:
            right = math.isclose(
                as_number(answer), float(expected), rel_tol=rel_tol, abs_tol=abs_tol
            )
        except (TypeError, ValueError):
            right = False
    elif isinstance(expected, str):
        return check_text(answer, [expected], hint=hint)
    else:
        right = bool(answer == expected)
    if right:
        return CheckResult(True, "Correct!")
    return CheckResult(False, "Not quite." + (f" Hint: {hint}" if hint else ""))


# ---------------------------------------------------------------- checks of objects made
def check_frame(
    answer: Any,
    columns: Sequence[str],
    *,
    n_rows: int | None = None,
    values: Mapping[str, Any] | None = None,
    decimals: int = 3,
    hint: str = "",
) -> CheckResult:
    """Check a table the learner made: a DataFrame (or Series) with the right columns and values.

    Parameters
    ----------
    answer : pandas.DataFrame or pandas.Series
        What the learner made (a named Series counts as a one-column frame).
    columns : sequence of str
        Columns that must be there (others may be too).
    n_rows : int, optional
        The number of rows it must have.
    values : mapping of column to array-like, optional
        Values some columns must hold, row by row in the given order, to ``decimals`` places
        (compared after aligning on the index when both have the same index labels).
    decimals : int
        Precision of the value comparison.
    hint : str
        Shown when the table is not right.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import pandas as pd
    >>> flows = pd.DataFrame({"origin": ["A"], "destination": ["B"], "count": [3]})
    >>> check_frame(flows, ["origin", "destination", "count"], values={"count": [3]})
    Correct!
    >>> check_frame(flows.drop(columns="count"), ["origin", "destination", "count"])
    Not quite: the table has no column 'count' (it has origin, destination).
    """
    import pandas as pd

    if _not_answered(answer):
        return CheckResult(None, NOT_ANSWERED)
    hint_text = f" Hint: {hint}" if hint else ""
    if isinstance(answer, pd.Series):
        answer = answer.to_frame(answer.name if answer.name is not None else "value")
    if not isinstance(answer, pd.DataFrame):
        return CheckResult(
            False, f"Not quite: I need a pandas DataFrame, got {type(answer).__name__}.{hint_text}"
        )
    missing = [c for c in columns if c not in answer.columns]
    if missing:
        have = ", ".join(map(str, answer.columns[:8]))
        return CheckResult(
            False,
            f"Not quite: the table has no column {missing[0]!r} (it has {have}).{hint_text}",
        )
    if n_rows is not None and len(answer) != n_rows:
        return CheckResult(
            False, f"Not quite: the table has {len(answer)} rows, not {n_rows}.{hint_text}"
        )
    for column, expected in (values or {}).items():
        want = expected if isinstance(expected, pd.Series) else pd.Series(list(expected))
        got = answer[column]
        if isinstance(expected, pd.Series) and set(want.index) == set(got.index):
            got = got.reindex(want.index)
        got_values = np.asarray(got, dtype=float)
        want_values = np.asarray(want, dtype=float)
        if got_values.shape != want_values.shape or not np.allclose(
            got_values, want_values, atol=0.5 * 10.0 ** (-decimals), rtol=0
        ):
            return CheckResult(
                False, f"Not quite: the values in column {column!r} are not right.{hint_text}"
            )
    return CheckResult(True, "Correct!")


def check_fit(
    answer: Any,
    terms: Sequence[str],
    *,
    n_nodes: int | None = None,
    directed: bool | None = None,
    params: Mapping[str, float] | None = None,
    decimals: int = 2,
    hint: str = "",
) -> CheckResult:
    """Check a fitted model the learner made: its terms, its network and its estimates.

    Parameters
    ----------
    answer : medkit.ergm.ERGMResults
        The learner's fit (anything with ``coef_names`` and ``params``).
    terms : sequence of str
        Exactly the statistics the fit must have (any order).
    n_nodes : int, optional
        Number of nodes of the network it must be fitted to.
    directed : bool, optional
        Whether that network must be directed.
    params : mapping of statistic to value, optional
        Estimates it must reproduce, to ``decimals`` places.
    decimals : int
        Precision for ``params``.
    hint : str
        Shown when the fit is not right.

    Returns
    -------
    CheckResult

    Examples
    --------
    >>> import networkx as nx
    >>> from medkit import ergm
    >>> res = ergm.fit(nx.gnp_random_graph(12, 0.3, seed=1), "edges")
    >>> check_fit(res, ["edges"], n_nodes=12)
    Correct!
    >>> check_fit(res, ["edges", "triangle"]).message
    "Not quite: the fit lacks the term(s) 'triangle'."
    """
    if _not_answered(answer):
        return CheckResult(None, NOT_ANSWERED)
    hint_text = f" Hint: {hint}" if hint else ""
    names = getattr(answer, "coef_names", None)
    if names is None or not hasattr(answer, "params"):
        return CheckResult(
            False,
            f"Not quite: I need a fitted model (the result of ergm.fit), got "
            f"{type(answer).__name__}.{hint_text}",
        )
    lacking = [t for t in terms if t not in names]
    if lacking:
        listed = ", ".join(repr(t) for t in lacking)
        return CheckResult(False, f"Not quite: the fit lacks the term(s) {listed}.{hint_text}")
    extra = [t for t in names if t not in terms]
    if extra:
        listed = ", ".join(repr(t) for t in extra)
        return CheckResult(False, f"Not quite: the fit has extra term(s) {listed}.{hint_text}")
    model = getattr(answer, "model", None)
    if n_nodes is not None and getattr(model, "n", n_nodes) != n_nodes:
        return CheckResult(
            False,
            f"Not quite: that fit is on a network of {model.n} nodes, not {n_nodes}.{hint_text}",
        )
    if directed is not None and bool(getattr(model, "directed", directed)) != directed:
        kind = "a directed" if directed else "an undirected"
        return CheckResult(False, f"Not quite: the fit must be on {kind} network.{hint_text}")
    for name, value in (params or {}).items():
        if not _matches(
            float(answer.params[name]), float(value), _tolerance(value, decimals, None)
        ):
            return CheckResult(
                False,
                f"Not quite: the {name} estimate is {float(answer.params[name]):.4g}; is it "
                f"fitted to the right network?{hint_text}",
            )
    return CheckResult(True, "Correct!")
