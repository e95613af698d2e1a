"""Who a campaign would reach, decided now, without freezing anything (``eligible``).

:func:`decide` answers with counts by basis and by reason in the rule book's
order; :func:`decide_and_write` also writes the eligible and excluded CSV files
of INTERFACE.md, all of them or none.
"""

from __future__ import annotations

from dataclasses import dataclass

from model import engine
from model.actions.dates import given_date
from model.actions.staff import Task, require
from model.categories import find_category
from model.engine import CampaignSpec, Decision, DecisionRun, RuleSettings
from model.errors import InputError
from model.exports import check_output_path, output_files, write_eligible, write_excluded
from model.normalise import category_display
from model.store import Store
from model.vocab import Basis, Channel, Purpose, Reason

__all__ = ["Recipients", "decide", "decide_and_write"]


@dataclass(frozen=True)
class Recipients:
    """A campaign's decisions as of its send date, with their counts."""

    spec: CampaignSpec
    settings: RuleSettings
    decisions: list[Decision]
    #: eligible contacts by basis, in the rule book's order (bases with none left out)
    bases: tuple[tuple[Basis, int], ...]
    #: excluded contacts by reason, in the rule book's order; a contact excluded for
    #: two reasons counts under each
    reasons: tuple[tuple[Reason, int], ...]
    #: False when the category is not in the shop's tree (it is compared by its path)
    category_known: bool

    @property
    def total(self) -> int:
        return len(self.decisions)

    @property
    def eligible_count(self) -> int:
        return sum(n for _, n in self.bases)

    @property
    def excluded_count(self) -> int:
        return self.total - self.eligible_count


def decide(
    store: Store,
    channel: Channel | str,
    category: str,
    send_date: str | None = None,
    purpose: Purpose | str = Purpose.COMMERCIAL,
    *,
    with_evidence: bool = False,
) -> Recipients:
    """Decide every contact for a campaign sent on ``send_date`` (default today).

    ``with_evidence`` also builds each decision's sentence (the files need it; the
    counts do not). Refuses an unknown channel or purpose, an empty category, a bad
    date and a charitable campaign of a business (DOMAIN.md 4.5).
    """
    require(store, Task.CAMPAIGNS)
    spec = _spec(channel, category, send_date, purpose)
    run = engine.run(store, spec, with_evidence=with_evidence)
    return _recipients(store, run)


def decide_and_write(
    store: Store,
    channel: Channel | str,
    category: str,
    send_date: str | None = None,
    purpose: Purpose | str = Purpose.COMMERCIAL,
    *,
    out: str | None = None,
    excluded: str | None = None,
) -> Recipients:
    """:func:`decide`, then write the eligible (``out``) and excluded files.

    The paths are checked before the work, so a typo fails fast; the files appear
    together, only when both are written whole.
    """
    require(store, Task.EXPORT if out is not None or excluded is not None else Task.CAMPAIGNS)
    spec = _spec(channel, category, send_date, purpose)
    for option, path in (("--out", out), ("--excluded", excluded)):
        if path is not None:
            check_output_path(path, option)
    want_text = out is not None or excluded is not None
    result = _recipients(store, engine.run(store, spec, with_evidence=want_text))
    with output_files(out, excluded) as (out_temp, excluded_temp):
        if out_temp is not None:
            write_eligible(store, out_temp, result.decisions)
        if excluded_temp is not None:
            write_excluded(excluded_temp, result.decisions)
    return result


def _spec(
    channel: Channel | str, category: str, send_date: str | None, purpose: Purpose | str
) -> CampaignSpec:
    """The campaign as the engine asks it; the engine refuses an unknown channel/purpose."""
    try:
        path = category_display(category)
    except ValueError:
        raise InputError(f"--category {category!r}: an empty category path") from None
    day = given_date(send_date)
    return CampaignSpec(str(channel).strip().lower(), path, day, str(purpose).strip().lower())


def _recipients(store: Store, run: DecisionRun) -> Recipients:
    bases, reasons = run.counts()
    return Recipients(
        spec=run.spec,
        settings=run.settings,
        decisions=run.decisions,
        bases=tuple((b, bases[b]) for b in Basis if bases[b]),
        reasons=tuple((r, reasons[r]) for r in Reason if reasons[r]),
        category_known=find_category(store, run.spec.category) is not None,
    )
