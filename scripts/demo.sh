#!/usr/bin/env bash
# make demo: build the provider and the emulator, start the emulator on a free
# port, apply examples/demo against it, check that a second plan shows no
# changes, destroy everything and stop the emulator. Needs only Go and
# Terraform; no network, no `terraform init`, and nothing is written to the
# repository but ./bin.
set -euo pipefail

name=demo
# shellcheck source=lib/local-cloud.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-cloud.sh"

build_all
start_emulator -transition-delay 200ms
use_local_cloud demo

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

stop_emulator

say "Demo finished: apply, a clean plan, a failover, a clean plan and destroy against the emulator."
