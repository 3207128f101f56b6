#!/usr/bin/env bash
# make module-test (part of make test): run `terraform test` on the example
# module of the mock cloud guide (examples/guides/mock-cloud/module-test)
# against eni-mockcloud, as the guide tells users to test their own modules.
# Builds the provider and the emulator into ./bin, starts the emulator on a
# free port, takes the provider from ./bin through a dev_overrides CLI
# configuration (never a registry), runs the tests in a temporary copy of
# the module and stops the emulator. No network.
set -euo pipefail

name=module-test
# shellcheck source=lib/local-cloud.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/local-cloud.sh"

build_all
start_emulator -transition-delay 50ms
use_local_cloud module-test "$root/examples/guides/mock-cloud/module-test"

# The tests use a helper module (tests/lookup): `terraform get` installs
# it. `terraform init` is not used: with a development override it would
# still look the provider up in the registry.
color=()
[[ -t 1 ]] || color=(-no-color)
say "terraform get"
terraform get "${color[@]}"
say "terraform test"
terraform test "${color[@]}"

stop_emulator
say "terraform test passed against the emulator."
