"""`make bench`: every notebook run serially, then in parallel, side by side in one run."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from trafficking_course.dev.notebooks import Timing, find_notebooks, hermetic_environ, run_many


@dataclass
class NotebookBench:
    root: Path
    workers: int
    serial: list[Timing]
    parallel: list[Timing]
    serial_wall: float
    parallel_wall: float

    @property
    def errors(self) -> list[str]:
        return [str(t.error) for t in self.serial + self.parallel if not t.ok]

    def table(self) -> str:
        """The result as the Markdown table BENCHMARKS.md records."""
        by_path = {t.notebook: t for t in self.parallel}
        lines = [f"\nNotebook benchmark: {len(self.serial)} notebooks, {os.cpu_count()} cores, "
                 f"{self.workers} parallel workers\n",
                 "| notebook | serial run (s) | in parallel run (s) |", "|---|---:|---:|"]
        for s in self.serial:
            p = by_path[s.notebook]
            lines.append(f"| {Path(s.notebook).relative_to(self.root)} | {s.seconds:.1f} | "
                         f"{p.seconds:.1f} |")
        lines.append(f"| **wall time, all notebooks** | **{self.serial_wall:.1f}** | "
                     f"**{self.parallel_wall:.1f}** |")
        lines.append(f"\nspeed-up (serial / parallel wall time): "
                     f"{self.serial_wall / self.parallel_wall:.2f}x")
        return "\n".join(lines)


def bench_notebooks(root: Path, *, workers: int) -> NotebookBench:
    """Run every notebook serially, then in parallel (longest first by the serial timings)."""
    paths = find_notebooks(root)
    with tempfile.TemporaryDirectory() as tmp:
        env = hermetic_environ(Path(tmp))
        serial, serial_wall = run_many(paths, workers=1, env=env)
        longest_first = [Path(t.notebook) for t in sorted(serial, key=lambda t: -t.seconds)]
        parallel, parallel_wall = run_many(longest_first, workers=workers, env=env)
    return NotebookBench(root, workers, serial, parallel, serial_wall, parallel_wall)
