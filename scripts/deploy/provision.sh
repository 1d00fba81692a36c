#!/usr/bin/env bash
# Provisions (or updates) one environment from infra/main.bicep and its parameter file.
#   scripts/deploy/provision.sh <test|prod> <resource-group> [--what-if]
# Needs: az login as someone who may create role assignments in the resource group (Owner or
# User Access Administrator + Contributor), and the MAXCONF_DEPLOY_* variables the parameter
# file reads (docs/deploy.md lists them).
set -euo pipefail
env="${1:?usage: $0 <test|prod> <resource-group> [--what-if]}"
rg="${2:?usage: $0 <test|prod> <resource-group> [--what-if]}"
mode="${3:-}"
case "$env" in test|prod) ;; *) echo "provision: environment must be test or prod" >&2; exit 2 ;; esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
params="$root/infra/env/$env.bicepparam"

missing=0
for var in $(grep -o "readEnvironmentVariable('[A-Z0-9_]*')" "$params" | sed "s/.*('\(.*\)')/\1/" | sort -u); do
  if [[ -z "${!var:-}" ]]; then echo "provision: $var is not set" >&2; missing=1; fi
done
[[ "$missing" == 0 ]] || exit 2

(cd "$root" && npm run --silent infra:check)

if [[ "$mode" == "--what-if" ]]; then
  az deployment group what-if -g "$rg" --parameters "$params"
else
  az deployment group create -g "$rg" --name "maxconf-$env-$(date -u +%Y%m%d%H%M%S)" --parameters "$params"
fi
