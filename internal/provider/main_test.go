package provider_test

import (
	"testing"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
)

// TestMain sets up, for the whole test binary, the environment the
// acceptance tests need (see acctest.Main).
func TestMain(m *testing.M) {
	acctest.Main(m)
}
