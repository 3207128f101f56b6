// Command eni-mockcloud serves the Alibaba Cloud ECS/VPC emulator of
// internal/mockcloud on a TCP address. The first line it prints on stdout
// is its base URL; with -tls-listen, the second line is its HTTPS URL. It
// serves until SIGINT or SIGTERM and then exits 0.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/openeni/terraform-provider-eni/internal/mockcloud"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "eni-mockcloud:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("eni-mockcloud", flag.ContinueOnError)
	fs.SetOutput(stderr)
	listen := fs.String("listen", "127.0.0.1:8686", "address to listen on; 127.0.0.1:0 picks a free port")
	seedPath := fs.String("seed", "", "seed topology JSON file (default: the built-in topology)")
	statePath := fs.String("state", "", "persist state to this file and reload it at start")
	delay := fs.Duration("transition-delay", time.Second, "how long attach, detach, delete, stop, start, associate, unassociate and private IP changes stay in their transitional state")
	bodyTimeout := fs.Duration("body-read-timeout", mockcloud.DefaultBodyReadTimeout, "how long a client may take to send a request body; a slower one gets 408 and its connection is closed")
	var faults mockcloud.Faults
	fs.Float64Var(&faults.ThrottleRate, "throttle-rate", 0, "share of API calls refused with Throttling.User (0-1)")
	fs.Float64Var(&faults.ErrorRate, "error-rate", 0, "share of API calls failing with ServiceUnavailable or InternalError (0-1)")
	fs.IntVar(&faults.LatencyMS, "latency-ms", 0, "latency added to every API call, in milliseconds")
	fs.IntVar(&faults.InvisibleAfterCreateMS, "invisible-after-create-ms", 0, "hide a new ENI from Describe results for this long (eventual consistency)")
	fs.Uint64Var(&faults.Seed, "fault-seed", 0, "random seed for fault injection")
	tempTTL := fs.Duration("temporary-credential-ttl", 0, "lifetime of every key STS and the metadata service issue (default: what AssumeRole asks, 6h for the instance role)")
	roleName := fs.String("ecs-role-name", mockcloud.DefaultECSRoleName, "RAM role whose keys the ECS metadata service hands out")
	tlsListen := fs.String("tls-listen", "", "also serve HTTPS on this address, for STS (the SDKs' credential providers call it over HTTPS only); needs -tls-cert and -tls-key")
	tlsCert := fs.String("tls-cert", "", "PEM certificate for -tls-listen")
	tlsKey := fs.String("tls-key", "", "PEM private key for -tls-listen")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *bodyTimeout <= 0 {
		return fmt.Errorf("-body-read-timeout %s: it must be positive", *bodyTimeout)
	}
	tlsSet := 0
	for _, v := range []string{*tlsListen, *tlsCert, *tlsKey} {
		if v != "" {
			tlsSet++
		}
	}
	if tlsSet != 0 && tlsSet != 3 {
		return errors.New("-tls-listen, -tls-cert and -tls-key go together: give all three or none")
	}
	opts := mockcloud.Options{TransitionDelay: *delay, Faults: faults, StatePath: *statePath, BodyReadTimeout: *bodyTimeout,
		TemporaryCredentialTTL: *tempTTL, ECSRoleName: *roleName}
	if *seedPath != "" {
		seed, err := mockcloud.LoadSeed(*seedPath)
		if err != nil {
			return err
		}
		opts.Seed = seed
	}
	if err := opts.Faults.Validate(); err != nil {
		return err
	}
	srv, err := mockcloud.New(opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	var tlsLn net.Listener
	if *tlsListen != "" {
		if tlsLn, err = net.Listen("tcp", *tlsListen); err != nil {
			_ = ln.Close()
			return err
		}
	}
	fmt.Fprintf(stdout, "http://%s\n", ln.Addr())
	if tlsLn != nil {
		fmt.Fprintf(stdout, "https://%s\n", tlsLn.Addr())
	}

	plain := srv.HTTPServer()
	servers := []*http.Server{plain}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 2)
	// Each goroutine gets its own server, not the slice, which grows below.
	go func() { errc <- plain.Serve(ln) }()
	if tlsLn != nil {
		secure := srv.HTTPServer()
		servers = append(servers, secure)
		go func() { errc <- secure.ServeTLS(tlsLn, *tlsCert, *tlsKey) }()
	}
	select {
	case err := <-errc:
		for _, s := range servers {
			_ = s.Close()
		}
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, s := range servers {
		if err := s.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	return nil
}
