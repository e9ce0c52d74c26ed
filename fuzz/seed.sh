#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the project's sample events, so the
# fuzzer starts from real review events and moderation commands.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/review_text corpus/review_event corpus/command
for f in ../events/message-review/*.json; do
  cp "$f" corpus/review_event/
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["Content"], end="")' "$f" \
    > "corpus/review_text/$(basename "$f" .json).txt"
done
for f in ../events/moderation-actions/*.json ../events/scheduled-events/*.json; do
  [ -e "$f" ] && cp "$f" corpus/command/
done
# Direct commands sit inside SQS bodies and EventBridge details as well.
python3 - <<'PY'
import json, glob, os
for path in glob.glob("../events/moderation-actions/*.json"):
    try:
        doc = json.load(open(path))
    except Exception:
        continue
    for i, record in enumerate(doc.get("Records", []) if isinstance(doc, dict) else []):
        body = record.get("body")
        if isinstance(body, str):
            name = f"corpus/command/{os.path.basename(path)}.{i}"
            open(name, "w").write(body)
    if isinstance(doc, dict) and isinstance(doc.get("detail"), dict):
        open(f"corpus/command/{os.path.basename(path)}.detail", "w").write(json.dumps(doc["detail"]))
PY
ls corpus/*/ | wc -l
