# Shared by scripts/demo.sh and bench/api-calls.sh: build the provider and
# the emulator, run the emulator on a free port, and point Terraform at both
# (a dev_overrides CLI configuration, never a registry). Source it after
# setting `name` (used in messages); it defines root, bin, work and the
# functions below, and stops the emulator and removes $work on every exit.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
bin="$root/bin"
mock_pid=""
url=""

say() { printf '\n==> %s\n' "$*"; }
die() {
	printf '%s: %s\n' "$name" "$*" >&2
	exit 1
}

command -v go >/dev/null 2>&1 || die "go is not on PATH"
command -v terraform >/dev/null 2>&1 || die "terraform is not on PATH; install Terraform 1.x"

work="$(mktemp -d "${TMPDIR:-/tmp}/eni-$name.XXXXXX")"

# Runs on every exit, failed or not: stop the emulator, drop the temporary
# working copy (and with it the Terraform state).
cleanup() {
	local rc=$?
	if [[ -n "$mock_pid" ]] && kill -0 "$mock_pid" 2>/dev/null; then
		kill -TERM "$mock_pid" 2>/dev/null || true
		wait "$mock_pid" 2>/dev/null || true
	fi
	if [[ $rc -ne 0 && -s "$work/mockcloud.log" ]]; then
		echo "--- emulator log ---" >&2
		cat "$work/mockcloud.log" >&2
	fi
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# build_all: the provider and the emulator into ./bin.
build_all() {
	say "Building the provider and the emulator into $bin"
	(cd "$root" && go build -o "$bin/terraform-provider-eni" . && go build -o "$bin/eni-mockcloud" ./cmd/eni-mockcloud)
}

# start_emulator FLAGS...: start eni-mockcloud on a free port and set $url.
# The first line on its stdout is the base URL, printed once the port is
# open; reading it through a FIFO blocks until it is there, or ends at once
# (with no line) if the emulator exits first.
start_emulator() {
	say "Starting eni-mockcloud $*"
	rm -f "$work/mockcloud.url"
	mkfifo "$work/mockcloud.url"
	"$bin/eni-mockcloud" -listen 127.0.0.1:0 "$@" >"$work/mockcloud.url" 2>"$work/mockcloud.log" &
	mock_pid=$!
	IFS= read -r -t 30 url <"$work/mockcloud.url" || true
	[[ "$url" == http://* ]] || die "eni-mockcloud printed no URL: $(cat "$work/mockcloud.log")"
	echo "emulator at $url (pid $mock_pid)"
}

# stop_emulator: SIGTERM, and it must exit 0.
stop_emulator() {
	say "Stopping eni-mockcloud"
	kill -TERM "$mock_pid"
	local rc=0
	wait "$mock_pid" || rc=$?
	mock_pid=""
	[[ $rc -eq 0 ]] || die "eni-mockcloud exited $rc on SIGTERM, expected 0"
}

# use_local_cloud DIR [SOURCE]: copy SOURCE (default examples/demo) to
# $work/DIR, cd there and point Terraform at ./bin and the emulator through
# the environment. With a development override and no other provider,
# `terraform init` is skipped (it would look the provider up in the
# registry); a configuration that calls modules needs `terraform get`
# first (scripts/module-test.sh). Call it again after each start_emulator: it
# exports the emulator's current URL.
use_local_cloud() {
	local source="${2:-$root/examples/demo}"
	cat >"$work/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/openeni/eni" = "$bin"
  }
  direct {}
}
EOF
	export TF_CLI_CONFIG_FILE="$work/terraformrc"
	export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
	export ENI_ECS_ENDPOINT="$url" ENI_VPC_ENDPOINT="$url"
	export ALIBABA_CLOUD_REGION_ID=cn-hangzhou
	export ALIBABA_CLOUD_ACCESS_KEY_ID=mock-key ALIBABA_CLOUD_ACCESS_KEY_SECRET=mock-secret
	# Keep settings from the caller's shell out of the run.
	unset ALIBABA_CLOUD_SECURITY_TOKEN ALICLOUD_SECURITY_TOKEN ALIBABA_CLOUD_PROFILE ALICLOUD_PROFILE TF_WORKSPACE
	# A temporary copy of the configuration, so state files never land in
	# the repository.
	mkdir "$work/$1"
	cp -R "$source/." "$work/$1/"
	rm -rf "$work/$1/.terraform" "$work/$1/.terraform.lock.hcl" "$work/$1"/*.tfstate*
	cd "$work/$1"
	# Colours only on a terminal, so a CI log stays readable.
	tf_flags=(-input=false)
	[[ -t 1 ]] || tf_flags+=(-no-color)
}
