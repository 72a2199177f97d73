#!/usr/bin/env bash
# One-shot setup for the compose stack (or by hand against any cluster):
# sets the kibana_system password, applies the ILM policy and the templates from this folder,
# and imports the Kibana saved objects. Idempotent: PUTs overwrite, the import overwrites.
# Environment: ES_URL, ELASTIC_PASSWORD, KIBANA_PASSWORD, KIBANA_URL (optional: skip Kibana).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
ES_URL="${ES_URL:-http://localhost:9200}"
auth=(-u "elastic:${ELASTIC_PASSWORD:?set ELASTIC_PASSWORD}")

until curl -fsS "${auth[@]}" "$ES_URL/_cluster/health?wait_for_status=yellow&timeout=5s" >/dev/null; do
  echo "waiting for Elasticsearch at $ES_URL"; sleep 3
done

if [ -n "${KIBANA_PASSWORD:-}" ]; then
  curl -fsS "${auth[@]}" -H 'Content-Type: application/json' \
    -X POST "$ES_URL/_security/user/kibana_system/_password" -d "{\"password\":\"$KIBANA_PASSWORD\"}" >/dev/null
fi

put() { curl -fsS "${auth[@]}" -H 'Content-Type: application/json' -X PUT "$ES_URL$1" --data-binary "@$here/$2" >/dev/null && echo "applied $2"; }
put /_ilm/policy/logs-analytics ilm-policy.json
put /_component_template/logs-analytics@mappings component-template-mappings.json
put /_component_template/logs-analytics@settings component-template-settings.json
for s in requests decisions alerts; do
  put "/_index_template/logs-analytics.$s" "index-template-$s.json"
done

if [ -n "${KIBANA_URL:-}" ]; then
  until curl -fsS "${auth[@]}" "$KIBANA_URL/api/status" >/dev/null 2>&1; do
    echo "waiting for Kibana at $KIBANA_URL"; sleep 5
  done
  curl -fsS "${auth[@]}" -H 'kbn-xsrf: true' -X POST "$KIBANA_URL/api/saved_objects/_import?overwrite=true" \
    --form "file=@${SAVED_OBJECTS:-$here/../kibana/saved-objects.ndjson}" >/dev/null && echo "imported Kibana saved objects"
fi
