"""Checks eval/datasets/conversations-tune4.jsonl with tune3's checks (eval/conversations_tune3.py):
every answer verbatim in its gold document and absent from the history, every assistant turn a
verbatim corpus span or the decline text. The set was written blind to rag/followup/, in the
ways people type in a chat: several sentences in one turn, why/how come, yes/no checks on the
last answer, "and the other one?", a return to an earlier topic, dates relative to the last
answer, fillers, and follow-ups the corpus does not answer.
Run: python eval/conversations_tune4.py (prints the problems; exits 1 if there are any).
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conversations import ROOT  # noqa: E402
from conversations_tune3 import main  # noqa: E402

PATH = ROOT / "eval" / "datasets" / "conversations-tune4.jsonl"

if __name__ == "__main__":
    raise SystemExit(main(PATH))
