"""The catalog hash: one short string that names a database state. Pure.

A generated migration records the hash of the state it was generated against
(``from=`` in its header line); ``migrate apply`` compares it with the target's, and CI with
the chain's, to catch a migration generated against a state that no longer exists.

Two catalogs get the same hash when the diff engine sees no difference between them, as
nearly as a hash can say it, and on any server:

- the hash covers the objects only, each as its compared fields; the dependency pairs are
  left out, because they follow from the objects' definitions and the pairs PostgreSQL
  records differ between server versions in ways no diff reports;
- owners, grantors and the owner's own privileges are left out: the diff does not manage
  them (a target owned by the application role matches a shadow database owned by a
  superuser);
- a field holding its default value is left out, so a field added to the model later does
  not change the hash of catalogs that do not use it;
- sets are sorted, so the hash never depends on Python's hash seed.

The value carries its recipe (``c1-``); a hash of another recipe is not comparable.
"""

from __future__ import annotations

import dataclasses
import enum
import hashlib
import json
from typing import Any

from pgmt_git.diff.model import Catalog, DbObject, ObjectId

RECIPE = "c1"
# Not compared by the diff: who owns an object, who granted a privilege.
_IGNORED_FIELDS = frozenset({"owner", "grantor"})


def catalog_hash(catalog: Catalog) -> str:
    """``c1-`` and the SHA-256 hex of the catalog's canonical form."""
    objects = [_canonical(obj, owner=getattr(obj, "owner", "")) for obj in _sorted(catalog)]
    text = json.dumps(objects, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{RECIPE}-{hashlib.sha256(text.encode('utf-8')).hexdigest()}"


def comparable(value: str) -> bool:
    """Whether ``value`` is a hash of the current recipe (else nothing can be said)."""
    return value.startswith(f"{RECIPE}-")


def _sorted(catalog: Catalog) -> list[DbObject]:
    return [catalog.objects[oid] for oid in sorted(catalog.objects, key=lambda o: o.sort_key())]


def _canonical(value: Any, *, owner: str) -> Any:
    if isinstance(value, ObjectId):  # a tuple, hashed as the dataclass it once was
        return _object_id(value, owner=owner)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _dataclass(value, owner=owner)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [_canonical(v, owner=owner) for v in value]
    if isinstance(value, (set, frozenset)):
        return sorted((_canonical(v, owner=owner) for v in value), key=_json)
    if isinstance(value, dict):
        return {str(k): _canonical(v, owner=owner) for k, v in value.items()}
    return value


def _dataclass(value: Any, *, owner: str) -> dict[str, Any]:
    out: dict[str, Any] = {"": type(value).__name__}
    for field in dataclasses.fields(value):
        if not field.compare or field.name in _IGNORED_FIELDS:
            continue
        item = getattr(value, field.name)
        if _is_default(field, item):
            continue
        if field.name == "acl" and item is not None:
            item = [p for p in item if getattr(p, "grantee", None) != owner]
            out[field.name] = sorted((_canonical(p, owner=owner) for p in item), key=_json)
            continue
        out[field.name] = _canonical(item, owner=owner)
    return out


def _object_id(oid: ObjectId, *, owner: str) -> dict[str, Any]:
    out: dict[str, Any] = {"": "ObjectId", "kind": oid.kind.value, "schema": oid.schema,
                           "name": oid.name}
    if oid.args:
        out["args"] = oid.args
    if oid.parent is not None:
        out["parent"] = _object_id(oid.parent, owner=owner)
    return out


def _is_default(field: dataclasses.Field[Any], item: Any) -> bool:
    if field.default is not dataclasses.MISSING:
        return bool(item == field.default)
    if field.default_factory is not dataclasses.MISSING:
        return bool(item == field.default_factory())
    return False


def _json(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
