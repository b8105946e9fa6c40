#!/usr/bin/env bash
# Start to healthy of the packaged platform in local mode, with its data folder already present (second start),
# against the first start of the same run as the baseline.
set -euo pipefail
cd "$(dirname "$0")/../.."
[ -f deploy/target/kelian.jar ] || mvn -B -q -DskipTests package
data=$(mktemp -d /tmp/kelian-startup-XXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
start_once() {
  local t0=$(date +%s.%N)
  KELIAN_DATA_DIR="$data" KELIAN_HTTP_PORT=$port KELIAN_ADMIN_PASSWORD=bench-password java -jar deploy/target/kelian.jar >"$data/run.log" 2>&1 &
  local pid=$!
  until curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "platform exited; see $data/run.log"; exit 1; }
    sleep 0.2
  done
  local t1=$(date +%s.%N)
  kill $pid; wait $pid 2>/dev/null || true
  python3 -c "print(round($t1-$t0,1))"
}
echo "# startup benchmark — $(date -I), host $(hostname), $(nproc) cores"
first=$(start_once)
second=$(start_once)
echo "first start (empty data folder, unpacks Elasticsearch, migrates, seeds): ${first} s"
echo "second start (data folder present): ${second} s  (target ≤ 60 s; ratio to first start $(python3 -c "print(round($second/$first,2))"))"
rm -rf "$data"
