"""Peak memory of the current process, for the benchmarks' reports.

``VmHWM`` (``/proc/self/status``) is the peak resident set of this process's own address space.
``getrusage(RUSAGE_SELF).ru_maxrss`` is not, for a child started with fork + exec: Linux carries
the forked copy's high-water mark, which starts at the parent's resident size, into the exec'd
program. A benchmark parent holding 6 GB of generated lines therefore made every child report at
least 6 GB. ``ru_maxrss`` is the fallback where ``/proc`` is absent.
"""

from __future__ import annotations

import re
import resource
from pathlib import Path


def peak_rss_mb() -> int:
    """This process's peak resident memory in MB (VmHWM, else ru_maxrss)."""
    status = Path("/proc/self/status")
    if status.exists():
        found = re.search(r"^VmHWM:\s+(\d+) kB", status.read_text(), re.MULTILINE)
        if found:
            return round(int(found.group(1)) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
