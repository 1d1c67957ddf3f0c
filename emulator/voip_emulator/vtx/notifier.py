# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Push delivery: POST a notification to a subscription's ``notificationUrl``
as the platform does (spec 4.6): JSON, ``accept: */*``, ``user-agent:
ReactorNetty/1.0.17``, no authentication or signature.

Retries are undocumented; assumed: a few attempts on a connection error or a
non-2xx answer, then the event is dropped.  Every attempt is recorded, so tests
can see what was delivered and what a receiver answered.
"""

import collections
import json
import os
import ssl
import threading
import time
import urllib.error
import urllib.request

USER_AGENT = "ReactorNetty/1.0.17"
#: Attempts kept in memory (oldest dropped).
HISTORY_LIMIT = 5000


class Notifier:
    def __init__(self, attempts=3, retry_delay=0.5, timeout=5.0, ca_file=None):
        self.attempts = attempts
        self.retry_delay = retry_delay
        self.timeout = timeout
        self.ca_file = ca_file
        self._lock = threading.Lock()
        self._history = collections.deque(maxlen=HISTORY_LIMIT)

    def _ssl_context(self):
        context = ssl.create_default_context()
        if self.ca_file and os.path.exists(self.ca_file):
            # Receivers in tests hold certificates of the emulator's own test CA.
            context.load_verify_locations(self.ca_file)
        return context

    def _post_once(self, url, body):
        request = urllib.request.Request(url, data=body, method="POST", headers={
            "Content-Type": "application/json", "Accept": "*/*", "User-Agent": USER_AGENT,
        })
        context = self._ssl_context() if url.lower().startswith("https:") else None
        try:
            with urllib.request.urlopen(request, timeout=self.timeout, context=context) as answer:
                return answer.status, None
        except urllib.error.HTTPError as exc:
            return exc.code, None
        except (OSError, ValueError) as exc:
            return None, "%s: %s" % (type(exc).__name__, getattr(exc, "reason", exc))

    def _deliver(self, subscription_id, url, payload, outcome):
        body = json.dumps(payload).encode("utf-8")
        for attempt in range(1, self.attempts + 1):
            status, error = self._post_once(url, body)
            record = {
                "subscriptionId": subscription_id, "url": url, "attempt": attempt, "status": status, "error": error,
                "callLogIds": [event["callLog"]["id"] for event in payload.get("callLogEvents", [])], "time": time.time(),
            }
            with self._lock:
                self._history.append(record)
            outcome.update(record)
            if status is not None and 200 <= status < 300:
                return
            if attempt < self.attempts:
                time.sleep(self.retry_delay * attempt)

    def deliver(self, notifications, wait=True):
        """Send each (subscription id, url, payload) in its own thread. With
        ``wait`` return the last attempt of each once done, else []."""
        threads, outcomes = [], []
        for subscription_id, url, payload in notifications:
            outcome = {"subscriptionId": subscription_id, "url": url}
            thread = threading.Thread(target=self._deliver, args=(subscription_id, url, payload, outcome), daemon=True)
            thread.start()
            threads.append(thread)
            outcomes.append(outcome)
        if not wait:
            return []
        deadline = time.monotonic() + self.attempts * (self.timeout + self.retry_delay * self.attempts) + 1
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        return [dict(outcome) for outcome in outcomes]

    def history(self):
        with self._lock:
            return list(self._history)

    def clear(self):
        with self._lock:
            self._history.clear()
