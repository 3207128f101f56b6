package cloud

import (
	"testing"

	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// The tokens the client makes pass the API's ClientToken rule, the one
// the emulator applies.
func TestNewClientTokenFollowsTheAPIRule(t *testing.T) {
	for range 100 {
		if tok := newClientToken(); domain.ClientToken(tok) != nil {
			t.Fatalf("token %q: %v", tok, domain.ClientToken(tok))
		}
	}
}
