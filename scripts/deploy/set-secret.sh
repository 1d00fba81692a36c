#!/usr/bin/env bash
# Writes one vendor credential into the environment's Key Vault, reading the value from standard
# input so it never appears on a command line, in shell history or in a log.
#   scripts/deploy/set-secret.sh <key-vault> <secret-name> [--restart <resource-group> <app>] < value-file
# Secret names (the app settings reference them, infra/modules/functionapp.bicep):
#   pexip-oauth-private-key     PEXIP_OAUTH_PRIVATE_KEY (ES256 PEM, or its Base64 as today)
#   pexip-event-sink-password   PEXIP_EVENT_SINK_PASSWORD (also set on Pexip's event sink)
#   genesys-client-secret       GENESYS_CLIENT_SECRET
#   genesys-events-api-key      GENESYS_EVENTS_API_KEY (also set on the EventBridge connection)
# --restart restarts every slot of the app so the Key Vault references resolve the new version now
# rather than at the platform's next refresh.
set -euo pipefail
vault="${1:?usage: $0 <key-vault> <secret-name> [--restart <rg> <app>] < value}"
name="${2:?usage: $0 <key-vault> <secret-name> [--restart <rg> <app>] < value}"
case "$name" in
  pexip-oauth-private-key|pexip-event-sink-password|genesys-client-secret|genesys-events-api-key|citizen-token-key) ;;
  *) echo "set-secret: unknown secret name $name" >&2; exit 2 ;;
esac
if [[ -t 0 ]]; then echo "set-secret: pipe the value on standard input" >&2; exit 2; fi

umask 077
tmp="$(mktemp)"
trap 'rm -f "$tmp"' EXIT
cat > "$tmp"
if [[ ! -s "$tmp" ]]; then echo "set-secret: empty value" >&2; exit 2; fi
az keyvault secret set --vault-name "$vault" --name "$name" --file "$tmp" --query id -o tsv

if [[ "${3:-}" == "--restart" ]]; then
  rg="${4:?--restart needs <resource-group> <app>}"
  app="${5:?--restart needs <resource-group> <app>}"
  az functionapp restart -g "$rg" -n "$app"
  for slot in $(az functionapp deployment slot list -g "$rg" -n "$app" --query '[].name' -o tsv); do
    az functionapp restart -g "$rg" -n "$app" --slot "$slot"
  done
fi
