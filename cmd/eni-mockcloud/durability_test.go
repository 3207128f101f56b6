package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

// loadSeed has room for thousands of ENIs.
const loadSeed = `{"region_id":"cn-hangzhou","credentials":[{"access_key_id":"k","access_key_secret":"s"}],
 "vpcs":[{"vpc_id":"vpc-big","cidr_block":"10.0.0.0/8"}],
 "vswitches":[{"vswitch_id":"vsw-big","vpc_id":"vpc-big","zone_id":"cn-hangzhou-h","cidr_block":"10.0.0.0/16"}],
 "security_groups":[{"security_group_id":"sg-big","vpc_id":"vpc-big"}],
 "quotas":{"max_network_interfaces":100000,"max_eips":100000}}`

// emulatorProcess is eni-mockcloud running as a program, so a test can
// kill it for real.
type emulatorProcess struct {
	cmd  *exec.Cmd
	base string
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "eni-mockcloud")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func startProcess(t *testing.T, bin string, args ...string) *emulatorProcess {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"-listen", "127.0.0.1:0", "-transition-delay", "0s"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return &emulatorProcess{cmd: cmd, base: strings.TrimSpace(line)}
}

var nonceSeq struct {
	sync.Mutex
	n int
}

func nextNonce() string {
	nonceSeq.Lock()
	defer nonceSeq.Unlock()
	nonceSeq.n++
	return fmt.Sprintf("nonce-%d-%d", time.Now().UnixNano(), nonceSeq.n)
}

// signedURL is a V1-signed GET of the ECS action with p.
func (e *emulatorProcess) signedURL(action string, p map[string]string) string {
	all := map[string]string{"Action": action, "Version": "2014-05-26", "RegionId": "cn-hangzhou"}
	for k, v := range p {
		all[k] = v
	}
	return e.base + "/?" + mockcloud.SignV1("GET", all, "k", "s", nextNonce(), time.Now()).Encode()
}

// get sends a request and decodes its JSON answer.
func get(url string) (int, map[string]any, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, nil, err
	}
	var body map[string]any
	if err := json.Unmarshal(b, &body); err != nil {
		return resp.StatusCode, nil, fmt.Errorf("%s: %w", b, err)
	}
	return resp.StatusCode, body, nil
}

func (e *emulatorProcess) createENI(token string) (string, error) {
	p := map[string]string{"VSwitchId": "vsw-big", "SecurityGroupId": "sg-big"}
	if token != "" {
		p["ClientToken"] = token
	}
	code, body, err := get(e.signedURL("CreateNetworkInterface", p))
	if err != nil {
		return "", err
	}
	if code != 200 {
		return "", fmt.Errorf("create: %d %v", code, body)
	}
	id, ok := body["NetworkInterfaceId"].(string)
	if !ok {
		return "", fmt.Errorf("create: no NetworkInterfaceId string in %v", body)
	}
	return id, nil
}

func (e *emulatorProcess) eniCount(t *testing.T) int {
	t.Helper()
	code, body, err := get(e.signedURL("DescribeNetworkInterfaces", map[string]string{"MaxResults": "1", "VSwitchId": "vsw-big"}))
	if err != nil || code != 200 {
		t.Fatalf("describe: %d %v %v", code, body, err)
	}
	n, ok := body["TotalCount"].(float64)
	if !ok {
		t.Fatalf("describe: no TotalCount number in %v", body)
	}
	return int(n)
}

func (e *emulatorProcess) eniExists(t *testing.T, id string) bool {
	t.Helper()
	code, body, err := get(e.signedURL("DescribeNetworkInterfaceAttribute", map[string]string{"NetworkInterfaceId": id}))
	if err != nil {
		t.Fatal(err)
	}
	return code == 200 && body["NetworkInterfaceId"] == id
}

// Writers create ENIs as fast as they can while the emulator is killed
// with SIGKILL. After a restart on the same state file every create that
// was answered is there; a captured signed request replayed after the
// restart is refused; a ClientToken retry finds its first answer.
func TestStateSurvivesSIGKILL(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	seed, state := filepath.Join(dir, "seed.json"), filepath.Join(dir, "state.json")
	if err := os.WriteFile(seed, []byte(loadSeed), 0o600); err != nil {
		t.Fatal(err)
	}
	first := startProcess(t, bin, "-seed", seed, "-state", state)

	// A request an attacker could capture: answered before the kill.
	captured := first.signedURL("CreateNetworkInterface", map[string]string{"VSwitchId": "vsw-big", "SecurityGroupId": "sg-big"})
	if code, body, err := get(captured); err != nil || code != 200 {
		t.Fatalf("captured create: %d %v %v", code, body, err)
	}
	tokenID, err := first.createENI("retry-me")
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var acked []string
	enough := make(chan struct{}) // closed at 300 answered creates
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				id, err := first.createENI("")
				if err != nil {
					return // the process is gone
				}
				mu.Lock()
				acked = append(acked, id)
				if len(acked) == 300 {
					close(enough)
				}
				mu.Unlock()
			}
		}()
	}
	<-enough // the writers go on: the kill lands mid-stream
	if err := first.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.cmd.Wait()
	close(stop)
	wg.Wait()

	second := startProcess(t, bin, "-seed", seed, "-state", state)
	for _, id := range acked {
		if !second.eniExists(t, id) {
			t.Fatalf("ENI %s was acknowledged before the kill and is gone after the restart (%d acknowledged)", id, len(acked))
		}
	}
	before := second.eniCount(t)
	if before < len(acked)+2 {
		t.Fatalf("%d ENIs after the restart, fewer than the %d acknowledged", before, len(acked)+2)
	}
	code, body, err := get(strings.Replace(captured, first.base, second.base, 1))
	if err != nil || code != 400 || body["Code"] != "SignatureNonceUsed" {
		t.Fatalf("a captured request replayed after the restart: %d %v %v, want 400 SignatureNonceUsed", code, body, err)
	}
	again, err := second.createENI("retry-me")
	if err != nil || again != tokenID {
		t.Fatalf("ClientToken retry after the restart: %q %v, want the first answer %q", again, err, tokenID)
	}
	if after := second.eniCount(t); after != before {
		t.Fatalf("the replay or the retry created ENIs: %d → %d", before, after)
	}
	info, err := os.Stat(state)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Fatalf("state file mode %v, want 0600", info.Mode().Perm())
	}
	t.Logf("%d creates acknowledged before SIGKILL, all present after the restart", len(acked))
}
