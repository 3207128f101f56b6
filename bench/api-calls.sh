#!/usr/bin/env bash
# Counts the API calls and times each phase of the demo configuration
# (examples/demo) against the emulator: apply, a no-op plan, a failover and
# destroy. Fewer calls is faster for real users, whose every call crosses
# the internet. With --faults the same run goes through 20% throttling, 5%
# server errors, 15% lost replies (the action takes effect, the answer never
# arrives) and a 500 ms eventual-consistency window, and must still succeed:
# the provider's retries, waiters and "already done" checks absorb them.
#
#   bench/api-calls.sh            # clean run
#   bench/api-calls.sh --faults   # under injected faults
set -euo pipefail

name=bench
# shellcheck source=../scripts/lib/local-cloud.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/local-cloud.sh"
command -v curl >/dev/null 2>&1 || die "curl is not on PATH"

faults='{}'
case "${1:-}" in
"") ;;
--faults) faults='{"throttle_rate": 0.2, "error_rate": 0.05, "lost_reply_rate": 0.15, "invisible_after_create_ms": 500, "seed": 42}' ;;
*) die "usage: bench/api-calls.sh [--faults]" ;;
esac

build_all >/dev/null
start_emulator -transition-delay 200ms >/dev/null
use_local_cloud bench
curl -fsS -X PUT -d "$faults" "$url/_mock/faults" >/dev/null

results=()
# phase NAME COMMAND...: run a Terraform command quietly and record the
# calls the emulator counted and the wall time.
phase() {
	local label=$1
	shift
	curl -fsS -X POST "$url/_mock/stats/reset" >/dev/null
	local start end
	start=$(date +%s%N)
	"$@" >"$work/$label.log" 2>&1 || {
		cat "$work/$label.log" >&2
		die "$label failed"
	}
	end=$(date +%s%N)
	results+=("$(printf '%-10s %6d ms  %s' "$label" $(((end - start) / 1000000)) "$(curl -fsS "$url/_mock/stats")")")
}

phase apply terraform apply -auto-approve "${tf_flags[@]}"
phase plan terraform plan -detailed-exitcode "${tf_flags[@]}"
phase failover terraform apply -auto-approve "${tf_flags[@]}" -var active_instance=standby
phase destroy terraform destroy -auto-approve "${tf_flags[@]}" -var active_instance=standby

echo "faults: $faults"
printf '%s\n' "${results[@]}"
stop_emulator >/dev/null
