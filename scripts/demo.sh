#!/usr/bin/env bash
# make demo: build the provider and the emulator, start the emulator on a free
# port, apply examples/demo against it, check that a second plan shows no
# changes, destroy everything and stop the emulator. Needs only Go and
# Terraform; no network, no `terraform init`, and nothing is written to the
# repository but ./bin.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin="$root/bin"

say() { printf '\n==> %s\n' "$*"; }
die() {
	printf 'demo: %s\n' "$*" >&2
	exit 1
}

command -v go >/dev/null 2>&1 || die "go is not on PATH"
command -v terraform >/dev/null 2>&1 || die "terraform is not on PATH; install Terraform 1.x"

work="$(mktemp -d "${TMPDIR:-/tmp}/eni-demo.XXXXXX")"
mock_pid=""

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

say "Building the provider and the emulator into $bin"
(cd "$root" && go build -o "$bin/terraform-provider-eni" . && go build -o "$bin/eni-mockcloud" ./cmd/eni-mockcloud)

say "Starting eni-mockcloud"
# The first line on stdout is the base URL, printed once the port is open.
# Reading it through a FIFO blocks until it is there, or ends at once (with
# no line) if the emulator exits first.
mkfifo "$work/mockcloud.url"
"$bin/eni-mockcloud" -listen 127.0.0.1:0 -transition-delay 200ms >"$work/mockcloud.url" 2>"$work/mockcloud.log" &
mock_pid=$!
url=""
IFS= read -r -t 30 url <"$work/mockcloud.url" || true
[[ "$url" == http://* ]] || die "eni-mockcloud printed no URL: $(cat "$work/mockcloud.log")"
echo "emulator at $url (pid $mock_pid)"

# Terraform takes the provider straight from ./bin: with a development
# override, and no other provider in the configuration, no `terraform init`
# and no registry are needed.
cat >"$work/terraformrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/openeni/eni" = "$bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE="$work/terraformrc"
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export TF_INPUT=0
export ENI_ECS_ENDPOINT="$url" ENI_VPC_ENDPOINT="$url"
export ALIBABA_CLOUD_REGION_ID=cn-hangzhou
export ALIBABA_CLOUD_ACCESS_KEY_ID=mock-key ALIBABA_CLOUD_ACCESS_KEY_SECRET=mock-secret
# Keep settings from the caller's shell out of the demo.
unset ALIBABA_CLOUD_SECURITY_TOKEN ALICLOUD_SECURITY_TOKEN ALIBABA_CLOUD_PROFILE ALICLOUD_PROFILE TF_WORKSPACE

# A temporary copy of the configuration, so state files never land in the
# repository.
mkdir "$work/demo"
cp -R "$root/examples/demo/." "$work/demo/"
rm -rf "$work/demo/.terraform" "$work/demo/.terraform.lock.hcl" "$work/demo"/*.tfstate*
cd "$work/demo"
# Colours only on a terminal, so a CI log stays readable.
tf_flags=(-input=false)
[[ -t 1 ]] || tf_flags+=(-no-color)

say "terraform apply"
terraform apply -auto-approve "${tf_flags[@]}"

say "Outputs"
if [[ -t 1 ]]; then terraform output; else terraform output -no-color; fi

# expect_clean_plan fails the demo unless a plan shows no changes.
expect_clean_plan() {
	say "terraform plan -detailed-exitcode $* (expecting no changes)"
	set +e
	terraform plan -detailed-exitcode "${tf_flags[@]}" "$@"
	local plan_rc=$?
	set -e
	case "$plan_rc" in
	0) echo "No changes: the provider reads back exactly what it applied." ;;
	2) die "the plan after apply shows changes; the provider does not converge (see the plan above)" ;;
	*) die "terraform plan failed (exit $plan_rc)" ;;
	esac
}
expect_clean_plan

say "Failover: terraform apply -var active_instance=standby (the service ENI moves with its IPs)"
terraform apply -auto-approve "${tf_flags[@]}" -var active_instance=standby
if [[ -t 1 ]]; then terraform output; else terraform output -no-color; fi
expect_clean_plan -var active_instance=standby

say "terraform destroy"
terraform destroy -auto-approve "${tf_flags[@]}" -var active_instance=standby

say "Stopping eni-mockcloud"
kill -TERM "$mock_pid"
set +e
wait "$mock_pid"
mock_rc=$?
set -e
mock_pid=""
[[ $mock_rc -eq 0 ]] || die "eni-mockcloud exited $mock_rc on SIGTERM, expected 0"

say "Demo finished: apply, a clean plan, a failover, a clean plan and destroy against the emulator."
