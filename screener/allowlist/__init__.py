"""The allowlist (DESIGN §5): an analyst's decision "supplier X is not listed entity Y".

A decision is keyed on the supplier's name key (``normalize_name``), the list id and the entity
id, and records a hash of the entity's sorted names when it was made. A run suppresses the
pair's hits while the decision is *active*:

- not revoked (``screener allow --revoke``);
- not expired: in force through ``expires_at`` (UTC date of the run), not after it;
- not lapsed: the entity's names in the run's lists still hash the same. The first run (or
  ``screener lists update``) that sees them change records a ``lapse`` in ``allowlist_audit``
  and the decision stays lapsed: the analyst decides again on the new names.

A decision is about a name, so it covers that name as manufacturer too. Suppressed hits leave
``match_hits`` (no flag, risk or concern sourcing follows from them) for ``match_suppressed``
and the ``suppressed_hits`` table, each with the sentence naming the decision.
"""

from screener.allowlist.apply import (
    ACTIVE,
    Review,
    explain_notes,
    review_decisions,
    split_hits,
    suppressed_rows,
)
from screener.allowlist.common import hash_names, parse_entity, parse_expiry
from screener.allowlist.decide import add_decision, list_decisions, revoke_decision

__all__ = [
    "ACTIVE",
    "Review",
    "add_decision",
    "explain_notes",
    "hash_names",
    "list_decisions",
    "parse_entity",
    "parse_expiry",
    "review_decisions",
    "revoke_decision",
    "split_hits",
    "suppressed_rows",
]
