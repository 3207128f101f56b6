#!/usr/bin/env bash
# Renders docs/ of the provider source tree in $1 (default: the repository)
# with tfplugindocs, the version pinned as a Go tool in go.mod.
#
# tfplugindocs builds the provider, then runs `terraform init` and
# `terraform providers schema -json` to read its schema. Unless given
# --tf-version (never used here), it looks for terraform with hc-install's
# fs.AnyVersion, which searches PATH, and only when none is found falls back
# to downloading the latest release. Checking PATH first therefore means no
# download ever happens.
set -euo pipefail

dir="${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

if ! command -v terraform >/dev/null 2>&1; then
	echo "docs: terraform is not on PATH; tfplugindocs would download it. Install Terraform 1.x and retry." >&2
	exit 1
fi

export CHECKPOINT_DISABLE=1
# The terraform run by tfplugindocs installs the provider from a local plugin
# directory; keep the user's CLI configuration (dev_overrides, mirrors) out.
export TF_CLI_CONFIG_FILE=/dev/null

cd "$dir"
# The repository directory need not be called terraform-provider-eni, so the
# provider name is given rather than derived from the directory.
go tool tfplugindocs generate --provider-dir "$dir" --provider-name eni --rendered-provider-name eni
