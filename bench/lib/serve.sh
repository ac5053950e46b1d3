# Sourced by bench scripts: start_pdp DIR [SERVE FLAGS...] starts the PDP jar ($java, $jar) on free
# 127.0.0.1 ports with its data in DIR/data, waits until it serves, and sets pid, address (decision
# port) and admin (admin port). The caller stops it (kill "$pid").
start_pdp() {
  local dir=$1
  shift
  "$java" -jar "$jar" serve --bind 127.0.0.1 --port 0 --admin-port 0 --data-dir "$dir/data" "$@" \
    > "$dir/serve.out" 2>&1 &
  pid=$!
  for _ in $(seq 1200); do grep -q '"pdp serving"' "$dir/serve.out" && break; sleep 0.05; done
  address=$(sed -n 's/.*"pdp serving".*"address":"\([^"]*\)".*/\1/p' "$dir/serve.out")
  admin=$(sed -n 's/.*"pdp serving".*"admin_address":"\([^"]*\)".*/\1/p' "$dir/serve.out")
  [ -n "$address" ] && [ -n "$admin" ] || { echo "$0: the PDP did not serve; it said:" >&2; cat "$dir/serve.out" >&2; exit 1; }
}
