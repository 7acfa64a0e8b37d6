#!/usr/bin/env bash
# Installs the pinned schemathesis into .tools/venv (used by test/integration/schemathesis.test.ts and .ci/run).
# Every package is pinned (scripts/schemathesis-requirements.txt, a `pip freeze` of a working install), so each run
# generates the same cases for the same seed. Idempotent: does nothing when the pinned set is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUIREMENTS=scripts/schemathesis-requirements.txt
VENV=.tools/venv
STAMP="$VENV/.requirements"
if [ -x "$VENV/bin/schemathesis" ] && cmp -s "$REQUIREMENTS" "$STAMP"; then
  exit 0
fi
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
cp "$REQUIREMENTS" "$STAMP"
"$VENV/bin/schemathesis" --version
