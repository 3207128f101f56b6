#!/usr/bin/env bash
# Drives eni-mockcloud at full speed (bench/mockload: create with a
# ClientToken, assign with a ClientToken, describe, unassign, delete, each
# request with a fresh nonce) and prints its throughput and the growth of
# its resident set, in memory and with a -state file.
#
#   bench/emulator-load.sh [SECONDS]     # default 60
set -euo pipefail

name=emulator-load
# shellcheck source=../scripts/lib/local-cloud.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/local-cloud.sh"
seconds=${1:-60}

build_all >/dev/null
go build -o "$bin/mockload" "$root/bench/mockload"

for mode in memory state-file; do
	flags=(-seed "$root/bench/testdata/load-seed.json" -transition-delay 0s)
	[[ $mode == state-file ]] && flags+=(-state "$work/state.json")
	start_emulator "${flags[@]}" >/dev/null
	say "$mode: ${seconds}s at full speed"
	"$bin/mockload" -url "$url" -pid "$mock_pid" -duration "${seconds}s"
	[[ $mode == state-file ]] && ls -l "$work/state.json"
	stop_emulator >/dev/null
done
