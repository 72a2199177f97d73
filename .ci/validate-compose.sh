#!/usr/bin/env bash
# Checks compose.yml without a Docker engine: syntax, interpolation, and that the admin token
# is required. Installs docker-compose (Debian package) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker-compose >/dev/null 2>&1; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose) >/dev/null
fi

# The search stack's passwords; each check below varies one required variable at a time.
export ELASTIC_PASSWORD=ci-elastic-password KIBANA_PASSWORD=ci-kibana-password
export DECISIONS_SIGNING_KEY=ci-decisions-signing-key-0123456789abcdef

# Without the token, configuration must fail and say why.
if ADMIN_TOKEN= docker-compose -f compose.yml config >/dev/null 2>"${TMPDIR:-/tmp}/compose-missing-token.err"; then
  echo "compose.yml accepted a missing ADMIN_TOKEN" >&2
  exit 1
fi
grep -q "ADMIN_TOKEN" "${TMPDIR:-/tmp}/compose-missing-token.err" || { cat "${TMPDIR:-/tmp}/compose-missing-token.err" >&2; exit 1; }

rendered=$(ADMIN_TOKEN=ci-validation-token-0123456789 docker-compose -f compose.yml config)
for service in kafka demo-upstream sidecar analyzer alerts prometheus elasticsearch kibana search-setup; do
  grep -q "^  $service:" <<<"$rendered" || { echo "service $service missing" >&2; exit 1; }
done
grep -q "Streams__Transport: Kafka" <<<"$rendered" || { echo "services are not on Kafka" >&2; exit 1; }
grep -q "Streams__Kafka__BootstrapServers: kafka:9092" <<<"$rendered" || { echo "bootstrap servers not wired" >&2; exit 1; }
grep -q "Search__Elasticsearch__Url: http://elasticsearch:9200" <<<"$rendered" || { echo "analyzer not wired to Elasticsearch" >&2; exit 1; }
if ELASTIC_PASSWORD= ADMIN_TOKEN=ci-validation-token-0123456789 docker-compose -f compose.yml config >/dev/null 2>&1; then
  echo "compose.yml accepted a missing ELASTIC_PASSWORD" >&2
  exit 1
fi
if DECISIONS_SIGNING_KEY= ADMIN_TOKEN=ci-validation-token-0123456789 docker-compose -f compose.yml config >/dev/null 2>&1; then
  echo "compose.yml accepted a missing DECISIONS_SIGNING_KEY" >&2
  exit 1
fi
if ADMIN_TOKEN=ci-validation-token-0123456789 docker-compose -f compose.yml config | grep -q "29092"; then
  echo "Kafka is published to the host; it must stay on the compose network" >&2
  exit 1
fi
services=$(ADMIN_TOKEN=ci-validation-token-0123456789 docker-compose -f compose.yml config --services | tr "\n" " ")
echo "compose.yml is valid; services: $services"
