package cloud

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// Config is everything the provider's Configure step knows about the cloud.
type Config struct {
	Region        string
	AccessKey     string
	SecretKey     string
	SecurityToken string
	// Profile names a profile of the Alibaba Cloud CLI (~/.aliyun/config.json);
	// ProfileFile is another CLI configuration file. The rest of the
	// credential chain (credentials.go) follows: OIDC, the ECS RAM role, a
	// credentials URI, and a role assumed on top of what the chain found.
	Profile        string
	ProfileFile    string
	OIDC           *OIDCRole
	ECSRoleName    string
	CredentialsURI string
	AssumeRole     *AssumeRole

	// STSEndpoint overrides the STS endpoint of assumed roles and OIDC
	// (a host or https:// URL); ECSMetadataEndpoint the ECS metadata
	// service's (an http:// URL, used as the metadata requests' proxy).
	STSEndpoint         string
	ECSMetadataEndpoint string

	// ECSEndpoint and VPCEndpoint override the SDK's endpoint resolution:
	// "http://127.0.0.1:8686", "https://ecs.example.com" or a bare host
	// (which means HTTPS).
	ECSEndpoint string
	VPCEndpoint string

	// MaxRetries bounds the retries of one API call after its first attempt:
	// 0 means DefaultMaxRetries, a negative value means no retries.
	MaxRetries int

	// UserAgent is appended to the SDK's user agent when set.
	UserAgent string

	// WalkScoped says the client serves one Terraform walk (the provider
	// builds one per Configure), so it may remember what it read and serve
	// it again for the rest of the walk (seen.go). A client that lives
	// longer, such as the one acceptance tests check the cloud with, reads
	// afresh every time.
	WalkScoped bool

	// SingleReads turns coalescing off: every FindNetworkInterfaceByID,
	// FindInstanceByID and FindEIPByAllocationID is a call of its own
	// (coalesce.go).
	SingleReads bool
}

// Defaults for the retry and polling knobs of a Client.
const (
	DefaultMaxRetries      = 8
	DefaultRetryBaseDelay  = 200 * time.Millisecond
	DefaultRetryMaxDelay   = 5 * time.Second
	DefaultPollMinInterval = 150 * time.Millisecond
	DefaultPollMaxInterval = 2 * time.Second
)

// Client is the one API client every resource uses. It is safe for
// concurrent use once built; its exported knobs must be set before sharing.
type Client struct {
	// RetryBaseDelay and RetryMaxDelay shape the exponential backoff of
	// call retries; tests shrink them.
	RetryBaseDelay time.Duration
	RetryMaxDelay  time.Duration
	// PollMinInterval and PollMaxInterval shape the polling of the waiters
	// that are methods of Client.
	PollMinInterval time.Duration
	PollMaxInterval time.Duration
	// CancelGrace bounds how long a mutating call goes on after its
	// context ends (linger.go); zero means DefaultCancelGrace.
	CancelGrace time.Duration
	// CoalesceWindow is how long a batch of reads waits for more reads
	// (coalesce.go); zero turns coalescing off. New sets
	// DefaultCoalesceWindow unless Config.SingleReads.
	CoalesceWindow time.Duration
	// Locks serialise the calls that conflict on one object: attach and
	// detach per instance, assign and unassign per ENI.
	Locks KeyedLocks

	region     string
	redactor   *redactor // masks every encoding of the secret key and token, see redact.go
	stsToken   bool      // a security token is in use
	maxRetries int
	credential auth.Credential
	credSource string // the chain's source, for messages
	sts        sdkTarget
	ecs        sdkTarget
	vpc        sdkTarget
	userAgent  string
	transport  http.RoundTripper
	health     endpointHealth // endpoints found unreachable, see failfast.go

	lookups lookups    // memoised stable facts, see lookup.go
	reads   coalescers // batched reads by ID, see coalesce.go
	walk    bool       // Config.WalkScoped
	writes  writeLog   // what our changes named, see writes.go
	// how long our changes took to show, see aim.go
	transitions transitions
}

// sdkTarget is where one service's requests go; an empty domain leaves the
// choice to the SDK's endpoint resolution.
type sdkTarget struct {
	domain string
	scheme string
}

// regionPattern is the SDK's own check, repeated here so a bad region is
// reported by New and not by the first API call.
var regionPattern = regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)

// New validates cfg and builds a Client. It does not call the cloud.
func New(cfg Config) (*Client, error) {
	if cfg.Region == "" {
		return nil, errors.New("region is required")
	}
	if !regionPattern.MatchString(cfg.Region) {
		return nil, fmt.Errorf("region %q contains invalid characters", cfg.Region)
	}
	sts, err := parseSTSEndpoint(cfg.STSEndpoint)
	if err != nil {
		return nil, err
	}
	metadataProxy, err := parseMetadataEndpoint(cfg.ECSMetadataEndpoint)
	if err != nil {
		return nil, err
	}
	src, err := buildCredentialSource(cfg, sts, metadataProxy)
	if err != nil {
		return nil, err
	}
	ecsTarget, err := parseEndpoint("ecs", cfg.ECSEndpoint)
	if err != nil {
		return nil, err
	}
	vpcTarget, err := parseEndpoint("vpc", cfg.VPCEndpoint)
	if err != nil {
		return nil, err
	}

	maxRetries := cfg.MaxRetries
	switch {
	case maxRetries == 0:
		maxRetries = DefaultMaxRetries
	case maxRetries < 0:
		maxRetries = 0
	}

	c := &Client{
		RetryBaseDelay:  DefaultRetryBaseDelay,
		RetryMaxDelay:   DefaultRetryMaxDelay,
		PollMinInterval: DefaultPollMinInterval,
		PollMaxInterval: DefaultPollMaxInterval,
		region:          cfg.Region,
		redactor:        newRedactor(nonEmpty(cfg.SecretKey, cfg.SecurityToken)),
		stsToken:        src.temporary,
		maxRetries:      maxRetries,
		credSource:      src.name,
		sts:             sts.sdk,
		ecs:             ecsTarget,
		vpc:             vpcTarget,
		userAgent:       cfg.UserAgent,
		transport:       newBaseTransport(),
	}
	c.credential = newSDKCredentials(src, func(secret, token string) { c.redactor.add(secret, token) })
	if !cfg.SingleReads {
		c.CoalesceWindow = DefaultCoalesceWindow
	}
	c.walk = cfg.WalkScoped
	return c, nil
}

// Region is the region every request defaults to.
func (c *Client) Region() string { return c.region }

// MaxRetries is the effective retry bound of one call.
func (c *Client) MaxRetries() int { return c.maxRetries }

// CredentialSource names where the client's credentials come from, as
// the documentation names the sources ("access keys", "profile x of the
// Alibaba Cloud CLI", ...).
func (c *Client) CredentialSource() string { return c.credSource }

// sdkConfig is a fresh SDK config for one call. AutoRetry stays off because
// call retries with backoff, a stable ClientToken and the context in mind.
func (c *Client) sdkConfig(t sdkTarget, rt http.RoundTripper) *sdk.Config {
	cfg := sdk.NewConfig().WithAutoRetry(false).WithUserAgent(c.userAgent)
	cfg.Scheme = t.scheme
	cfg.Transport = rt
	return cfg
}

// LogContext returns ctx with the secret key and security token masked in
// every log line written with it, whatever field or message carries them,
// raw or percent-encoded once or twice (see secretForms).
func (c *Client) LogContext(ctx context.Context) context.Context {
	forms := c.redactor.masked()
	if len(forms) == 0 {
		return ctx
	}
	ctx = tflog.MaskAllFieldValuesStrings(ctx, forms...)
	return tflog.MaskMessageStrings(ctx, forms...)
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	return out
}

// ValidRegionName reports whether region has the form of a region ID (the
// SDK's own check); whether it exists is the API's to say.
func ValidRegionName(region string) bool { return regionPattern.MatchString(region) }
