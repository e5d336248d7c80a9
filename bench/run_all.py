"""Runs every benchmark under bench/ in turn; each prints its own figures (see docs/performance.md)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

for script in sorted(HERE.glob("*.py")):
    if script.name in {"run_all.py", "loadgen.py"} or script.name.startswith("_"):
        continue
    print(f"== {script.name} ==", flush=True)
    subprocess.run([sys.executable, str(script)], check=True)
