#!/usr/bin/env bash
# Counts the API calls and times each phase of three large configurations
# against the emulator (issue 12), once on the provider's default read path
# (coalesced) and once with ENI_COALESCE_READS=false (one object per call),
# and prints them side by side:
#
#   A  100 eni_network_interface (secondary_private_ip_count = 2)
#      + 40 eni_network_interface_attachment                      140 resources
#   B  100 eni_network_interface (no secondary argument)
#      + 200 eni_private_ip (2 per ENI) + 40 attachments           340 resources
#   C  10 eni_network_interface (secondary_private_ip_count = 2)
#      + 10 attachments + 1 eni_eip_association                    21 resources
#
# B has the same ENIs and addresses as A, but its 200 secondary IPs are
# eni_private_ip resources: an eni_private_ip on an ENI that sets
# secondary_private_ip_count fails at plan, so "A + 200 eni_private_ip"
# takes the count off the ENIs.
#
# Phases, each against a freshly reset /_mock/stats: apply, a no-op plan at
# Terraform's default parallelism (10) and at -parallelism=50 (both must exit
# 0 with -detailed-exitcode), plan -refresh-only (also exit 0) and destroy.
# After destroy the emulator must hold what the seed made: one primary ENI
# per instance, InUse, with no secondary IP; it is read through the
# provider's eni_network_interfaces data source, outside the counted phases.
# Each configuration and path gets a fresh emulator started from the same
# seed (generated into the work directory: one VPC, a /20 vSwitch, 10
# Running instances of a hot-swap type with 6 ENIs each, one EIP, quotas
# raised).
#
#   bench/refresh-calls.sh                      # A, B and C, 200 ms transitions
#   bench/refresh-calls.sh --config C           # one configuration (repeatable)
#   bench/refresh-calls.sh --delay 1s           # another transition delay
#   bench/refresh-calls.sh --markdown           # tables as Markdown (for README.md)
set -euo pipefail

name=refresh-calls
# shellcheck source=../scripts/lib/local-cloud.sh
source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/local-cloud.sh"
command -v curl >/dev/null 2>&1 || die "curl is not on PATH"
command -v jq >/dev/null 2>&1 || die "jq is not on PATH (it reads /_mock/stats)"

usage="usage: bench/refresh-calls.sh [--config A|B|C]... [--delay DURATION] [--markdown]"
delay=200ms
configs=()
markdown=false
while (($# > 0)); do
	case "$1" in
	--config | --delay)
		(($# >= 2)) || die "$1 needs a value; $usage"
		if [[ $1 == --config ]]; then configs+=("$2"); else delay=$2; fi
		shift 2
		;;
	--config=*) configs+=("${1#*=}") && shift ;;
	--delay=*) delay=${1#*=} && shift ;;
	--markdown) markdown=true && shift ;;
	-h | --help)
		echo "$usage"
		exit 0
		;;
	*) die "unknown argument '$1'; $usage" ;;
	esac
done
((${#configs[@]} > 0)) || configs=(A B C)
for c in "${configs[@]}"; do
	[[ $c == A || $c == B || $c == C ]] || die "unknown configuration '$c'; $usage"
done
[[ $delay =~ ^[0-9]+(ms|s|m)$ ]] || die "--delay takes a duration such as 200ms or 1s, not '$delay'"

instances=10        # in the seed, all Running, of a hot-swap type
enis_per_instance=6 # eni_quantity, the primary ENI included: room for 5
unset ENI_COALESCE_READS

# write_seed FILE: the emulator's starting topology.
write_seed() {
	local list="" i
	for ((i = 1; i <= instances; i++)); do
		list+="$(printf '%s\n    { "instance_id": "i-bench%02d", "instance_type": "ecs.bench.hot", "vswitch_id": "vsw-bench", "security_group_ids": ["sg-bench"], "status": "Running" }' "${list:+,}" "$i")"
	done
	cat >"$1" <<EOF
{
  "region_id": "cn-hangzhou",
  "credentials": [{ "access_key_id": "mock-key", "access_key_secret": "mock-secret" }],
  "vpcs": [{ "vpc_id": "vpc-bench", "cidr_block": "10.0.0.0/8" }],
  "vswitches": [{ "vswitch_id": "vsw-bench", "vpc_id": "vpc-bench", "zone_id": "cn-hangzhou-h", "cidr_block": "10.1.0.0/20" }],
  "security_groups": [{ "security_group_id": "sg-bench", "vpc_id": "vpc-bench" }],
  "instance_types": [
    { "instance_type_id": "ecs.bench.hot", "eni_quantity": $enis_per_instance, "eni_private_ip_address_quantity": 10, "eni_ipv6_address_quantity": 0, "hot_swap": true }
  ],
  "instances": [$list
  ],
  "eips": [{ "allocation_id": "eip-bench1", "ip_address": "47.96.0.10" }],
  "quotas": { "max_network_interfaces": 1000, "max_eips": 100 }
}
EOF
}

# provider_block: the terraform and provider blocks every configuration shares.
provider_block() {
	cat <<'EOF'
terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

provider "eni" {}
EOF
}

# write_config DIR ENIS IP_MODE ATTACHMENTS PRIVATE_IPS EIP_ASSOCIATIONS:
# IP_MODE "count" gives every ENI secondary_private_ip_count = 2, "none"
# leaves the ENIs' secondary IPs to eni_private_ip.
write_config() {
	local dir=$1 enis=$2 ip_mode=$3 attachments=$4 private_ips=$5 eips=$6 i list=""
	mkdir -p "$dir"
	for ((i = 1; i <= instances; i++)); do
		list+="$(printf '%s"i-bench%02d"' "${list:+, }" "$i")"
	done
	{
		provider_block
		cat <<EOF

locals {
  instances = [$list]
}

resource "eni_network_interface" "bench" {
  count              = $enis
  vswitch_id         = "vsw-bench"
  security_group_ids = ["sg-bench"]
  name               = "bench-\${count.index}"
EOF
		[[ $ip_mode == count ]] && echo "  secondary_private_ip_count = 2"
		echo "}"
		((attachments == 0)) || cat <<EOF

resource "eni_network_interface_attachment" "bench" {
  count                = $attachments
  network_interface_id = eni_network_interface.bench[count.index].id
  instance_id          = local.instances[count.index % length(local.instances)]
}
EOF
		((private_ips == 0)) || cat <<EOF

resource "eni_private_ip" "bench" {
  count                = $private_ips
  network_interface_id = eni_network_interface.bench[floor(count.index / 2)].id
}
EOF
		((eips == 0)) || cat <<EOF

resource "eni_eip_association" "bench" {
  count                = $eips
  allocation_id        = "eip-bench1"
  network_interface_id = eni_network_interface.bench[count.index].id
}
EOF
	} >"$dir/main.tf"
}

# The check of what the emulator holds: every ENI of the VPC as
# type/status/number of secondary IPs.
write_check() {
	mkdir -p "$1"
	{
		provider_block
		cat <<'EOF'

data "eni_network_interfaces" "all" {
  vpc_id = "vpc-bench"
}

output "enis" {
  value = [for e in data.eni_network_interfaces.all.network_interfaces : "${e.type}/${e.status}/${length(e.private_ips)}"]
}
EOF
	} >"$1/main.tf"
}

declare -A resources description
resources=([A]=140 [B]=340 [C]=21)
description=(
	[A]="A: 100 ENIs (2 secondary IPs each) + 40 attachments = 140 resources"
	[B]="B: 100 ENIs + 200 eni_private_ip (2 per ENI) + 40 attachments = 340 resources"
	[C]="C: 10 ENIs (2 secondary IPs each) + 10 attachments + 1 EIP association = 21 resources"
)
phases=(apply plan plan-p50 refresh-only destroy)
declare -A phase_label=(
	[apply]="apply"
	[plan]="plan (no-op)"
	[plan-p50]="plan -parallelism=50"
	[refresh-only]="plan -refresh-only"
	[destroy]="destroy"
)
paths=(on off)
declare -A path_label=([on]="coalesced" [off]="ENI_COALESCE_READS=false")

write_seed "$work/seed.json"
write_check "$work/check-src"
write_config "$work/config-A" 100 count 40 0 0
write_config "$work/config-B" 100 none 40 200 0
write_config "$work/config-C" 10 count 10 0 1
# Aligned as terraform fmt would (it reads no CLI configuration for that).
TF_CLI_CONFIG_FILE=/dev/null terraform fmt -list=false "$work/config-A" "$work/config-B" "$work/config-C" "$work/check-src" ||
	die "terraform fmt refused the generated configurations (a bug in this script)"

# Per "config/path/phase": total and mutating calls, wall milliseconds, and
# the calls per action as "Action count, ..." sorted by count.
declare -A total mutating wall actions exit_code

# run_phase KEY EXIT_CODES COMMAND...: reset the counters, run a Terraform
# command quietly, require one of EXIT_CODES ("0", or "0 2") and record what
# the emulator counted and the wall time. With -detailed-exitcode, 0 is "no
# changes" and 2 "changes".
run_phase() {
	local key=$1 codes=$2
	shift 2
	local log="$work/${key//\//-}.log" start end rc=0 stats
	curl -fsS -X POST "$url/_mock/stats/reset" >/dev/null
	start=$(date +%s%N)
	"$@" >"$log" 2>&1 || rc=$?
	end=$(date +%s%N)
	if [[ " $codes " != *" $rc "* ]]; then
		tail -n 60 "$log" >&2
		if ((rc == 2)); then
			die "$key: '$*' found changes (exit 2): the plan after apply is not clean (the end of it is above)"
		fi
		die "$key: '$*' failed (exit $rc); the end of its output is above"
	fi
	exit_code[$key]=$rc
	stats=$(curl -fsS "$url/_mock/stats")
	total[$key]=$(jq -r .total <<<"$stats")
	mutating[$key]=$(jq -r .mutating <<<"$stats")
	wall[$key]=$(((end - start) / 1000000))
	actions[$key]=$(jq -r '.actions | to_entries | sort_by(-.value, .key) | map("\(.key) \(.value)") | join(", ")' <<<"$stats")
	printf '  %-22s %6d calls (%d mutating) %8s s  exit %d\n' "${phase_label[${key##*/}]}" "${total[$key]}" "${mutating[$key]}" "$(secs "${wall[$key]}")" "$rc"
}

# bc_div A B: A / B with two decimals (awk; bash has integers only).
bc_div() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f", a / b }'; }
# secs MS: milliseconds as seconds with one decimal.
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f", ms / 1000 }'; }

# check_emulator_seeded WHEN: the VPC holds one primary ENI per instance,
# InUse and without secondary IPs, and nothing else.
check_emulator_seeded() {
	local got want
	(
		cd "$check_dir"
		terraform apply -auto-approve "${tf_flags[@]}" >"$work/check.log" 2>&1 ||
			{ cat "$work/check.log" >&2 && exit 1; }
		terraform output -json enis | jq -r 'sort | join(" ")'
	) >"$work/check.out" || die "could not read the emulator's ENIs $1"
	got=$(cat "$work/check.out")
	want=$(for ((i = 0; i < instances; i++)); do echo Primary/InUse/0; done | paste -sd ' ')
	[[ $got == "$want" ]] || die "$1 the emulator is not as seeded: expected $instances x Primary/InUse/0, found: $got"
}

build_all >/dev/null
started=$(date +%s)

for cfg in "${configs[@]}"; do
	for path in "${paths[@]}"; do
		say "Configuration ${description[$cfg]}; ${path_label[$path]}; transition delay $delay"
		if [[ $path == off ]]; then export ENI_COALESCE_READS=false; else unset ENI_COALESCE_READS; fi
		run_start=$(date +%s)
		start_emulator -seed "$work/seed.json" -transition-delay "$delay" >/dev/null
		use_local_cloud "check-$cfg-$path" "$work/check-src"
		check_dir=$PWD
		check_emulator_seeded "before apply:"
		use_local_cloud "$cfg-$path" "$work/config-$cfg"
		k="$cfg/$path"
		run_phase "$k/apply" 0 terraform apply -auto-approve "${tf_flags[@]}"
		n=$(terraform state list | wc -l)
		((n == resources[$cfg])) || die "$k: state holds $n resources after apply, expected ${resources[$cfg]}"
		run_phase "$k/plan" 0 terraform plan -detailed-exitcode "${tf_flags[@]}"
		run_phase "$k/plan-p50" 0 terraform plan -detailed-exitcode -parallelism=50 "${tf_flags[@]}"
		# A refresh-only plan reports every attribute that changed since the
		# resource's own apply, such as an ENI's status and instance_id after
		# an eni_network_interface_attachment bound it: that is exit 2, and
		# no change to make.
		run_phase "$k/refresh-only" "0 2" terraform plan -refresh-only -detailed-exitcode "${tf_flags[@]}"
		run_phase "$k/destroy" 0 terraform destroy -auto-approve "${tf_flags[@]}"
		n=$(terraform state list | wc -l)
		((n == 0)) || die "$k: state holds $n resources after destroy"
		check_emulator_seeded "after destroy:"
		stop_emulator >/dev/null
		echo "  (run took $(($(date +%s) - run_start)) s)"
	done
done
unset ENI_COALESCE_READS

# table CFG: calls per resource on the coalesced path and with
# ENI_COALESCE_READS=false, their ratio (off / on), mutating calls and wall
# times, per phase.
table() {
	local cfg=$1 p on off calls per ratio mut times
	local n=${resources[$cfg]}
	if [[ $markdown == true ]]; then
		printf '\n**%s**\n\n' "${description[$cfg]}"
		echo "| phase | calls (on / off) | calls per resource (on / off) | off ÷ on | mutating (on / off) | wall time (on / off) |"
		echo "| --- | --- | --- | --- | --- | --- |"
	else
		printf '\n%s (transition delay %s)\n' "${description[$cfg]}" "$delay"
		printf '%-21s %15s %19s %7s %15s %17s\n' phase "calls on/off" "calls/res on/off" "off/on" "mutating on/off" "wall s on/off"
	fi
	for p in "${phases[@]}"; do
		on="$cfg/on/$p" off="$cfg/off/$p"
		calls="${total[$on]} / ${total[$off]}"
		per="$(bc_div "${total[$on]}" "$n") / $(bc_div "${total[$off]}" "$n")"
		ratio=$(bc_div "${total[$off]}" "${total[$on]}")
		mut="${mutating[$on]} / ${mutating[$off]}"
		times="$(secs "${wall[$on]}") / $(secs "${wall[$off]}")"
		if [[ $markdown == true ]]; then
			printf '| %s | %s | %s | %s | %s | %s s |\n' "${phase_label[$p]}" "$calls" "$per" "$ratio" "$mut" "$times"
		else
			printf '%-21s %15s %19s %7s %15s %17s\n' "${phase_label[$p]}" "$calls" "$per" "$ratio" "$mut" "$times"
		fi
	done
}

say "API calls per phase; on = coalesced (default), off = ENI_COALESCE_READS=false; transition delay $delay; $(date -u +%Y-%m-%d)"
for cfg in "${configs[@]}"; do
	table "$cfg"
done

say "Calls per action"
for cfg in "${configs[@]}"; do
	for path in "${paths[@]}"; do
		printf '\n%s, %s\n' "${description[$cfg]%%:*}" "${path_label[$path]}"
		for p in "${phases[@]}"; do
			printf '  %-21s exit %s: %s\n' "${phase_label[$p]}" "${exit_code[$cfg/$path/$p]}" "${actions[$cfg/$path/$p]}"
		done
	done
done
echo
echo "Every apply succeeded, every no-op plan after it was clean, every destroy left the emulator as seeded ($(($(date +%s) - started)) s in all)."
