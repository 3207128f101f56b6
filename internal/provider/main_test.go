package provider_test

import (
	"encoding/pem"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/openeni/terraform-provider-eni/internal/acctest"
)

// TestMain sets up, for the whole test binary, the environment the
// acceptance tests need (see acctest.Main), and makes the process trust
// the certificate of httptest's TLS servers (trustTestTLS).
func TestMain(m *testing.M) {
	if err := trustTestTLS(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	acctest.Main(m)
}

// trustTestTLS points SSL_CERT_FILE at the certificate that every
// httptest TLS server of this process presents (one built-in certificate
// for 127.0.0.1). The SDK's credential providers call STS over HTTPS with
// the system's roots and no way to pass others; Go reads SSL_CERT_FILE
// when it first loads those roots, so setting it before any test runs
// lets them reach an emulator served with httptest.NewTLSServer. Nothing
// else in these tests uses TLS.
func trustTestTLS() error {
	srv := httptest.NewTLSServer(nil)
	cert := srv.Certificate()
	srv.Close()
	path := filepath.Join(os.TempDir(), "terraform-provider-eni-httptest-cert.pem")
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o644); err != nil {
		return fmt.Errorf("writing the test TLS certificate: %w", err)
	}
	return os.Setenv("SSL_CERT_FILE", path)
}
