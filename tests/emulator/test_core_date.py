"""The ``Date`` header of every answer comes from the emulator's clock, for every
platform and both transports (the HTTP server and the in-process adapter): a
client that times leases by the server's Date (vtx_subscription) sees a moved
clock as it would see the real server's."""

from email.utils import parsedate_to_datetime

import pytest
import requests

from voip_emulator import PLATFORMS

SET = "2031-05-06T07:08:09Z"
DATE = "Tue, 06 May 2031 07:08:09 GMT"


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_in_process_answers_are_dated_by_the_emulator_clock(inprocess_emulator, platform):
    emulator = inprocess_emulator(platform)
    emulator.clock.freeze()
    emulator.clock.set(SET)
    session = emulator.session()
    # Any answer: a resource, a 401/404 of the platform's own shape, a fault, the control API.
    assert session.get(emulator.url + "/no/such/path").headers["Date"] == DATE
    emulator.add_fault(kind="status", status=503, retry_after=1)
    assert session.get(emulator.url + "/x").headers["Date"] == DATE
    assert session.get(emulator.url + "/__emulator__/health").headers["Date"] == DATE
    emulator.clock.advance(3 * 24 * 3600)
    assert session.get(emulator.url + "/__emulator__/health").headers["Date"] == "Fri, 09 May 2031 07:08:09 GMT"


def test_http_answers_are_dated_by_the_emulator_clock_once(emulator):
    process = emulator("xc5")
    process.freeze_clock()
    process.set_clock(SET)
    answer = requests.get(process.url + "/api-sys/account", timeout=10)
    assert answer.headers["Date"] == DATE
    assert len([name for name in answer.raw.headers if name.lower() == "date"]) == 1
    process.set_clock("2031-05-07T00:00:00Z")
    moved = requests.get(process.url + "/__emulator__/health", timeout=10)
    assert parsedate_to_datetime(moved.headers["Date"]).isoformat() == "2031-05-07T00:00:00+00:00"
