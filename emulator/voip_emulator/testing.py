# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start the emulator from tests and talk to its control API (stdlib only).

    from voip_emulator.testing import EmulatorProcess

    with EmulatorProcess(platform="c5", tls=True) as emulator:
        requests.get(emulator.url + "/api/", verify=emulator.ca_file, ...)
        assert emulator.requests()[-1]["status"] == 200

The emulator runs as a subprocess (``python -m voip_emulator``) on a free port
with a fresh temporary state directory, removed by :meth:`EmulatorProcess.stop`.
"""

import json
import os
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from urllib.parse import urlsplit

#: The directory holding the ``voip_emulator`` package (``emulator/``).
EMULATOR_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class EmulatorError(RuntimeError):
    """The emulator did not start, or a control call failed."""


class EmulatorProcess:
    """An emulator subprocess. Use as a context manager, or call :meth:`start`
    and :meth:`stop`."""

    def __init__(self, platform="c5", tls=False, client_certs=False, profile=None, time_scale=None, seed=None,
                 extra_args=(), state_dir=None, host="127.0.0.1", startup_timeout=30.0):
        self.platform = platform
        self.tls = tls or client_certs
        self.client_certs = client_certs
        self.profile = profile
        self.time_scale = time_scale
        self.seed = seed
        self.extra_args = list(extra_args)
        self.host = host
        self.startup_timeout = startup_timeout
        # A state dir we created is ours to delete; a given one is the caller's.
        self._owns_state_dir = state_dir is None
        self.state_dir = state_dir
        self.port = 0
        self.url = None
        self.process = None

    # -- life cycle ----------------------------------------------------

    @property
    def tls_dir(self):
        return os.path.join(self.state_dir, "tls")

    @property
    def ca_file(self):
        """The test CA certificate (``verify=`` for requests), or None without TLS."""
        return os.path.join(self.tls_dir, "ca.pem") if self.tls else None

    @property
    def log_file(self):
        """The emulator's stdout/stderr."""
        return os.path.join(self.state_dir, "emulator.log")

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def running(self):
        return self.process is not None and self.process.poll() is None

    def command(self):
        argv = [sys.executable, "-m", "voip_emulator", "serve", "--platform", self.platform, "--host", self.host,
                "--port", str(self.port), "--state-dir", self.state_dir, "--port-file", self._port_file]
        if self.tls:
            argv.append("--tls")
        if self.client_certs:
            argv.append("--client-certs")
        if self.profile:
            argv += ["--profile", self.profile]
        if self.time_scale is not None:
            argv += ["--time-scale", repr(float(self.time_scale))]
        if self.seed is not None:
            argv += ["--seed", str(self.seed)]
        return argv + self.extra_args

    @property
    def _port_file(self):
        return os.path.join(self.state_dir, "url")

    def start(self):
        """Start the process and wait until ``/__emulator__/health`` answers."""
        if self.running():
            return self
        if self.state_dir is None:
            self.state_dir = tempfile.mkdtemp(prefix="voip-emulator-test-")
        if os.path.exists(self._port_file):
            os.unlink(self._port_file)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [EMULATOR_DIR, env.get("PYTHONPATH")]))
        with open(self.log_file, "ab") as log, open(os.devnull, "rb") as devnull:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                self.command(), stdin=devnull, stdout=log, stderr=log, env=env
            )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise EmulatorError("emulator exited with %s:\n%s" % (self.process.returncode, self._log_tail()))
            if os.path.exists(self._port_file):
                with open(self._port_file, encoding="utf-8") as stream:
                    self.url = stream.read().strip()
                self.port = urlsplit(self.url).port
                try:
                    self.health()
                    return self
                except (EmulatorError, OSError):
                    pass
            time.sleep(0.02)
        self._stop_process()
        raise EmulatorError("emulator did not answer within %.0f s:\n%s" % (self.startup_timeout, self._log_tail()))

    def _log_tail(self):
        try:
            with open(self.log_file, encoding="utf-8", errors="replace") as stream:
                return stream.read()[-4000:]
        except OSError:
            return ""

    def _stop_process(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self.process = None

    def stop(self):
        """Stop the process (SIGTERM) and delete the state dir if we created it."""
        self._stop_process()
        if self._owns_state_dir and self.state_dir:
            shutil.rmtree(self.state_dir, ignore_errors=True)
            self.state_dir = None

    def restart(self):
        """Stop and start again on the same state dir and port: state and the
        test CA survive, clients keep their URL."""
        self._stop_process()
        return self.start()

    def ensure_running(self):
        """Start again (same state) if the process died, e.g. a test killed it."""
        if not self.running():
            self.restart()
        return self

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            # __exit__ does not run when __enter__ fails: clean up here.
            self.stop()
            raise

    def __exit__(self, *exc_info):
        self.stop()

    # -- control API ---------------------------------------------------

    def ssl_context(self, client_cert=None):
        """An SSL context trusting the test CA; ``client_cert`` is a PEM file with
        key and certificate (see :meth:`issue_client_cert`)."""
        context = ssl.create_default_context(cafile=self.ca_file)
        if client_cert:
            context.load_cert_chain(client_cert)
        return context

    def control(self, method, name, body=None, query=""):
        """Call ``/__emulator__/<name>`` and return the decoded JSON answer."""
        url = "%s/__emulator__/%s%s" % (self.url, name, "?" + query if query else "")
        data = json.dumps(body).encode("utf-8") if body is not None else None
        request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
        context = self.ssl_context() if self.tls else None
        try:
            with urllib.request.urlopen(request, timeout=30, context=context) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise EmulatorError("%s %s: %s %s" % (method, url, exc.code, exc.read().decode("utf-8", "replace"))) from exc

    def health(self):
        return self.control("GET", "health")

    def requests(self, clear=False, since=0):
        """The request log (list of dicts, oldest first); ``clear`` empties it in
        the same step; ``since`` returns only entries with a larger ``seq``."""
        query = "&".join(part for part in ("since=%d" % since if since else "", "clear=1" if clear else "") if part)
        return self.control("GET", "requests", query=query)

    def clear_requests(self):
        return self.control("DELETE", "requests")

    def add_fault(self, **rule):
        """Add one fault rule (``kind``, ``method``, ``path_regex``, ``status``,
        ``retry_after``, ``count``, ``after``, ``seconds``); returns all rules."""
        return self.control("POST", "faults", rule)

    def faults(self):
        return self.control("GET", "faults")

    def clear_faults(self):
        return self.control("DELETE", "faults")

    def configure(self, **config):
        """Change latency profile / time scale / seed / profile keys; returns the
        effective config."""
        return self.control("POST", "config", config)

    def config(self):
        return self.control("GET", "config")

    def reset(self):
        """Seed data, empty log, no faults, startup config, real-time clock."""
        return self.control("POST", "reset", {})

    def clock(self):
        """The emulator clock: ``{"now": epoch, "iso": ..., "frozen": bool, "offset": s}``."""
        return self.control("GET", "clock")

    def set_clock(self, instant, freeze=None):
        """Set the clock to ``instant`` (epoch seconds or ISO 8601); ``freeze``
        True/False also stops/starts it. Returns :meth:`clock`."""
        command = {"set": instant}
        if freeze is not None:
            command["freeze"] = bool(freeze)
        return self.control("POST", "clock", command)

    def advance_clock(self, seconds):
        """Move the clock forward by ``seconds``; returns :meth:`clock`."""
        return self.control("POST", "clock", {"advance": seconds})

    def freeze_clock(self, frozen=True):
        return self.control("POST", "clock", {"freeze": bool(frozen)})

    def issue_client_cert(self, common_name, path=None):
        """Issue a client certificate from the test CA; write key+cert PEM to
        ``path`` (default: in the state dir) and return ``(serial, path)``."""
        from voip_emulator.core.tls import issue_client_cert

        serial, pem = issue_client_cert(self.tls_dir, common_name)
        path = path or os.path.join(self.state_dir, "client-%d.pem" % serial)
        with open(path, "wb") as stream:
            stream.write(pem)
        return serial, path
