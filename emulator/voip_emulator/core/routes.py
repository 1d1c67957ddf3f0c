# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A route table: (methods, path regex) -> handler, as data.

    router = Router()
    router.add("GET", r"/api-sys/domains/(?P<domain>[^/]+)", self.get_domain)
    router.add(("PUT", "DELETE"), r"/api-sys/domains/(?P<domain>[^/]+)", self.change_domain)
    response = router.dispatch(request)      # None: no route for this method and path
    if response is None:
        allowed = router.allowed(request.path)  # [] -> 404, else 405 with Allow
        ...

Patterns match the whole path (``re.fullmatch``), case-sensitively unless
``flags`` say otherwise; named groups become keyword arguments of the handler
(``handler(request, **groups)``).  Routes are tried in the order they were added.
A HEAD request falls back to the GET route of the path when it has no own
route (the server drops the body of HEAD answers).
"""

import re


class Route:
    def __init__(self, methods, pattern, handler, name=None, flags=0):
        if isinstance(methods, str):
            methods = (methods,)
        self.methods = tuple(m.upper() for m in methods)
        self.pattern = pattern
        self.regex = re.compile(pattern, flags)
        self.handler = handler
        self.name = name or getattr(handler, "__name__", pattern)

    def accepts(self, method):
        return "*" in self.methods or method in self.methods

    def __repr__(self):
        return "Route(%s %s -> %s)" % ("|".join(self.methods), self.pattern, self.name)


class Router:
    def __init__(self):
        self.routes = []

    def add(self, methods, pattern, handler, name=None, flags=0):
        """Add a route; ``methods`` is "GET", ("GET", "POST") or "*" (any)."""
        route = Route(methods, pattern, handler, name, flags)
        self.routes.append(route)
        return route

    def route(self, methods, pattern, name=None, flags=0):
        """Decorator form of :meth:`add` for module-level handlers."""

        def register(handler):
            self.add(methods, pattern, handler, name, flags)
            return handler

        return register

    def match(self, method, path):
        """``(route, groups)`` of the first route for ``method`` and ``path``, or None."""
        method = method.upper()
        fallback = None
        for route in self.routes:
            found = route.regex.fullmatch(path)
            if found is None:
                continue
            if route.accepts(method):
                return route, found.groupdict()
            if method == "HEAD" and fallback is None and route.accepts("GET"):
                fallback = (route, found.groupdict())
        return fallback

    def dispatch(self, request, method=None, path=None):
        """Call the matching handler and return its Response; None when no route
        matches. ``method``/``path`` override the request's (method override
        headers, normalised paths)."""
        found = self.match(method or request.method, request.path if path is None else path)
        if found is None:
            return None
        route, groups = found
        return route.handler(request, **groups)

    def allowed(self, path):
        """Methods some route accepts on ``path``, in route order ([] = no such path;
        "*" when a route takes any method)."""
        methods = []
        for route in self.routes:
            if route.regex.fullmatch(path):
                for method in route.methods:
                    if method not in methods:
                        methods.append(method)
        if "GET" in methods and "HEAD" not in methods and "*" not in methods:
            methods.append("HEAD")
        return methods
