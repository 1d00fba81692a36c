#!/usr/bin/env bash
# Swaps a deployment slot into production after the drain gate, then checks production's health.
# The same command rolls back: swapping again puts the previous build (kept on staging) back.
#
#   scripts/deploy/swap.sh --resource-group <rg> --app <app> --slot staging [--drain-timeout 1800] [--force]
#
# --force skips the drain gate (emergency rollback only: in-flight sessions are then replayed by
# the other build; docs/deploy.md says what to watch afterwards).
set -euo pipefail

rg="" app="" slot="" timeout=1800 force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --resource-group) rg="$2"; shift 2 ;;
    --app) app="$2"; shift 2 ;;
    --slot) slot="$2"; shift 2 ;;
    --drain-timeout) timeout="$2"; shift 2 ;;
    --force) force=1; shift ;;
    *) echo "swap: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ -z "$rg" || -z "$app" || -z "$slot" ]]; then
  echo "usage: $0 --resource-group <rg> --app <app> --slot <slot> [--drain-timeout s] [--force]" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ "$force" == 1 ]]; then
  echo "swap: --force given, drain gate skipped"
else
  # The slot being replaced is production: its hub (sticky TaskHubName) is the one the incoming
  # build will replay.
  node "$here/drain-gate.js" --resource-group "$rg" --app "$app" --slot production --timeout "$timeout"
fi

echo "swap: $app/$slot -> production"
az functionapp deployment slot swap -g "$rg" -n "$app" --slot "$slot" --target-slot production

host="$(az functionapp show -g "$rg" -n "$app" --query defaultHostName -o tsv)"
node "$here/smoke-check.js" --base-url "https://$host" --health-only
echo "swap: done; the build that was in production is now on $slot (roll back with the same command)"
