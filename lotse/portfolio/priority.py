"""Transparent prioritisation: a weighted score per project, with every criterion's share shown.

Scores run from 1 to 5. A benefit criterion counts (s-1)/4, a cost criterion (5-s)/4, so "high effort"
lowers the priority. Priority = 100 × Σ weight × normalised score / Σ weight, over the criteria scored.
The same function serves the saved ranking and the what-if preview (weights from the browser, not saved).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, Protocol

from lotse.portfolio.models import SCORE_MAX, SCORE_MIN, CriterionDirection, PriorityCriterion, Project

SPAN = SCORE_MAX - SCORE_MIN


class Scored(Protocol):
    @property
    def score(self) -> int: ...

    @property
    def justification(self) -> str: ...


class Score(NamedTuple):
    """A light stand-in for ProjectScore when ranking thousands of projects."""

    score: int
    justification: str


@dataclass
class Part:
    criterion: PriorityCriterion
    weight: int
    score: int | None
    justification: str
    points: float  # this criterion's share of the priority, in points of 100


@dataclass
class Ranked:
    project: Project
    priority: float | None
    parts: list[Part]
    complete: bool
    value: float  # 0..1, weighted benefit
    effort: float  # 0..1, weighted cost (high = much effort)
    budget: Decimal = Decimal(0)
    influence: int = 0
    rank: int | None = None
    extra: dict[str, object] = field(default_factory=dict)


def normalised(criterion: PriorityCriterion, score: int) -> float:
    raw = (score - SCORE_MIN) / SPAN
    return raw if criterion.direction == CriterionDirection.BENEFIT else 1 - raw


def evaluate(
    project: Project,
    criteria: list[PriorityCriterion],
    scores: Mapping[int, Scored],
    weights: Mapping[int, int] | None = None,
) -> Ranked:
    weights = weights or {}
    parts, total_w, sum_points = [], 0, 0
    value_w = value = effort_w = effort = 0.0
    complete = True
    for c in criteria:
        w = weights.get(c.pk, c.weight)
        s = scores.get(c.pk)
        if s is None:
            complete = complete and w == 0
            parts.append(Part(c, w, None, "", 0.0))
            continue
        # Integer points (0..SPAN) so that this and the SQL in selectors.priority_values round alike.
        raw = s.score - SCORE_MIN
        points = raw if c.direction == CriterionDirection.BENEFIT else SPAN - raw
        total_w += w
        sum_points += w * points
        if c.direction == CriterionDirection.BENEFIT:
            value_w, value = value_w + w, value + w * raw / SPAN
        else:
            effort_w, effort = effort_w + w, effort + w * raw / SPAN
        parts.append(Part(c, w, s.score, s.justification, float(w * points)))
    for p in parts:
        p.points = round(100 * p.points / (SPAN * total_w), 1) if total_w else 0.0
    return Ranked(
        project=project,
        priority=score_of(sum_points, total_w),
        parts=parts,
        complete=complete,
        value=value / value_w if value_w else 0.0,
        effort=effort / effort_w if effort_w else 0.0,
    )


def score_of(points: int, weights: int) -> float | None:
    """Priority 0–100 from Σ weight × points and Σ weight; None when nothing weighted is scored."""
    return round(100 * points / (SPAN * weights), 1) if weights else None


def assign_ranks(ordered: list[Ranked]) -> None:
    """Ranks for a list sorted by priority: equal priorities share a rank; unscored projects get none."""
    previous, position = None, 0
    for i, r in enumerate(ordered, 1):
        if r.priority is None:
            break
        if r.priority != previous:
            position, previous = i, r.priority
        r.rank = position
