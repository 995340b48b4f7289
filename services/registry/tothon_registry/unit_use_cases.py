"""The registry's use cases about units: establishing, renaming, moving, merging and splitting them
(a reorganisation moves the groups and households it names in the same transaction)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError

from tothon_registry.domain.household import Household
from tothon_registry.domain.unit import Change, Unit, UnitError, UnitKind
from tothon_registry.registry_records import RegistryRecords


@dataclass(frozen=True)
class NewUnit:
    """A unit to establish (in a reorganisation, from its effective date)."""

    kind: UnitKind
    name: str
    code: str | None = None
    code_scheme: str | None = None
    parent_id: UUID | None = None


# Groups (unit ids) and households to move in a reorganisation, each to the index of a new unit.
Reassignment = dict[UUID, int]


class UnitUseCases(RegistryRecords):
    """Units over time: each change takes effect on a date and is kept as history."""

    def establish_unit(
        self,
        kind: UnitKind,
        name: str,
        code: str | None,
        code_scheme: str | None,
        parent_id: UUID | None,
        effective_from: date,
    ) -> UUID:
        """Record that a unit exists from ``effective_from``."""
        unit = self._new_unit(NewUnit(kind, name, code, code_scheme, parent_id), effective_from)
        self.save(unit)
        return unit.id

    def _new_unit(self, spec: NewUnit, effective_from: date) -> Unit:
        parent = self.get_unit(spec.parent_id) if spec.parent_id is not None else None
        # Recording history is allowed: the parent must have existed on the day, and a group
        # established under a ward that was later merged then follows it to its successor.
        if parent is not None and parent.name_on(effective_from) is None:
            raise UnitError(code="superseded")
        if not spec.kind.may_be_under(parent.kind if parent else None):
            raise UnitError(code="wrong_parent")
        return Unit(spec.kind, spec.name, spec.code, spec.code_scheme, spec.parent_id, effective_from)

    def rename_unit(self, unit_id: UUID, name: str, on: date) -> None:
        """The unit takes a new name from ``on``."""
        unit = self.get_unit(unit_id)
        unit.rename(name, on)
        self.save(unit)

    def move_unit(self, unit_id: UUID, parent_id: UUID, on: date) -> None:
        """The unit belongs to another parent from ``on``; never under itself or a descendant."""
        unit = self.get_unit(unit_id)
        if unit_id in self.lineage(parent_id):
            raise UnitError(code="cycle")
        unit.move(self.get_unit(parent_id), on)
        self.save(unit)

    def merge_units(self, unit_ids: list[UUID], into: UUID | NewUnit, plan: Reassignment, on: date) -> UUID:
        """Merge units into an existing unit (which carries on) or a new one, from ``on``.

        The merged units' groups and households named in ``plan`` (those the read model knows)
        move to the successor in the same transaction; anything missed still resolves to the
        successor through the merged unit's lineage."""
        merged = [self.get_unit(u) for u in dict.fromkeys(unit_ids) if u != into]
        if not merged:
            raise UnitError(code="nothing_to_merge")
        target = self._new_unit(into, on) if isinstance(into, NewUnit) else self.get_unit(into)
        if any(u.kind.is_administrative != target.kind.is_administrative for u in merged):
            raise UnitError(code="mixed_merge")
        for unit in merged:
            unit.supersede(Change.MERGED, [target], on)
        moved = self._reassign(merged, [target], {k: 0 for k in plan}, on)
        self.save(target, *merged, *moved)
        return target.id

    def split_unit(self, unit_id: UUID, parts: list[NewUnit], plan: Reassignment, on: date) -> list[UUID]:
        """Split a unit into new units (the first is the default successor) from ``on``. ``plan``
        maps each of its groups or households to the index of the part it goes to; the others
        go to the first part."""
        unit = self.get_unit(unit_id)
        if len(parts) < 2:
            raise UnitError(code="split_parts")
        if any(not 0 <= index < len(parts) for index in plan.values()):
            raise UnitError(code="assignment_invalid")
        successors = [self._new_unit(part, on) for part in parts]
        unit.supersede(Change.SPLIT, successors, on)
        moved = self._reassign([unit], successors, plan, on)
        self.save(*successors, unit, *moved)
        return [s.id for s in successors]

    def _reassign(
        self, old: list[Unit], new: list[Unit], plan: Reassignment, on: date
    ) -> list[Unit | Household]:
        """Move the named groups and transfer the named households of the ``old`` units to the
        ``new`` unit their plan names; refuses what does not belong to an old unit."""
        old_ids = {u.id for u in old}
        changed: list[Unit | Household] = []
        for item_id, index in plan.items():
            target = new[index]
            try:
                item: Unit | Household = self.repository.get(item_id)
            except AggregateNotFoundError:
                raise UnitError(code="assignment_invalid") from None
            if isinstance(item, Household) and item.unit_id in old_ids:
                item.transfer(target.id, on)
            elif isinstance(item, Unit) and item.parent_id in old_ids and item.in_force:
                item.move(target, on)
            else:
                raise UnitError(code="assignment_invalid")
            changed.append(item)
        return changed
