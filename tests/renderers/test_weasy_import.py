"""WeasyPrint imported by fichegen without ``gcc`` looking for its libraries: the same
libraries are loaded as by a plain ``import weasyprint``, no process is started, the
standard library's ``find_library`` is restored, and a failed quick import is retried."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux only")

_PROBE = """
import json, subprocess, sys
started = []
real_init = subprocess.Popen.__init__
def spy(self, args, *a, **k):
    started.append(str(args))
    real_init(self, args, *a, **k)
subprocess.Popen.__init__ = spy
import ctypes.util
before = ctypes.util.find_library
{importing}
libraries = sorted(
    {{line.split()[-1] for line in open("/proc/self/maps")
     if any(n in line for n in ("libgobject", "libpango", "libharfbuzz", "libfontconfig"))}}
)
print(json.dumps({{"started": started, "libraries": libraries,
                  "restored": ctypes.util.find_library is before}}))
"""


def _probe(importing: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(importing=importing)],
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),  # the installed fichegen, not a checkout's
    )
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_same_libraries_and_no_process_started() -> None:
    plain = _probe("import weasyprint")
    quick = _probe(
        "from fichegen.renderers.weasy_import import import_weasyprint\nimport_weasyprint()"
    )
    assert quick["libraries"] == plain["libraries"]
    assert any("libpango-1.0" in path for path in quick["libraries"])  # type: ignore[attr-defined]
    assert quick["started"] == []
    assert plain["started"], "WeasyPrint no longer runs ldconfig or gcc: drop the workaround"
    assert quick["restored"] is True


def test_a_failed_quick_import_is_retried_with_the_full_lookup() -> None:
    code = """
import sys, types
from fichegen.renderers import weasy_import
calls = []
real = weasy_import._import
def flaky():
    calls.append(1)
    if len(calls) == 1:
        sys.modules["weasyprint"] = types.ModuleType("weasyprint")
        sys.modules["weasyprint.half"] = types.ModuleType("weasyprint.half")
        print("WeasyPrint could not import some external libraries")
        raise OSError("cannot load library")
    real()
weasy_import._import = flaky
weasy_import.import_weasyprint()
import weasyprint
print(len(calls), hasattr(weasyprint, "HTML"), "weasyprint.half" in sys.modules)
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=tempfile.gettempdir(),
    )
    assert done.stdout.strip() == "2 True False"  # the first attempt's message not shown
