#!/usr/bin/env bash
# Builds the Function App package once: compiled code, host.json, package.json and production
# node_modules, zipped at the folder of host.json. Every environment deploys this same zip.
#   scripts/deploy/package.sh <out.zip>
set -euo pipefail
out="${1:?usage: $0 <out.zip>}"
npm ci
npm run build
npm prune --omit=dev
rm -f "$out"
zip -q -r "$out" host.json package.json package-lock.json dist node_modules -x 'dist/infra-check/*' -x '*.map'
sha256sum "$out"
