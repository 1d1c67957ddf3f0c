"""HAL+JSON rendering as done by ngcp-panel's Data::HAL (spec §1.2-§1.4)."""

import json

from voip_emulator.core.errors import json_error

PROFILE = "http://purl.org/sipwise/ngcp-api/"
HAL_CONTENT_TYPE = 'application/hal+json; profile="%s"; charset=utf-8' % PROFILE
CURIES = {"href": PROFILE + "#rel-{rel}", "name": "ngcp", "templated": True}


def encode(obj, pretty=True):
    """HAL bodies are pretty-printed with sorted keys (spec §1.2).  Collection pages
    are sent compact: Python's indenting encoder is pure Python and would make a
    1000-row page cost ~0.4 s; the whitespace carries no meaning for clients."""
    if pretty:
        return json.dumps(obj, sort_keys=True, indent=3).encode("utf-8")
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode("utf-8")


def error_response(status, message):
    """``{"code": status, "message": message}`` as ``application/json`` (spec §3.3)."""
    return json_error(status, message)


def hal_content_type(request):
    """``Accept: application/json`` (exactly) switches the Content-Type only (spec §1.2)."""
    return "application/json" if request.header("accept", "") == "application/json" else HAL_CONTENT_TYPE


def item_links(collection, item_id, relations, self_href=None):
    """The ``_links`` object of an item; ``relations`` is the ordered list of
    (name, href) of its ``ngcp:<name>`` relations (several hrefs per name allowed)."""
    links = {
        "collection": {"href": "/api/%s/" % collection},
        "curies": CURIES,
        "profile": {"href": PROFILE},
        "self": {"href": self_href or "/api/%s/%s" % (collection, item_id)},
    }
    for name, href in relations:
        links.setdefault("ngcp:" + name, []).append({"href": href})
    return links


def link_header(collection, item_id, relations, in_get, item_all):
    """The ``Link`` header mirroring an item's links, in construction order.

    Verified live: on GET the self relation reads ``rel="item self"``; resources on
    the generic item handler (callforwards, admins, ...) prefix *every* relation with
    ``item``; 200 answers to PUT/PATCH carry plain relations.  ``item_all`` may
    also be a collection of relation names: the controllers with their own GET
    (ncoslevels, subscriberprofilesets) prefix only those (``resellers``)."""
    parts = ["</api/%s/>; rel=collection" % collection, "<%s>; rel=profile" % PROFILE]
    parts.append('</api/%s/%s>; rel="item self"' % (collection, item_id) if in_get else "</api/%s/%s>; rel=self" % (collection, item_id))
    for name, href in relations:
        prefixed = in_get and (item_all is True or (not isinstance(item_all, bool) and name in item_all))
        parts.append('<%s>; rel="%s%s#rel-%s"' % (href, "item " if prefixed else "", PROFILE, name))
    return ", ".join(parts)
