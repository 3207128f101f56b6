//go:build unix

package acctest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// alicloudAddress is where Terraform looks for the official Alibaba Cloud
// provider, which the state moves take resources from.
const alicloudAddress = "registry.terraform.io/aliyun/alicloud"

// BuildAlicloudStub builds the stand-in for the official alicloud
// provider (./internal/acctest/alicloudstub: only the schemas of the
// resources the moves accept) into a directory of the test, and returns
// it for UseAlicloudStub. Build it once per test; subtests share it.
func BuildAlicloudStub(t *testing.T) string {
	t.Helper()
	root, err := moduleRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cmd := exec.Command("go", "build", "-ldflags=-s -w", "-o", filepath.Join(dir, "terraform-provider-alicloud"), "./internal/acctest/alicloudstub")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the alicloud stand-in: %v\n%s", err, out)
	}
	return dir
}

// UseAlicloudStub has Terraform take the alicloud provider from dir, a
// BuildAlicloudStub, as a development override: Terraform needs the
// source provider of a `moved` block installed, and tests download
// nothing.
func (tf *Terraform) UseAlicloudStub(dir string) {
	tf.overrides[alicloudAddress] = dir
	tf.writeCLIConfig()
}

// WriteState writes terraform.tfstate, such as the state another
// provider left, for the next command to start from.
func (tf *Terraform) WriteState(state []byte) {
	tf.t.Helper()
	if err := os.WriteFile(filepath.Join(tf.Dir, "terraform.tfstate"), state, 0o644); err != nil {
		tf.t.Fatal(fmt.Errorf("writing terraform.tfstate: %w", err))
	}
}

// OverrideProviderLike has Terraform take the provider at address from
// the directory it takes like's from: a source provider under another
// name, served by the same binary.
func (tf *Terraform) OverrideProviderLike(address, like string) {
	tf.t.Helper()
	tf.overrides[address] = tf.overrides[like]
	tf.writeCLIConfig()
}
