#!/usr/bin/env bash
# Drain gate for operators: scripts/deploy/drain-gate.sh <resource-group> <app> [timeout-seconds]
# Waits until the production slot's task hub has no Running/Pending call session (see drain-gate.js).
set -euo pipefail
rg="${1:?usage: $0 <resource-group> <app> [timeout-seconds]}"
app="${2:?usage: $0 <resource-group> <app> [timeout-seconds]}"
exec node "$(dirname "${BASH_SOURCE[0]}")/drain-gate.js" --resource-group "$rg" --app "$app" --slot production --timeout "${3:-1800}"
