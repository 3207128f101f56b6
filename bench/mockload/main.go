// Command mockload drives an eni-mockcloud at full speed and reports its
// throughput and memory: each worker creates an ENI with a ClientToken,
// assigns it an address with a ClientToken, describes it, unassigns the
// address and deletes the ENI, every request signed with a fresh nonce.
// That is the traffic that used to grow the emulator without bound (one
// ClientToken record and one nonce per request, kept forever). The
// resident set of the emulator process (-pid) is sampled every second.
//
//	mockload -url http://127.0.0.1:8686 -pid 1234 -duration 60s
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

func main() {
	base := flag.String("url", "", "emulator base URL")
	pid := flag.Int("pid", 0, "emulator process to sample the resident set of")
	duration := flag.Duration("duration", 60*time.Second, "how long to drive it")
	workers := flag.Int("workers", 16, "concurrent clients")
	key := flag.String("key", "k", "access key ID")
	secret := flag.String("secret", "s", "access key secret")
	vsw := flag.String("vswitch", "vsw-big", "vSwitch to create ENIs in")
	sg := flag.String("security-group", "sg-big", "security group of the ENIs")
	flag.Parse()
	if *base == "" || *pid == 0 {
		fmt.Fprintln(os.Stderr, "mockload: -url and -pid are required")
		os.Exit(2)
	}
	l := &load{base: *base, key: *key, secret: *secret, vsw: *vsw, sg: *sg,
		client: &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: *workers}}}

	startRSS := rssKB(*pid)
	peak := startRSS
	deadline := time.Now().Add(*duration)
	var wg sync.WaitGroup
	for w := 0; w < *workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; time.Now().Before(deadline); i++ {
				l.cycle(fmt.Sprintf("w%d-%d", w, i))
			}
		}(w)
	}
	start := time.Now()
	for time.Now().Before(deadline) {
		time.Sleep(time.Second)
		peak = max(peak, rssKB(*pid))
	}
	wg.Wait()
	elapsed := time.Since(start)
	endRSS := rssKB(*pid)
	peak = max(peak, endRSS)
	out := map[string]any{
		"seconds":             elapsed.Seconds(),
		"requests":            l.requests.Load(),
		"requests_per_second": float64(l.requests.Load()) / elapsed.Seconds(),
		"failed":              l.failed.Load(),
		"rss_start_mb":        float64(startRSS) / 1024,
		"rss_end_mb":          float64(endRSS) / 1024,
		"rss_peak_mb":         float64(peak) / 1024,
		"rss_growth_mb":       float64(peak-startRSS) / 1024,
	}
	b, _ := json.MarshalIndent(out, "", "  ")
	fmt.Println(string(b))
	if l.failed.Load() > l.requests.Load()/100 {
		fmt.Fprintln(os.Stderr, "mockload: more than 1% of requests failed; the figures do not describe a healthy run")
		os.Exit(1)
	}
}

type load struct {
	base, key, secret, vsw, sg string
	client                     *http.Client
	seq                        atomic.Int64
	requests, failed           atomic.Int64
}

// cycle is one ENI's life: five requests, two of them with a ClientToken.
func (l *load) cycle(tag string) {
	created := l.call("CreateNetworkInterface", map[string]string{"VSwitchId": l.vsw, "SecurityGroupId": l.sg, "ClientToken": "c-" + tag})
	id, _ := created["NetworkInterfaceId"].(string)
	if id == "" {
		return
	}
	assigned := l.call("AssignPrivateIpAddresses", map[string]string{"NetworkInterfaceId": id, "SecondaryPrivateIpAddressCount": "1", "ClientToken": "a-" + tag})
	l.call("DescribeNetworkInterfaces", map[string]string{"NetworkInterfaceId.1": id})
	if ip := firstAssigned(assigned); ip != "" {
		l.call("UnassignPrivateIpAddresses", map[string]string{"NetworkInterfaceId": id, "PrivateIpAddress.1": ip})
	}
	l.call("DeleteNetworkInterface", map[string]string{"NetworkInterfaceId": id})
}

func (l *load) call(action string, p map[string]string) map[string]any {
	p["Action"], p["Version"] = action, "2014-05-26"
	nonce := "n-" + strconv.FormatInt(l.seq.Add(1), 36) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	q := mockcloud.SignV1("GET", p, l.key, l.secret, nonce, time.Now())
	l.requests.Add(1)
	resp, err := l.client.Get(l.base + "/?" + q.Encode())
	if err != nil {
		l.failed.Add(1)
		return nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if resp.StatusCode != http.StatusOK || json.Unmarshal(b, &body) != nil {
		l.failed.Add(1)
		return nil
	}
	return body
}

func firstAssigned(body map[string]any) string {
	set, _ := body["AssignedPrivateIpAddressesSet"].(map[string]any)
	ips, _ := set["PrivateIpSet"].(map[string]any)
	list, _ := ips["PrivateIpAddress"].([]any)
	if len(list) == 0 {
		return ""
	}
	s, _ := list[0].(string)
	return s
}

// rssKB is VmRSS of a process, in KiB, from /proc.
func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.Fields(rest)[0], 10, 64)
			return n
		}
	}
	return 0
}
