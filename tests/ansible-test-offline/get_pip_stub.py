# -*- coding: utf-8 -*-
# Copyright: voip.provisioning contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Offline stand-in for the get-pip.py script that ansible-test downloads.

ansible-test bootstraps pip in every virtual environment it manages by running
``~/.ansible/test/cache/get_pip_<version>.py`` (and downloads that file from a
host this project's machines cannot reach when it is missing).  scripts/lib.sh
copies this file to that name.  It bootstraps pip from the standard library's
``ensurepip``, then lets that pip install what ansible-test asked for (for
example ``pip==24.2``) from the package index the machine's pip configuration
names.

ansible-test runs pip with a reduced environment, so the index and CA bundle
must come from the pip configuration files, never from shell variables; and
``PIP_CONFIG_FILE=/dev/null`` (which ensurepip sets for itself) must not reach
the child pip, or it would not read those files.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys

# get-pip.py options that plain ``pip install`` does not know.
GET_PIP_ONLY_OPTIONS = ('--no-setuptools', '--no-wheel')


def main():
    """Bootstrap pip, then install the requested packages; return an exit code."""
    pip_args = [arg for arg in sys.argv[1:] if arg not in GET_PIP_ONLY_OPTIONS]

    env = dict(os.environ)
    env.pop('PIP_CONFIG_FILE', None)

    try:
        import ensurepip  # pylint: disable=unused-import
    except ImportError:
        sys.stderr.write('get_pip_stub: this Python has no ensurepip module; install the venv/ensurepip package for %s\n'
                         % sys.executable)
        return 1

    commands = [
        [sys.executable, '-m', 'ensurepip', '--default-pip'],
        [sys.executable, '-m', 'pip', 'install'] + pip_args,
    ]

    for command in commands:
        result = subprocess.call(command, env=env)

        if result != 0:
            sys.stderr.write('get_pip_stub: command failed with exit code %d: %s\n' % (result, ' '.join(command)))
            return result

    return 0


if __name__ == '__main__':
    sys.exit(main())
