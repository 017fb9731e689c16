"""Regenerate every golden fixture.

Usage (from the repository root):
    /usr/bin/python3 scripts/goldens/generate.py            # all generators
    /usr/bin/python3 scripts/goldens/generate.py core_ops   # only the named ones

Each generator is a sibling module exposing main() -> number of cases written.
To add one (e.g. layers or optimisers), create scripts/goldens/<name>.py and
append its module name to GENERATORS below.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

GENERATORS = [
    "core_ops",
    "layers_goldens",
    "optim_goldens",
    "monitor_goldens",
]


def main(argv: list[str]) -> int:
    selected = argv or GENERATORS
    unknown = [name for name in selected if name not in GENERATORS]
    if unknown:
        print(f"unknown generator(s): {', '.join(unknown)}; known: {', '.join(GENERATORS)}", file=sys.stderr)
        return 2
    total = 0
    for name in selected:
        module = importlib.import_module(name)
        total += module.main()
    print(f"goldens: {total} cases from {len(selected)} generator(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
