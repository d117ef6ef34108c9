"""The reference article against its gold file, and the public reports' headline events
(read from ../shared; skipped with a reason when it is absent)."""
import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.shared, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
SEED = "dawn-2023-03-08-us-pakistan-ct-dialogue"


def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("score_gold", shared / "tools" / "score_gold.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_seed_article_meets_the_gold(shared_dir):
    from newsledger.cli import cli
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["extract", str(shared_dir / "corpus" / "seed" / f"{SEED}.txt"), "--format", "json"])
    assert result.exit_code == 0, result.output
    scores = load_scorer(shared_dir).score(json.loads((shared_dir / "gold" / f"{SEED}.json").read_text()),
                                           json.loads(result.stdout))
    assert scores["boilerplate"] == 1.0 and scores["document"] == 1.0 and scores["places"] == 1.0
    assert scores["timex_value"] == 1.0
    assert scores["quote_speaker"] == 1.0
    assert scores["event_f1"] >= 0.75, scores["events_missed"]
    assert scores["score"] >= 0.95


def test_public_reports_all_ingest_and_yield_their_headline_events(shared_dir):
    run = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "public_headlines.py")],
                         capture_output=True, text=True, cwd=ROOT, timeout=900)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.strip().splitlines()
    assert "documents failed: 0" in lines

    def counts(label: str) -> tuple[int, int]:
        line = next(x for x in lines if x.startswith(f"headline events found, {label}: "))
        found, total = map(int, line.rsplit(" ", 1)[1].split("/"))
        return found, total

    found, total = counts("public")
    assert total == 17 and found >= 15, run.stdout
    found, total = counts("public2")
    assert total == 19 and found >= 10, run.stdout
