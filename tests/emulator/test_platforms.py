# -*- coding: utf-8 -*-
# Copyright: contributors to the voip.provisioning collection
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every registered platform owes the core (EMULATOR_CORE_API.md), checked
in-process for each entry of PLATFORMS."""

import pytest

from voip_emulator import PLATFORMS
from voip_emulator.core.app import App
from voip_emulator.inprocess import InProcessEmulator

ADMIN = ("administrator", "administrator")


@pytest.mark.parametrize("platform", sorted(PLATFORMS))
def test_platform_runs_in_process_on_the_emulator_clock_and_resets(platform, tmp_path):
    with InProcessEmulator(platform, state_dir=str(tmp_path)) as emulator:
        assert isinstance(emulator.app, App)
        assert emulator.app.clock is emulator.clock is emulator.emulator.clock
        answer = emulator.session().get(emulator.url + "/no/such/path/at/all")
        assert 200 <= answer.status_code < 500, answer.text
        assert [entry["path"] for entry in emulator.requests()] == ["/no/such/path/at/all"]
        emulator.clock.freeze()
        emulator.reset()
        assert emulator.requests() == [] and not emulator.clock.frozen
    # Its state dir opens again (persisted tables load).
    with InProcessEmulator(platform, state_dir=str(tmp_path)) as again:
        again.reset()


def test_c5_state_and_id_sequences_survive_a_restart(tmp_path):
    with InProcessEmulator("c5", state_dir=str(tmp_path)) as first:
        session = first.session()
        created = session.post(first.url + "/api/domains/", auth=ADMIN, json={"domain": "keep.example", "reseller_id": 1})
        assert created.headers["Location"] == "/api/domains/1"
        session.delete(first.url + "/api/domains/1", auth=ADMIN)
    with InProcessEmulator("c5", state_dir=str(tmp_path)) as second:
        session = second.session()
        created = session.post(second.url + "/api/domains/", auth=ADMIN, json={"domain": "next.example", "reseller_id": 1})
        # An auto-increment id is never handed out twice, also across a restart.
        assert created.headers["Location"] == "/api/domains/2"
        assert session.get(second.url + "/api/domains/", auth=ADMIN).json()["total_count"] == 1
