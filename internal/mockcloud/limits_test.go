package mockcloud

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// A body over the documented cap is refused with 413 naming the limit, and
// the connection is closed.
func TestOversizedBodyRefused(t *testing.T) {
	srv, err := Start(Options{})
	mustOK(t, err)
	t.Cleanup(srv.Close)
	body := "Action=DescribeInstances&Pad=" + strings.Repeat("x", MaxRequestBytes)
	resp, err := http.Post(srv.URL()+"/", "application/x-www-form-urlencoded", strings.NewReader(body))
	mustOK(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(b), "RequestTooLarge") ||
		!strings.Contains(string(b), "1048576 bytes") {
		t.Fatalf("oversized body: %d %s", resp.StatusCode, b)
	}
	if !resp.Close {
		t.Fatal("the connection of an oversized request was kept open")
	}
}

// Clients that send their headers and then trickle the body are cut off
// at the body deadline with a 408 and their connections closed, however
// many there are; a normal request is served meanwhile.
func TestSlowBodiesCutOff(t *testing.T) {
	srv, err := Start(Options{BodyReadTimeout: 300 * time.Millisecond})
	mustOK(t, err)
	t.Cleanup(srv.Close)
	addr := strings.TrimPrefix(srv.URL(), "http://")

	const slow = 50
	results := make(chan string, slow)
	for i := 0; i < slow; i++ {
		go func() {
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				results <- "dial: " + err.Error()
				return
			}
			defer conn.Close()
			_, _ = io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nAction=")
			// Trickle a byte now and then, never finishing the body.
			stop := make(chan struct{})
			defer close(stop)
			go func() {
				for {
					select {
					case <-stop:
						return
					case <-time.After(50 * time.Millisecond):
						if _, err := conn.Write([]byte("x")); err != nil {
							return
						}
					}
				}
			}()
			_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if err != nil {
				results <- "no answer: " + err.Error()
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestTimeout || !strings.Contains(string(b), "RequestTimeout") || !resp.Close {
				results <- "answer: " + resp.Status + " " + string(b)
				return
			}
			// The server closes its side: a read now ends (EOF, or a reset
			// when the trickle hit the closed socket), it does not hang.
			var ne net.Error
			if _, err := conn.Read(make([]byte, 1)); err == nil || (errors.As(err, &ne) && ne.Timeout()) {
				results <- fmt.Sprintf("connection still open after the 408 (%v)", err)
				return
			}
			results <- ""
		}()
	}
	resp, err := http.Get(srv.URL() + "/_mock/health")
	mustOK(t, err)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health while slow clients wait: %d", resp.StatusCode)
	}
	for i := 0; i < slow; i++ {
		if r := <-results; r != "" {
			t.Fatal(r)
		}
	}
}
