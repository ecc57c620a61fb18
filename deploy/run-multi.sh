#!/usr/bin/env bash
# Run Opgavemonitor as several Streamlit processes behind nginx (sticky sessions, websockets).
# All processes read one store (OPGAVEMONITOR_DATA_DIR); refresh it with one job, e.g. the
# timer in deploy/ or `python3 -m data_sources refresh` from cron. Stops everything on
# Ctrl-C / SIGTERM.
#
#   deploy/run-multi.sh [-n PROCESSES] [-p PROXY_PORT] [-b FIRST_APP_PORT] [-l LISTEN_ADDR] [-d RUN_DIR]
#
# Defaults: 2 processes (one per core is a good start) on 127.0.0.1:8511, 8512, ...;
# nginx on 127.0.0.1:8080. RUN_DIR (default: a new temporary folder) gets the rendered
# nginx.conf, nginx's access log (with the app process that served each request), one log
# per app process (app-PORT.log) and pids (app-PORT.pid, nginx.pid).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"

processes=2 proxy_port=8080 first_port=8511 listen_addr=127.0.0.1 run_dir=""
while getopts "n:p:b:l:d:h" opt; do
  case "$opt" in
    n) processes="$OPTARG" ;;
    p) proxy_port="$OPTARG" ;;
    b) first_port="$OPTARG" ;;
    l) listen_addr="$OPTARG" ;;
    d) run_dir="$OPTARG" ;;
    *) sed -n '2,12p' "$0"; exit 2 ;;
  esac
done
command -v nginx >/dev/null || { echo "nginx is not installed (Debian: apt-get install nginx)" >&2; exit 1; }
run_dir="${run_dir:-$(mktemp -d -t opgavemonitor-XXXXXX)}"
mkdir -p "$run_dir"
run_dir="$(cd "$run_dir" && pwd)"

pids=()
stop() {
  trap - INT TERM EXIT
  [ ${#pids[@]} -gt 0 ] && kill "${pids[@]}" 2>/dev/null || true
  wait || true
}
trap stop INT TERM EXIT

servers=""
for ((i = 0; i < processes; i++)); do
  port=$((first_port + i))
  # Apps listen on loopback only: visitors come in through nginx. Started from the repository
  # root: Streamlit reads .streamlit/config.toml (theme, no forced gc per run) from there.
  (cd "$root" && exec python3 -m streamlit run "$root/app.py" --server.address 127.0.0.1 --server.port "$port" \
    --server.headless true --server.fileWatcherType none --browser.gatherUsageStats false \
    >"$run_dir/app-$port.log" 2>&1) &
  pids+=($!)
  echo $! >"$run_dir/app-$port.pid"
  servers+="        server 127.0.0.1:$port;"$'\n'
done

sed -e "s|@RUN_DIR@|$run_dir|g" -e "s|@LISTEN@|$listen_addr:$proxy_port|g" "$here/nginx.conf" |
  SERVERS="$servers" awk '/@UPSTREAM_SERVERS@/ { printf "%s", ENVIRON["SERVERS"]; next } { print }' >"$run_dir/nginx.conf"
nginx -t -q -c "$run_dir/nginx.conf" -e "$run_dir/nginx-error.log"
nginx -c "$run_dir/nginx.conf" -e "$run_dir/nginx-error.log" -g "daemon off;" &
pids+=($!)
echo "Opgavemonitor: http://$listen_addr:$proxy_port ($processes app processes from port $first_port; logs in $run_dir)" >&2
# Stop all when any one of them ends, so a supervisor (systemd, compose) sees the failure.
set +e
wait -n
status=$?
stop
exit "$status"
