"""Runs every benchmark under bench/ in turn; each prints its own figures (see docs/performance.md)."""

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Arguments per benchmark: the one-stop data set (1.000.000 dossiers) is generated once and then kept.
# The indicators one (10.000.000 values) likewise.
ARGS = {"onestop_dossiers.py": ["--reuse"], "indicators_values.py": ["--reuse"]}

for script in sorted(HERE.glob("*.py")):
    if script.name in {"run_all.py", "loadgen.py"} or script.name.startswith("_"):
        continue
    print(f"== {script.name} ==", flush=True)
    subprocess.run([sys.executable, str(script), *ARGS.get(script.name, [])], check=True)
