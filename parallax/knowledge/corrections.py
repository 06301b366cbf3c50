"""Corrections a user made to resolution (``parallax actors merge`` / ``split``), as plain data.

They are stored in the database and applied by every later resolution, so a re-ingest never undoes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Corrections:
    merged_into: dict[str, str] = field(default_factory=dict)  # actor id -> the actor it was merged into
    split_off: dict[str, frozenset[str]] = field(default_factory=dict)  # name key -> actors it must not link to

    def target(self, actor_id: str) -> str:
        """Where a link to this actor goes after merges (followed through chains, never in a loop)."""
        seen = {actor_id}
        while actor_id in self.merged_into and self.merged_into[actor_id] not in seen:
            actor_id = self.merged_into[actor_id]
            seen.add(actor_id)
        return actor_id

    def filter(self, key: str, scores: dict[str, float]) -> dict[str, float]:
        """Candidates for a name, merged actors folded into the actor they were merged into, without the
        actors the user split this name off from."""
        banned = self.split_off.get(key, frozenset())
        if not banned and not self.merged_into:
            return scores
        kept: dict[str, float] = {}
        for actor_id, score in scores.items():
            if actor_id in banned:
                continue
            target = self.target(actor_id)
            if target not in banned:
                kept[target] = max(score, kept.get(target, 0.0))
        return kept
