# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The README's commands work as written.

"Pointing it at a real platform" is run line by line from the README itself (so a
change of the README is tested as it is), against the C5 emulator over HTTPS in place
of a real C5: only the URL, the password and the CA path of its ``export`` lines are
replaced, and the collection is installed into a temporary path instead of the user's
home (HOME is a temporary directory). The venv/pip lines are not run: the suite already runs in such a venv."""

import os
import re
import shlex
import subprocess
import sys

from conftest import REPO

BIN = os.path.dirname(sys.executable)


def readme_block(heading):
    """The first ```bash block after the Markdown heading ``heading``."""
    with open(os.path.join(REPO, "README.md"), encoding="utf-8") as handle:
        text = handle.read()
    start = text.index("\n## %s\n" % heading)
    match = re.search(r"```bash\n(.*?)```", text[start:], re.S)
    assert match, "no bash block under '## %s'" % heading
    return match.group(1)


def commands(block):
    """Shell commands of a README block: comments dropped, continued lines joined."""
    lines = []
    for raw in block.splitlines():
        line = raw.split("  #", 1)[0].rstrip()
        if not line or line.lstrip().startswith("#"):
            continue
        if raw[:1].isspace() and lines:  # a comment continued on the next line
            continue
        lines.append(line)
    return lines


def test_pointing_at_a_platform_commands_run_as_written(c5_emulator_tls, tmp_path):
    block = readme_block("Pointing it at a real platform")
    collections = tmp_path / ".ansible" / "collections"
    env = dict(os.environ)
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    env.pop("ANSIBLE_COLLECTIONS_PATH", None)
    env["HOME"] = str(tmp_path)  # ~ in the README's commands
    replacements = {
        "C5_URL": c5_emulator_tls.url,
        "C5_USERNAME": "administrator",
        "C5_PASSWORD": "administrator",
        "C5_CA_PATH": c5_emulator_tls.ca_file,
    }
    ran = []
    for line in commands(block):
        words = shlex.split(line)
        if words[0] in ("python3", "pip", "."):
            continue  # the virtualenv: this suite already runs in one
        if words[0] == "export":
            for assignment in words[1:]:
                name, _sep, value = assignment.partition("=")
                env[name] = replacements.get(name, value)
            continue
        # Through bash, as a user types it (``~`` is the temporary HOME: the collection lands in
        # its ~/.ansible/collections, which Ansible searches by default).
        proc = subprocess.run(["bash", "-c", line], cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              text=True, timeout=600, check=False)
        assert proc.returncode == 0, "README command failed: %s\n%s" % (line, proc.stdout[-3000:])
        ran.append((words[0], proc.stdout))
    assert [name for name, _out in ran] == ["ansible-galaxy", "ansible-playbook"]
    recap = ran[-1][1][ran[-1][1].index("PLAY RECAP"):]
    assert "failed=0" in recap and "changed=6" in recap, recap
    assert (collections / "ansible_collections" / "voip" / "provisioning" / "MANIFEST.json").exists()
