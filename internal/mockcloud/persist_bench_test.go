package mockcloud

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// benchSeed has room for tens of thousands of ENIs.
func benchSeed() *Seed {
	return &Seed{
		RegionID:       "cn-hangzhou",
		Credentials:    []SeedCredential{{AccessKeyID: "k", AccessKeySecret: "s"}},
		VPCs:           []SeedVPC{{VPCID: "vpc-big", CIDRBlock: "10.0.0.0/8"}},
		VSwitches:      []SeedVSwitch{{VSwitchID: "vsw-big", VPCID: "vpc-big", ZoneID: "cn-hangzhou-h", CIDRBlock: "10.0.0.0/16"}},
		SecurityGroups: []SeedSecurityGroup{{SecurityGroupID: "sg-big", VPCID: "vpc-big"}},
		Quotas:         Quotas{MaxNetworkInterfaces: 100_000, MaxEIPs: 100},
	}
}

// benchPool is how many ENIs the benchmark modifies in turn.
const benchPool = 64

// benchStates caches, per size, a state file's bytes and the pool's IDs:
// building 10,000 ENIs takes seconds and the benchmark runs several times.
var benchStates cache[int, *benchState]

type benchState struct {
	file []byte
	pool []string
}

func stateWithENIs(b *testing.B, n int) *benchState {
	if v, ok := benchStates.load(n); ok {
		return v
	}
	srv, err := New(Options{Seed: benchSeed()})
	if err != nil {
		b.Fatal(err)
	}
	create := srv.actions[ecsVersion+"/CreateNetworkInterface"]
	bs := &benchState{}
	now := time.Now()
	for i := 0; i < n+benchPool; i++ {
		status, body, _ := srv.run(create, params{"VSwitchId": "vsw-big", "SecurityGroupId": "sg-big"}, now, 0)
		var resp struct{ NetworkInterfaceId string }
		if status != http.StatusOK || json.Unmarshal(body, &resp) != nil {
			b.Fatalf("create %d: %d %s", i, status, body)
		}
		if i >= n {
			bs.pool = append(bs.pool, resp.NetworkInterfaceId)
		}
	}
	line, err := json.Marshal(snapshot{Format: snapshotFormat, State: srv.st})
	if err != nil {
		b.Fatal(err)
	}
	bs.file = append(line, '\n')
	benchStates.store(n, bs)
	return bs
}

// BenchmarkDurableMutations measures acknowledged mutations per second with
// a state file, with an empty state and with 10,000 ENIs: 16 clients
// change ENI descriptions over HTTP, each change on disk (fsynced) before
// its answer. Writing only what changed keeps the two figures close; the
// whole-file rewrite this replaced fell with the size of the state.
func BenchmarkDurableMutations(b *testing.B) {
	for _, n := range []int{0, 10_000} {
		b.Run(fmt.Sprintf("enis=%d", n), func(b *testing.B) {
			bs := stateWithENIs(b, n)
			path := filepath.Join(b.TempDir(), "state.json")
			if err := os.WriteFile(path, bs.file, 0o600); err != nil {
				b.Fatal(err)
			}
			srv, err := Start(Options{StatePath: path})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
			var seq atomic.Int64
			b.SetParallelism(8)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := seq.Add(1)
					q := SignV1("GET", map[string]string{
						"Action": "ModifyNetworkInterfaceAttribute", "Version": ecsVersion,
						"NetworkInterfaceId": bs.pool[i%benchPool], "Description": "change-" + strconv.FormatInt(i, 10),
					}, "k", "s", "bench-"+strconv.FormatInt(i, 10)+"-"+strconv.FormatInt(time.Now().UnixNano(), 36), time.Now())
					resp, err := client.Get(srv.URL() + "/?" + q.Encode())
					if err != nil {
						b.Fatal(err)
					}
					body, _ := io.ReadAll(resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						b.Fatalf("modify: %d %s", resp.StatusCode, body)
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "mutations/s")
		})
	}
}

// BenchmarkSnapshot10k is the cost of one compaction of a 10,000-ENI
// state, which the journal pays once per twice the snapshot's size of
// changes.
func BenchmarkSnapshot10k(b *testing.B) {
	bs := stateWithENIs(b, 10_000)
	path := filepath.Join(b.TempDir(), "state.json")
	if err := os.WriteFile(path, bs.file, 0o600); err != nil {
		b.Fatal(err)
	}
	srv, err := New(Options{StatePath: path})
	if err != nil {
		b.Fatal(err)
	}
	defer srv.Close()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		srv.compactAt.Store(0)
		if err := srv.compact(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(bs.file))/1e6, "MB/snapshot")
}
