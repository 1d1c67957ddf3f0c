"""JSON Patch (RFC 6902) with ngcp-panel's restrictions and extensions (spec §3.6)."""

import copy

from voip_emulator.c5.errors import ApiError

# Keys each op may carry: (required, optional).
OP_KEYS = {
    "add": (("path", "value"), ("mode",)),
    "replace": (("path", "value"), ()),
    "remove": (("path",), ("value", "index")),
    "copy": (("from", "path"), ()),
    "move": (("from", "path"), ()),
    "test": (("path", "value"), ()),
}


def validate_patch(ops, allowed):
    """400s of ``get_valid_patch_data`` (messages verified live, errors.json)."""
    if not isinstance(ops, list):
        raise ApiError(400, "Body for PATCH must be an array.")
    for op in ops:
        if not isinstance(op, dict):
            raise ApiError(400, "Body for PATCH must be an array of objects.")
        name = op.get("op")
        if name is None:
            raise ApiError(400, "PATCH element must have an 'op' field")
        if name not in allowed:
            raise ApiError(400, "Invalid PATCH op '%s', must be one of %s" % (name, ", ".join("'%s'" % a for a in allowed)))
        required, optional = OP_KEYS[name]
        missing = [k for k in required if k not in op]
        if missing:
            raise ApiError(400, "Missing PATCH keys %s for op '%s'" % (", ".join("'%s'" % k for k in missing), name))
        extra = [k for k in op if k != "op" and k not in required and k not in optional]
        if extra:
            # Derived (not recorded): the validator rejects keys foreign to the op.
            raise ApiError(400, "Invalid PATCH key %s for op '%s', must be one of %s" % (
                ", ".join("'%s'" % k for k in extra), name, ", ".join("'%s'" % k for k in ("op",) + required + optional)))


def _nonexistent(pointer):
    return ApiError(422, "The entity could not be processed: A pointer that references a non-existent value (pointer: %s)" % pointer)


def _split(pointer):
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise _nonexistent(pointer)
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer[1:].split("/")]


def _parent(doc, pointer):
    parts = _split(pointer)
    if not parts:
        raise _nonexistent(pointer)
    node = doc
    for part in parts[:-1]:
        node = _child(node, part, pointer)
    return node, parts[-1]


def _child(node, part, pointer):
    if isinstance(node, dict):
        if part not in node:
            raise _nonexistent(pointer)
        return node[part]
    if isinstance(node, list):
        if not part.isdigit() or int(part) >= len(node):
            raise _nonexistent(pointer)
        return node[int(part)]
    raise _nonexistent(pointer)


def _get(doc, pointer):
    node = doc
    for part in _split(pointer):
        node = _child(node, part, pointer)
    return node


def _matches(element, pattern):
    """remove-by-value extension: objects match on the keys given in the pattern,
    compared as strings (so ``{"cc":"43"}`` matches ``{"cc":43}``)."""
    if isinstance(pattern, dict) and isinstance(element, dict):
        return all(k in element and str(element[k]) == str(v) for k, v in pattern.items())
    return str(element) == str(pattern) if not isinstance(pattern, (dict, list)) else element == pattern


def apply_patch(doc, ops):
    doc = copy.deepcopy(doc)
    for op in ops:
        name = op["op"]
        path = op["path"]
        if name == "add":
            value = copy.deepcopy(op["value"])
            parent, key = _parent(doc, path)
            if op.get("mode") == "append":
                # Extension: append element(s) to an array, creating it if missing.
                current = parent.get(key) if isinstance(parent, dict) else None
                current = list(current) if isinstance(current, list) else []
                current.extend(value if isinstance(value, list) else [value])
                _set(parent, key, current, path, insert=False)
            else:
                _set(parent, key, value, path, insert=True)
        elif name == "replace":
            parent, key = _parent(doc, path)
            _child(parent, key, path)
            _set(parent, key, copy.deepcopy(op["value"]), path, insert=False)
        elif name == "remove":
            parent, key = _parent(doc, path)
            target = _child(parent, key, path)
            if "value" in op and isinstance(target, list):
                # Extension: remove elements equal to / matching ``value``; ``index``
                # picks the n-th match only.
                hits = [i for i, element in enumerate(target) if _matches(element, op["value"])]
                if "index" in op:
                    hits = hits[int(op["index"]):int(op["index"]) + 1]
                for i in reversed(hits):
                    del target[i]
            elif isinstance(parent, list):
                del parent[int(key)]
            else:
                del parent[key]
        elif name == "copy":
            value = copy.deepcopy(_get(doc, op["from"]))
            parent, key = _parent(doc, path)
            _set(parent, key, value, path, insert=True)
        else:
            raise ApiError(400, "Invalid PATCH op '%s'" % name)
    return doc


def _set(parent, key, value, pointer, insert):
    if isinstance(parent, dict):
        parent[key] = value
    elif isinstance(parent, list):
        if key == "-":
            parent.append(value)
        elif key.isdigit() and int(key) <= len(parent):
            if insert:
                parent.insert(int(key), value)
            else:
                parent[int(key)] = value
        else:
            raise _nonexistent(pointer)
    else:
        raise _nonexistent(pointer)
