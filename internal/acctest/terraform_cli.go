//go:build unix

package acctest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// The harness of the tests that drive the terraform binary as a user
// does, as a subprocess, instead of through the testing framework: they
// need to interrupt it (SIGINT, as Ctrl-C does) at a chosen API call and
// look at what it left behind. Terraform runs the provider built from
// this module through a dev_overrides CLI configuration, so no registry
// is contacted and no `terraform init` is needed, against an emulator of
// the test's own served through ActionHooks.

// providerAddress is the address main.go serves the provider as.
const providerAddress = "registry.terraform.io/openeni/eni"

// modulePath is this module's path, to recognise its root.
const modulePath = "github.com/openeni/terraform-provider-eni"

// runTimeout bounds one terraform command; a hung run fails the test
// instead of the whole test binary.
const runTimeout = 3 * time.Minute

// interruptAckTimeout bounds the wait for Terraform to acknowledge a
// SIGINT.
const interruptAckTimeout = 30 * time.Second

// interruptAck is what Terraform prints when it takes a SIGINT during an
// operation.
const interruptAck = "Interrupt received"

// Phase is when an action hook runs relative to the emulator.
type Phase int

const (
	// Received: the request has reached the emulator, which has not
	// handled it yet (it does when the hook returns).
	Received Phase = iota
	// Handled: the emulator has handled the request and made its change;
	// the reply is held back until the hook returns, so the client has
	// sent the call and not yet heard the answer.
	Handled
)

func (p Phase) String() string {
	if p == Handled {
		return "handled"
	}
	return "received"
}

// ActionHooks serves an emulator and runs functions when given API
// actions are requested: the test's way to act at a precise point of a
// terraform run.
type ActionHooks struct {
	next   http.Handler
	mu     sync.Mutex
	counts map[string]int
	hooks  []*actionHook
}

type actionHook struct {
	action string
	at     int // the value of counts[action] that fires the hook
	phase  Phase
	do     func()
	fired  bool
}

// NewActionHooks wraps next, an emulator.
func NewActionHooks(next http.Handler) *ActionHooks {
	return &ActionHooks{next: next, counts: map[string]int{}}
}

// On runs do, once, in the request's goroutine, when the nth request for
// action from now on (n >= 1; retries count) has been received or
// handled. Nothing else waits for do: the emulator serves other requests
// meanwhile.
func (h *ActionHooks) On(action string, n int, phase Phase, do func()) {
	if n < 1 {
		panic("ActionHooks.On: n must be at least 1")
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hooks = append(h.hooks, &actionHook{action: action, at: h.counts[action] + n, phase: phase, do: do})
}

// Count is the number of requests for action received so far.
func (h *ActionHooks) Count(action string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.counts[action]
}

// Pending lists the hooks that have not fired, as "action #n (phase)".
func (h *ActionHooks) Pending() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, k := range h.hooks {
		if !k.fired {
			out = append(out, fmt.Sprintf("%s #%d (%s; %d received)", k.action, k.at, k.phase, h.counts[k.action]))
		}
	}
	return out
}

func (h *ActionHooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	received, handled := h.match(requestAction(r))
	for _, do := range received {
		do()
	}
	if len(handled) == 0 {
		h.next.ServeHTTP(w, r)
		return
	}
	// Hold the reply: the emulator writes into a recorder, the client
	// gets it after the hooks. A dropped connection (the lost_reply_rate
	// fault) panics with http.ErrAbortHandler through here, as it should.
	rec := httptest.NewRecorder()
	h.next.ServeHTTP(rec, r)
	for _, do := range handled {
		do()
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func (h *ActionHooks) match(action string) (received, handled []func()) {
	if action == "" {
		return nil, nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counts[action]++
	for _, k := range h.hooks {
		if k.fired || k.action != action || k.at != h.counts[action] {
			continue
		}
		k.fired = true
		if k.phase == Handled {
			handled = append(handled, k.do)
		} else {
			received = append(received, k.do)
		}
	}
	return received, handled
}

// requestAction reads the RPC Action of a request, from the query string
// or a form body. ParseForm keeps what it parsed, so the emulator reads
// the same parameters afterwards.
func requestAction(r *http.Request) string {
	if a := r.URL.Query().Get("Action"); a != "" {
		return a
	}
	if err := r.ParseForm(); err != nil {
		return ""
	}
	return r.PostForm.Get("Action")
}

// CLIOptions set up the emulator of a terraform CLI test.
type CLIOptions struct {
	// Seed: nil means the built-in topology.
	Seed *mockcloud.Seed
	// TransitionDelay of the emulator; change it with
	// Backend.Mock.SetTransitionDelay.
	TransitionDelay time.Duration
}

// NewCLIBackend gives a terraform CLI test an emulator of its own, built
// with mockcloud.New and served through ActionHooks on a loopback
// listener. Backend.ProviderConfig points at the hooked listener;
// Backend.Client reads through a second, plain one, so that the test's
// own reads neither count for nor trigger the hooks. The test is skipped
// without TF_ACC and against the real cloud.
func NewCLIBackend(t *testing.T, opts CLIOptions) (*Backend, *ActionHooks) {
	t.Helper()
	cliPreCheck(t)
	seed := opts.Seed
	if seed == nil {
		seed = mockcloud.DefaultSeed()
	}
	srv, err := mockcloud.New(mockcloud.Options{Seed: seed, TransitionDelay: opts.TransitionDelay})
	if err != nil {
		t.Fatalf("building the emulator: %v", err)
	}
	hooks := NewActionHooks(srv)
	hooked := httptest.NewServer(hooks)
	plain := httptest.NewServer(srv)
	t.Cleanup(func() {
		hooked.Close()
		plain.Close()
	})
	b := &Backend{Mock: srv, region: seed.RegionID, accessKey: seed.Credentials[0].AccessKeyID,
		secretKey: seed.Credentials[0].AccessKeySecret, endpoint: plain.URL, seed: seed}
	b.Client = b.newClient(t)
	b.endpoint = hooked.URL
	return b, hooks
}

// cliPreCheck skips a terraform CLI test without TF_ACC or against the
// real cloud, and fails it without terraform on PATH.
func cliPreCheck(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 to run it (make test does)")
	}
	PreCheck(t)
	if BackendReal() {
		t.Skip("drives its own emulator: the real cloud cannot be hooked")
	}
}

// PrepareTerraformCLI does the checks of NewCLIBackend and builds the
// provider for the rest of the test. A test whose subtests run terraform
// concurrently calls it first, so that they all share that one build.
func PrepareTerraformCLI(t *testing.T) {
	t.Helper()
	cliPreCheck(t)
	acquireProvider(t)
}

// Terraform is a working directory in which a test runs the terraform
// binary, one command at a time.
type Terraform struct {
	t         *testing.T
	Dir       string
	env       []string
	rc        string            // the CLI configuration file
	overrides map[string]string // provider address -> directory of its binary

	mu      sync.Mutex
	running *Run
	runs    int
}

// Run is one terraform command.
type Run struct {
	Args     []string
	ExitCode int // -1 when it could not be started or was killed
	Duration time.Duration
	Err      error // why it could not run, if it could not

	out         *outputBuffer
	pid         int
	mu          sync.Mutex
	interrupted bool
	killed      bool
	done        chan struct{}
}

// NewTerraform makes a working directory with main.tf holding the
// required_providers block, b's provider block and config, and a CLI
// configuration that takes the provider from a build of this module.
func NewTerraform(t *testing.T, b *Backend, config string) *Terraform {
	t.Helper()
	providerDir := acquireProvider(t)
	root := t.TempDir()
	dir := filepath.Join(root, "work")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	rc := filepath.Join(root, "terraform.rc")
	tf := &Terraform{t: t, Dir: dir, env: terraformEnv(rc), rc: rc, overrides: map[string]string{providerAddress: providerDir}}
	tf.writeCLIConfig()
	tf.SetConfig(b, config)
	return tf
}

// writeCLIConfig writes the CLI configuration: every provider of
// tf.overrides is taken from its directory, with no registry.
func (tf *Terraform) writeCLIConfig() {
	tf.t.Helper()
	var lines strings.Builder
	for _, addr := range slices.Sorted(maps.Keys(tf.overrides)) {
		fmt.Fprintf(&lines, "    %q = %q\n", addr, tf.overrides[addr])
	}
	cli := "provider_installation {\n  dev_overrides {\n" + lines.String() + "  }\n  direct {}\n}\n"
	if err := os.WriteFile(tf.rc, []byte(cli), 0o644); err != nil {
		tf.t.Fatal(err)
	}
}

// SetConfig replaces main.tf.
func (tf *Terraform) SetConfig(b *Backend, config string) {
	tf.t.Helper()
	main := `terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

` + b.Config(config)
	if err := os.WriteFile(filepath.Join(tf.Dir, "main.tf"), []byte(main), 0o644); err != nil {
		tf.t.Fatal(err)
	}
}

// terraformEnv is the environment of the terraform runs: the test's,
// without the variables that would change how Terraform or the provider
// behave (TF_*, ALIBABA_CLOUD_*, ENI_*), with the CLI configuration, no
// update check and no prompts. TF_LOG is kept, and the log goes to a
// file of the working directory (terraform-N.log) rather than the output.
func terraformEnv(rc string) []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		switch {
		case name == "TF_LOG" || name == "TF_LOG_PROVIDER" || name == "TF_LOG_CORE":
		case strings.HasPrefix(name, "TF_"), strings.HasPrefix(name, "ALIBABA_CLOUD_"), strings.HasPrefix(name, "ENI_"),
			name == "CHECKPOINT_DISABLE":
			continue
		}
		env = append(env, kv)
	}
	return append(env, "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0")
}

// Setenv sets an environment variable of the later terraform runs (and
// so of the provider they start), such as ENI_COALESCE_READS.
func (tf *Terraform) Setenv(name, value string) {
	tf.mu.Lock()
	defer tf.mu.Unlock()
	tf.env = append(tf.env, name+"="+value)
}

// Apply runs `terraform apply -auto-approve`.
func (tf *Terraform) Apply() *Run {
	return tf.Run("apply", "-auto-approve", "-input=false", "-no-color")
}

// Destroy runs `terraform destroy -auto-approve`.
func (tf *Terraform) Destroy() *Run {
	return tf.Run("destroy", "-auto-approve", "-input=false", "-no-color")
}

// Plan runs `terraform plan -detailed-exitcode`: exit code 0 means no
// changes, 2 changes.
func (tf *Terraform) Plan() *Run {
	return tf.Run("plan", "-detailed-exitcode", "-input=false", "-no-color")
}

// Run runs terraform with args in the working directory, in a process
// group of its own (so an interrupt reaches the provider too, as Ctrl-C
// in a terminal does), and waits for it to end. A failure to run is
// recorded in the Run, not reported: the caller decides.
func (tf *Terraform) Run(args ...string) *Run {
	tf.t.Helper()
	tf.mu.Lock()
	tf.runs++
	n := tf.runs
	tf.mu.Unlock()

	r := &Run{Args: args, ExitCode: -1, out: newOutputBuffer(), done: make(chan struct{})}
	ctx, cancel := context.WithTimeout(context.Background(), runTimeout)
	defer cancel()
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH") // set by Main
	if bin == "" {
		bin = "terraform"
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = tf.Dir
	tf.mu.Lock()
	cmd.Env = slices.Clip(tf.env)
	tf.mu.Unlock()
	if os.Getenv("TF_LOG") != "" || os.Getenv("TF_LOG_PROVIDER") != "" {
		cmd.Env = append(cmd.Env, fmt.Sprintf("TF_LOG_PATH=%s", filepath.Join(tf.Dir, fmt.Sprintf("terraform-%d.log", n))))
	}
	cmd.Stdout, cmd.Stderr = r.out, r.out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second

	start := time.Now()
	if err := cmd.Start(); err != nil {
		r.Err = err
		close(r.done)
		return r
	}
	r.pid = cmd.Process.Pid
	tf.mu.Lock()
	tf.running = r
	tf.mu.Unlock()

	err := cmd.Wait()
	r.Duration = time.Since(start)
	tf.mu.Lock()
	tf.running = nil
	tf.mu.Unlock()
	close(r.done)

	var exit *exec.ExitError
	switch {
	case err == nil:
		r.ExitCode = 0
	case ctx.Err() != nil:
		r.Err = fmt.Errorf("terraform %s did not end within %s and was killed", args[0], runTimeout)
	case errors.As(err, &exit):
		r.ExitCode = exit.ExitCode()
	default:
		r.Err = err
	}
	note := ""
	switch {
	case r.Killed():
		note = " (killed)"
	case r.Interrupted():
		note = " (interrupted)"
	}
	tf.t.Logf("terraform %s: exit code %d after %s%s", strings.Join(args, " "), r.ExitCode, r.Duration.Round(10*time.Millisecond), note)
	return r
}

// Interrupt sends SIGINT to the process group of the running command,
// as Ctrl-C in a terminal does, and waits until Terraform says it took it
// (or ends). It is meant for hooks, which run on other goroutines: a
// problem is reported with t.Errorf.
func (tf *Terraform) Interrupt() {
	tf.mu.Lock()
	r := tf.running
	tf.mu.Unlock()
	if r == nil {
		tf.t.Errorf("interrupt: no terraform command is running")
		return
	}
	if err := r.interrupt(); err != nil {
		tf.t.Errorf("interrupting terraform %s: %v", r.Args[0], err)
	}
}

// InterruptAt makes hooks send SIGINT to the command running in tf when
// the nth request for action from now on is received or handled. With
// Handled, the reply is given only once Terraform has acknowledged the
// interrupt.
func (tf *Terraform) InterruptAt(hooks *ActionHooks, action string, n int, phase Phase) {
	hooks.On(action, n, phase, func() {
		tf.t.Logf("%s #%d %s: sending SIGINT", action, n, phase)
		tf.Interrupt()
	})
}

// Kill sends SIGKILL to the process group of the running command:
// terraform and the provider die at once, as when the machine or the CI
// runner running them is lost. Like Interrupt, it is meant for hooks.
func (tf *Terraform) Kill() {
	tf.mu.Lock()
	r := tf.running
	tf.mu.Unlock()
	if r == nil || r.pid <= 0 {
		tf.t.Errorf("kill: no terraform command is running")
		return
	}
	r.mu.Lock()
	r.killed = true
	r.mu.Unlock()
	if err := syscall.Kill(-r.pid, syscall.SIGKILL); err != nil {
		tf.t.Errorf("killing terraform %s: %v", r.Args[0], err)
	}
}

// KillAt makes hooks kill the command running in tf (Kill) when the nth
// request for action from now on is received or handled.
func (tf *Terraform) KillAt(hooks *ActionHooks, action string, n int, phase Phase) {
	hooks.On(action, n, phase, func() {
		tf.t.Logf("%s #%d %s: sending SIGKILL", action, n, phase)
		tf.Kill()
	})
}

func (r *Run) interrupt() error {
	if r.pid <= 0 { // -0 would be the test's own process group
		return fmt.Errorf("no process to interrupt")
	}
	r.mu.Lock()
	r.interrupted = true
	r.mu.Unlock()
	if err := syscall.Kill(-r.pid, syscall.SIGINT); err != nil {
		return err
	}
	select {
	case <-r.out.waitFor(interruptAck, r.done):
		return nil
	case <-r.done:
		return nil
	case <-time.After(interruptAckTimeout):
		return fmt.Errorf("terraform did not acknowledge SIGINT within %s", interruptAckTimeout)
	}
}

// Interrupted reports whether a SIGINT was sent to the command.
func (r *Run) Interrupted() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.interrupted
}

// Killed reports whether the command was killed by Kill.
func (r *Run) Killed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.killed
}

// Output is what the command printed, stdout and stderr together.
func (r *Run) Output() string { return r.out.String() }

// Failed reports whether the command could not run or exited non-zero.
func (r *Run) Failed() bool { return r.Err != nil || r.ExitCode != 0 }

// String describes the run and its output, for failure messages.
func (r *Run) String() string {
	status := fmt.Sprintf("exit code %d", r.ExitCode)
	if r.Err != nil {
		status = r.Err.Error()
	}
	return fmt.Sprintf("terraform %s: %s\n----- output -----\n%s\n------------------", strings.Join(r.Args, " "), status, r.Output())
}

// outputBuffer collects a command's output and lets a goroutine wait for
// a string to appear in it.
type outputBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{} // closed and replaced on every write
}

func newOutputBuffer() *outputBuffer { return &outputBuffer{changed: make(chan struct{})} }

func (b *outputBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	close(b.changed)
	b.changed = make(chan struct{})
	return n, err
}

func (b *outputBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor returns a channel closed once s has been written; it is never
// closed if s does not come before done is closed.
func (b *outputBuffer) waitFor(s string, done <-chan struct{}) <-chan struct{} {
	found := make(chan struct{})
	go func() {
		for {
			b.mu.Lock()
			ok, changed := strings.Contains(b.buf.String(), s), b.changed
			b.mu.Unlock()
			if ok {
				close(found)
				return
			}
			select {
			case <-changed:
			case <-done:
				return
			}
		}
	}()
	return found
}

// State is the part of a terraform.tfstate (format 4) the tests read.
type State struct {
	Resources []struct {
		Mode      string `json:"mode"`
		Type      string `json:"type"`
		Name      string `json:"name"`
		Instances []struct {
			IndexKey   any            `json:"index_key"`
			Status     string         `json:"status"`
			Attributes map[string]any `json:"attributes"`
		} `json:"instances"`
	} `json:"resources"`
}

// StateInstance is one resource instance in state.
type StateInstance struct {
	Address    string
	Tainted    bool
	Attributes map[string]any
}

// String is the attribute name as a string ("" when null or not a string).
func (s StateInstance) String(name string) string {
	v, _ := s.Attributes[name].(string)
	return v
}

// Strings is the attribute name as a list of strings (a set or a list).
func (s StateInstance) Strings(name string) []string {
	list, _ := s.Attributes[name].([]any)
	var out []string
	for _, v := range list {
		if str, ok := v.(string); ok {
			out = append(out, str)
		}
	}
	return out
}

// Set reports whether the attribute name is not null.
func (s StateInstance) Set(name string) bool { return s.Attributes[name] != nil }

// Managed lists the instances of managed resources of type typ.
func (s *State) Managed(typ string) []StateInstance {
	var out []StateInstance
	for _, r := range s.Resources {
		if r.Mode != "managed" || r.Type != typ {
			continue
		}
		for _, in := range r.Instances {
			addr := r.Type + "." + r.Name
			switch k := in.IndexKey.(type) {
			case string:
				addr += fmt.Sprintf("[%q]", k)
			case float64:
				addr += fmt.Sprintf("[%d]", int(k))
			}
			out = append(out, StateInstance{Address: addr, Tainted: in.Status == "tainted", Attributes: in.Attributes})
		}
	}
	return out
}

// State reads terraform.tfstate; no file is an empty state.
func (tf *Terraform) State() (*State, error) {
	b, err := os.ReadFile(filepath.Join(tf.Dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return &State{}, nil
	}
	if err != nil {
		return nil, err
	}
	var s State
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("reading terraform.tfstate: %w", err)
	}
	return &s, nil
}

// The provider is built once for all the tests of a binary that hold it
// at the same time, and removed when the last of them ends: tests that
// call NewTerraform before t.Parallel, or subtests of a test that called
// PrepareTerraformCLI, share one build.
var providerBuild struct {
	sync.Mutex
	dir  string
	refs int
}

// acquireProvider returns a directory holding terraform-provider-eni
// built from this module, for the duration of the test; or, when
// ENI_ACC_PROVIDER_DIR is set, that directory as it is (to run the tests
// against another build, such as a release or an older commit).
func acquireProvider(t *testing.T) string {
	t.Helper()
	if dir := os.Getenv("ENI_ACC_PROVIDER_DIR"); dir != "" {
		if _, err := os.Stat(filepath.Join(dir, "terraform-provider-eni")); err != nil {
			t.Fatalf("ENI_ACC_PROVIDER_DIR: %v", err)
		}
		return dir
	}
	providerBuild.Lock()
	defer providerBuild.Unlock()
	if providerBuild.refs == 0 {
		start := time.Now()
		dir, err := buildProvider()
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("built the provider for terraform in %s", time.Since(start).Round(10*time.Millisecond))
		providerBuild.dir = dir
	}
	providerBuild.refs++
	t.Cleanup(func() {
		providerBuild.Lock()
		defer providerBuild.Unlock()
		providerBuild.refs--
		if providerBuild.refs == 0 {
			_ = os.RemoveAll(providerBuild.dir)
			providerBuild.dir = ""
		}
	})
	return providerBuild.dir
}

func buildProvider() (string, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", err
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		return "", fmt.Errorf("building the provider for terraform: the go command is not on PATH: %w", err)
	}
	dir, err := os.MkdirTemp("", "terraform-provider-eni-acc-")
	if err != nil {
		return "", err
	}
	// Without the symbol table and DWARF: a third smaller, linked faster;
	// panics still name their functions.
	cmd := exec.Command(goBin, "build", "-ldflags=-s -w", "-o", filepath.Join(dir, "terraform-provider-eni"), ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		_ = os.RemoveAll(dir)
		return "", fmt.Errorf("building the provider (go build in %s): %v\n%s", root, err, out)
	}
	return dir, nil
}

// moduleRoot is the directory of this module's go.mod, found upwards
// from the working directory (the test's package directory).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		b, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil && strings.Contains(string(b), "module "+modulePath+"\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod of %s above the working directory", modulePath)
		}
		dir = parent
	}
}

// CheckStateKnowsCloud lists what the backend holds that state does not
// record, the leaks an interrupted run must not leave: a secondary ENI
// that is no eni_network_interface in state; a binding of a secondary
// ENI to an instance with no eni_network_interface_attachment for it; a
// secondary private IP of an ENI that owns its addresses
// (secondary_private_ip_count or secondary_private_ips set) missing from
// its private_ips in state, or, on any other ENI (the instances' primary
// ones included), with no eni_private_ip for it; an EIP bound to an ENI
// with no eni_eip_association for it. Settle the emulator first: a call
// the cloud accepted counts as done.
func CheckStateKnowsCloud(c *Census, s *State) error {
	enis := map[string]StateInstance{}
	for _, in := range s.Managed("eni_network_interface") {
		enis[in.String("id")] = in
	}
	type pair struct{ a, b string }
	attachments, privateIPs, associations := map[pair]bool{}, map[pair]bool{}, map[pair]bool{}
	for _, in := range s.Managed("eni_network_interface_attachment") {
		attachments[pair{in.String("network_interface_id"), in.String("instance_id")}] = true
	}
	for id, in := range enis { // the ENI's own attachment block
		if block, ok := in.Attributes["attachment"].(map[string]any); ok {
			if instance, _ := block["instance_id"].(string); instance != "" {
				attachments[pair{id, instance}] = true
			}
		}
	}
	for _, in := range s.Managed("eni_private_ip") {
		privateIPs[pair{in.String("network_interface_id"), in.String("ip_address")}] = true
	}
	for _, in := range s.Managed("eni_eip_association") {
		associations[pair{in.String("allocation_id"), in.String("network_interface_id")}] = true
	}
	var problems []string
	for _, e := range c.ENIs {
		in, ok := enis[e.ID]
		if !ok {
			problems = append(problems, fmt.Sprintf("ENI %s (%s) is in no eni_network_interface in state", e.ID, e.Status))
			continue
		}
		if e.InstanceID != "" && !attachments[pair{e.ID, e.InstanceID}] {
			problems = append(problems, fmt.Sprintf("ENI %s is bound to %s (%s) and no eni_network_interface_attachment or attachment block in state says so",
				e.ID, e.InstanceID, e.Status))
		}
		owns := in.Set("secondary_private_ip_count") || in.Set("secondary_private_ips")
		known := in.Strings("private_ips")
		for _, ip := range e.SecondaryIPs {
			switch {
			case owns && !slices.Contains(known, ip):
				problems = append(problems, fmt.Sprintf("secondary IP %s of ENI %s is not in its private_ips in state (%v)", ip, e.ID, known))
			case !owns && !privateIPs[pair{e.ID, ip}]:
				problems = append(problems, fmt.Sprintf("secondary IP %s of ENI %s is in no eni_private_ip in state", ip, e.ID))
			}
		}
	}
	for _, instanceID := range slices.Sorted(maps.Keys(c.PrimaryIPs)) {
		for _, ip := range c.PrimaryIPs[instanceID] {
			if eniID := c.PrimaryENI[instanceID]; !privateIPs[pair{eniID, ip}] {
				problems = append(problems, fmt.Sprintf("secondary IP %s of the primary ENI %s of %s is in no eni_private_ip in state", ip, eniID, instanceID))
			}
		}
	}
	for _, e := range c.EIPs {
		if e.InstanceType == cloud.EIPTargetNetworkInterface && !associations[pair{e.AllocationID, e.InstanceID}] {
			problems = append(problems, fmt.Sprintf("EIP %s is %s on ENI %s and no eni_eip_association in state says so", e.AllocationID, e.Status, e.InstanceID))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}
