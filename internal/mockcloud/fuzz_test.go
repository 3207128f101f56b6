package mockcloud

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// FuzzDispatch signs arbitrary parameters properly, so the input gets past
// authentication and reaches the handlers, then checks that the server
// answered with a well-formed status and that the state is still
// consistent. Run it with:
//
//	go test -fuzz FuzzDispatch ./internal/mockcloud/
func FuzzDispatch(f *testing.F) {
	names := actionNames()
	f.Add(uint8(0), "VSwitchId=vsw-mockh&SecurityGroupId=sg-mockweb&SecondaryPrivateIpAddressCount=3")
	f.Add(uint8(1), "NetworkInterfaceId.1=eni-x&MaxResults=500&NextToken=abc")
	f.Add(uint8(2), "PrivateIpAddress.1=10.1.0.300&NetworkInterfaceId=eni-1")
	f.Add(uint8(3), "InstanceIds=[\"i-mockweb1\"&PageSize=-1")
	f.Add(uint8(4), "Tag.1.Key=&Tag.99.Value=x&ResourceId.1=eni-1&ResourceType=eni")
	f.Add(uint8(5), "AllocationId=eip-mock1&InstanceId=i-mockweb1&Mode=MULTI_BINDED&ClientToken=t")
	f.Add(uint8(6), "PrimaryIpAddress=10.1.0.255&VSwitchId=vsw-mockh&SecurityGroupIds.1=sg-mockweb&SecurityGroupIds.9=sg-mockdb")
	f.Add(uint8(7), "VSwitchId=vsw-mockv6&SecurityGroupId=sg-mockweb&Ipv6AddressCount=3&Ipv4PrefixCount=2")
	f.Add(uint8(8), "VSwitchId=vsw-mockv6&SecurityGroupId=sg-mockweb&Ipv6Address.1=2001:db8:10:4::&Ipv4Prefix.1=10.4.0.17/28")
	f.Add(uint8(9), "NetworkInterfaceId=eni-1&Ipv4Prefix.1=10.4.0.16/28&Ipv4Prefix.2=10.4.0.16/28&PrivateIpAddress.1=10.4.0.20")
	f.Add(uint8(10), "NetworkInterfaceId=eni-1&Ipv6Address.1=::ffff:10.1.0.1&Ipv6AddressCount=11&Ipv6PrefixCount=1")
	srv, err := New(Options{})
	if err != nil {
		f.Fatal(err)
	}
	var nonce int
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		a := names[int(which)%len(names)]
		p := params{}
		for k, vs := range q {
			p[k] = vs[0]
		}
		version, action, _ := strings.Cut(a, "/")
		nonce++
		for k, v := range baseParams(action, version, fmt.Sprintf("fuzz-%d", nonce)) {
			p[k] = v
		}
		p["Signature"] = Sign(StringToSign("POST", p), "mock-secret")
		body := url.Values{}
		for k, v := range p {
			body.Set(k, v)
		}
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code == http.StatusInternalServerError {
			t.Fatalf("%s %q: internal error %s", a, query, rec.Body.String())
		}
		if rec.Code != 200 && !strings.Contains(rec.Body.String(), `"Code"`) {
			t.Fatalf("%s %q: error without Code: %d %s", a, query, rec.Code, rec.Body.String())
		}
		srv.mu.Lock()
		defer srv.mu.Unlock()
		if err := srv.st.check(); err != nil {
			t.Fatalf("%s %q: state corrupted: %v", a, query, err)
		}
	})
}

func actionNames() []string {
	srv, _ := New(Options{})
	var out []string
	for k := range srv.actions {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// check verifies the state's cross-references: every address in use
// belongs to the ENI that holds it, every ENI's instance exists and no
// instance holds more ENIs than its type allows.
func (s *state) check() error {
	owners := map[string]string{}
	for _, vsw := range s.VSwitches {
		for ip, owner := range vsw.Used {
			e := s.ENIs[owner]
			if e == nil {
				return fmt.Errorf("%s holds %s but does not exist", owner, ip)
			}
			held := e.hasIP(ip) || slices.Contains(e.PendingAdd, ip) ||
				inPrefixes(ip, slices.Concat(e.IPv4Prefixes, e.PendingAddPrefixes))
			if !held || e.VSwitchID != vsw.ID {
				return fmt.Errorf("%s is recorded as used by %s, which does not hold it", ip, owner)
			}
			owners[ip] = owner
		}
	}
	if err := s.checkIPv6Owners(); err != nil {
		return err
	}
	perInstance := map[string]int{}
	for _, e := range s.ENIs {
		for _, ip := range slices.Concat([]string{e.PrimaryIP}, e.SecondaryIPs, e.PendingAdd) {
			if owners[ip] != e.ID {
				return fmt.Errorf("%s of %s is not recorded in its vSwitch", ip, e.ID)
			}
		}
		for _, p := range slices.Concat(e.IPv4Prefixes, e.PendingAddPrefixes) {
			for a := range prefixAddrs(netip.MustParsePrefix(p)) {
				if owners[a.String()] != e.ID {
					return fmt.Errorf("%s of prefix %s of %s is not recorded in its vSwitch", a, p, e.ID)
				}
			}
		}
		if n := e.ipv6Count(); n > 0 && len(s.VSwitches[e.VSwitchID].UsedIPv6) < n {
			return fmt.Errorf("%s holds %d IPv6 addresses its vSwitch does not record", e.ID, n)
		}
		if e.InstanceID != "" {
			if s.Instances[e.InstanceID] == nil {
				return fmt.Errorf("%s is bound to missing instance %s", e.ID, e.InstanceID)
			}
			perInstance[e.InstanceID]++
		}
	}
	for id, n := range perInstance {
		if t := s.InstanceTypes[s.Instances[id].Type]; n > t.ENIQuantity {
			return fmt.Errorf("instance %s holds %d ENIs, its type allows %d", id, n, t.ENIQuantity)
		}
	}
	for _, e := range s.EIPs {
		if e.InstanceID != "" && e.InstanceType == "NetworkInterface" {
			if eni := s.ENIs[e.InstanceID]; eni == nil || !eni.hasIP(e.PrivateIP) {
				return fmt.Errorf("%s is bound to %s/%s, which does not exist", e.ID, e.InstanceID, e.PrivateIP)
			}
		}
	}
	return nil
}

// checkIPv6Owners checks that every IPv6 address a vSwitch records is
// held (or being assigned) by an ENI of that vSwitch, once.
func (s *state) checkIPv6Owners() error {
	for _, vsw := range s.VSwitches {
		for a, owner := range vsw.UsedIPv6 {
			e := s.ENIs[owner]
			if e == nil || e.VSwitchID != vsw.ID || !slices.Contains(slices.Concat(e.IPv6Addresses, e.PendingAddIPv6), a) {
				return fmt.Errorf("IPv6 %s is recorded as used by %s, which does not hold it", a, owner)
			}
		}
	}
	return nil
}

// The invariant the fuzz target checks holds while an assign is pending.
func TestStateCheckDuringPendingAssign(t *testing.T) {
	env := startEnv(t, nil, withDelay(time.Hour))
	create := ecs.CreateCreateNetworkInterfaceRequest()
	create.VSwitchId, create.SecurityGroupId = "vsw-mockh", "sg-mockweb"
	out, err := env.ecs.CreateNetworkInterface(create)
	mustOK(t, err)
	assign := ecs.CreateAssignPrivateIpAddressesRequest()
	assign.NetworkInterfaceId = out.NetworkInterfaceId
	assign.SecondaryPrivateIpAddressCount = "2"
	_, err = env.ecs.AssignPrivateIpAddresses(assign)
	mustOK(t, err)
	env.srv.mu.Lock()
	err = env.srv.st.check()
	env.srv.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
}
