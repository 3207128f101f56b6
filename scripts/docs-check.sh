#!/usr/bin/env bash
# Fails when docs/ differs from what `make docs` would generate. The docs are
# rendered in a temporary copy of the tree, so the working tree is never
# changed, whatever the outcome.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# terraform runs below (fmt, and inside tfplugindocs): no update check, and
# the caller's CLI configuration (dev_overrides, mirrors) stays out.
export CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null

if ! terraform fmt -check -recursive examples >/dev/null; then
	echo "docs-check: these examples are not terraform fmt-formatted (run 'make fmt'):" >&2
	terraform fmt -check -recursive examples >&2 || true
	exit 1
fi

# A page's example is pasted whole by users: without required_providers
# naming openeni/eni, Terraform would resolve hashicorp/eni and fail.
missing=()
for f in examples/provider/provider.tf examples/resources/*/resource.tf examples/data-sources/*/data-source.tf \
	examples/guides/mock-cloud/provider.tf; do
	grep -q 'source *= *"openeni/eni"' "$f" || missing+=("$f")
done
if ((${#missing[@]} > 0)); then
	echo "docs-check: these examples lack terraform { required_providers { eni = { source = \"openeni/eni\" } } }:" >&2
	printf '  %s\n' "${missing[@]}" >&2
	exit 1
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/eni-docs-check.XXXXXX")"
trap 'rm -rf "$work"' EXIT
tree="$work/tree"
mkdir "$tree" "$work/empty"

# Everything the generator reads: the Go module (it builds the provider),
# templates/, examples/ and the current docs/ (files it does not manage stay,
# as they do with `make docs`).
tar -C "$root" --exclude=./.git --exclude=./bin --exclude=./dist --exclude='.terraform' \
	--exclude='*.tfstate*' -cf - . | tar -C "$tree" -xf -

if ! "$root/scripts/docs-generate.sh" "$tree" >"$work/generate.log" 2>&1; then
	cat "$work/generate.log" >&2
	echo "docs-check: generating the docs failed (output above)." >&2
	exit 1
fi

# The Registry's rules on layout and front matter, on the freshly generated
# docs (which must equal docs/, checked next).
if ! (cd "$tree" && CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null \
	go tool tfplugindocs validate --provider-dir "$tree" --provider-name eni) >"$work/validate.log" 2>&1; then
	grep -v '\[DEBUG\]' "$work/validate.log" >&2 || true
	echo "docs-check: tfplugindocs validate refuses the generated docs (output above); fix templates/." >&2
	exit 1
fi

current="$root/docs"
[[ -d "$current" ]] || current="$work/empty"
if ! diff -ruN "$current" "$tree/docs"; then
	echo >&2
	echo "docs-check: docs/ is stale: it differs from what the schema, templates/ and examples/ generate (diff above)." >&2
	echo "Run 'make docs' and commit docs/." >&2
	exit 1
fi
echo "docs-check: docs/ is up to date."
