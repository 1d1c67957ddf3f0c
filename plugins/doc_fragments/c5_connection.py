# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Connection options of every Sipwise C5 module.  Each has an environment
    # fallback with a flat name, so an AWX / AAP custom credential type can
    # inject it (see README.md).
    DOCUMENTATION = r"""
options:
  url:
    description:
      - Base URL of the C5 REST API, for example V(https://c5.example.com:1443).
      - A trailing V(/api) is accepted and ignored.
      - Credentials in the URL (V(https://user:password@host)) are refused; use O(username) and O(password).
      - If not set, the environment variable E(C5_URL) is used. One of the two is required.
    type: str
  username:
    description:
      - Administrator or reseller-administrator login for HTTP Basic authentication.
      - If not set, the environment variable E(C5_USERNAME) is used.
      - Basic authentication costs the server a bcrypt hash on every request; O(token) or
        O(client_cert) are faster against a real C5.
    type: str
  password:
    description:
      - Password of O(username).
      - If not set, the environment variable E(C5_PASSWORD) is used.
    type: str
  auth_method:
    description:
      - How the modules authenticate.
      - V(basic) sends O(username) and O(password) with every request (HTTP Basic). A C5
        checks a bcrypt hash on every such request (about 0.4 s of server CPU each).
      - V(jwt) logs in with O(username) and O(password) (C(POST /login_jwt)) and sends the
        bearer token it gets; the platform must have a JWT key configured. With O(token_cache)
        (the default) the token is kept for the following tasks, so a play logs in once while
        the token is valid.
      - V(token) sends O(token) as a bearer token.
      - V(client_cert) authenticates with the TLS client certificate O(client_cert).
      - If not set, the environment variable E(C5_AUTH_METHOD) is used; if neither is set,
        V(token) when O(token) is set, else V(client_cert) when O(client_cert) is set,
        else V(basic).
    type: str
    choices: [basic, jwt, token, client_cert]
  token:
    description:
      - A bearer token (JWT) sent in the C(Authorization) header (scheme C(Bearer)) instead of
        Basic credentials (O(auth_method=token)).
      - If not set, the environment variable E(C5_TOKEN) is used.
    type: str
  token_cache:
    description:
      - With O(auth_method=jwt), keep the token between tasks and reuse it while it is more than
        60 seconds (or 10% of its lifetime, if more) from the expiry in its C(exp) claim; a task
        then logs in only when there is no such token. V(false) logs in once per task.
      - The cache is a directory only the user can read (mode 0700, files 0600) on the host that
        runs the module, C($XDG_RUNTIME_DIR/voip-provisioning/tokens) if E(XDG_RUNTIME_DIR) is set,
        else C(~/.ansible/tmp/voip-provisioning/tokens); the environment variable
        E(VOIP_PROVISIONING_TOKEN_CACHE_DIR) names another one. Entries are keyed by a salted
        PBKDF2 hash of URL, login and password, so other credentials never use the token; the
        password is not stored.
      - A token without an expiry is not cached. A cached token the server refuses (HTTP 401
        or 403) is dropped and the task logs in once more and repeats the request.
      - If not set, the environment variable E(C5_TOKEN_CACHE) is used.
    type: bool
    default: true
  client_cert:
    description:
      - Path to a PEM client certificate (as issued by C(POST /api/admincerts/)), for TLS
        client-certificate authentication. May hold the key too.
      - If not set, the environment variable E(C5_CLIENT_CERT) is used.
    type: path
  client_key:
    description:
      - Path to the PEM private key of O(client_cert), if it is not in the same file.
      - If not set, the environment variable E(C5_CLIENT_KEY) is used.
    type: path
  validate_certs:
    description:
      - Whether to verify the server's TLS certificate. C5 installations often use
        self-signed certificates; prefer O(ca_path) over switching this off.
      - If not set, the environment variable E(C5_VALIDATE_CERTS) is used.
    type: bool
    default: true
  ca_path:
    description:
      - A CA bundle (PEM) to verify the server certificate with. It must exist.
      - If not set, the environment variable E(C5_CA_PATH) is used.
    type: path
  timeout:
    description:
      - Seconds to wait for one answer (more than 0). A real C5 can take half a minute for a large page;
        keep this generous so that a slow but healthy server is waited for, not retried.
      - If not set, the environment variable E(C5_TIMEOUT) is used.
    type: float
    default: 120
  retries:
    description:
      - How often a failed request is retried (connection errors, HTTP 429/502/503/504),
        with exponential backoff that honours C(Retry-After).
      - A POST is never retried blindly; after a failed create the object is looked up by
        its natural key first, and the create is repeated only if it is absent.
      - When three requests in a row cannot reach the server at all (after their retries), the
        remaining requests of the task fail at once instead of each trying again.
      - If not set, the environment variable E(C5_RETRIES) is used.
    type: int
    default: 3
  workers:
    description:
      - The most requests in flight at once, and the most connections opened to the server.
      - Size it to the server's API workers (a C5 runs a fixed number of pre-forked workers,
        and each kept-alive connection holds one); more only makes requests queue.
      - If not set, the environment variable E(C5_WORKERS) is used.
    type: int
    default: 2
  page_size:
    description:
      - Rows per page when reading collections. Collections are always read to the end,
        page by page.
      - If not set, the environment variable E(C5_PAGE_SIZE) is used.
    type: int
    default: 100
notes:
  - All C5 modules belong to the action group C(voip.provisioning.c5), so
    C(module_defaults) with C(group/voip.provisioning.c5) sets the connection once.
  - With a local connection (V(hosts=localhost), V(delegate_to=localhost) or
    V(connection=local)) the module runs in-process on the controller through its action
    plugin, which is much faster; with any other connection it runs on the target host.
requirements:
  - requests
"""
