package cloud

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/aliyun/credentials-go/credentials/providers"
)

// The credential chain. One source gives the base credentials, the first
// of these that is configured (set, not merely reachable):
//
//  1. access keys (Config.AccessKey and SecretKey, with SecurityToken);
//  2. an OIDC role (Config.OIDC: RRSA in ACK pods, CI systems);
//  3. a profile of the Alibaba Cloud CLI (Config.Profile, or the CLI's
//     current profile when its configuration file exists), in any mode the
//     CLI writes;
//  4. the ECS instance's RAM role (Config.ECSRoleName), from the metadata
//     service;
//  5. a credentials URI (Config.CredentialsURI).
//
// An AssumeRole block then assumes a role with whatever the chain found.
// The providers are those of github.com/aliyun/credentials-go, the
// library Alibaba's own tools use; they cache temporary keys and fetch
// new ones 180 seconds before the old ones expire.
//
// Unlike the SDK's default chain, a configured source that fails is an
// error, not a reason to try the next one: a typo in a profile name
// should not quietly pick up other keys. And the ECS metadata service is
// asked only when a role name is given, so that a machine outside ECS
// does not wait for it to time out.

// OIDCRole is a role assumed with an OIDC token (AssumeRoleWithOIDC).
type OIDCRole struct {
	RoleARN     string
	ProviderARN string
	TokenFile   string
	SessionName string
}

// AssumeRole is a role assumed on top of the base credentials.
type AssumeRole struct {
	RoleARN     string
	SessionName string
	// DurationSeconds is the lifetime asked of STS; 0 means 3600.
	DurationSeconds int
	Policy          string
	ExternalID      string
}

// DefaultRoleSessionName names the sessions of assumed roles, so that the
// ActionTrail of the account shows what acted.
const DefaultRoleSessionName = "terraform-provider-eni"

// credentialSource is what the chain picked: a provider and its name.
type credentialSource struct {
	name     string
	provider providers.CredentialsProvider
	// temporary: the keys come with a security token.
	temporary bool
}

// buildCredentialSource picks the base source and puts the assumed role
// on top.
func buildCredentialSource(cfg Config, sts stsTarget, metadataProxy string) (credentialSource, error) {
	base, err := baseSource(cfg, sts, metadataProxy)
	if err != nil {
		return base, err
	}
	if cfg.AssumeRole == nil {
		return base, nil
	}
	ar := cfg.AssumeRole
	if ar.RoleARN == "" {
		return base, errors.New("assume_role: role_arn is required")
	}
	b := providers.NewRAMRoleARNCredentialsProviderBuilder().
		WithCredentialsProvider(base.provider).
		WithRoleArn(ar.RoleARN).
		WithRoleSessionName(cmp.Or(ar.SessionName, DefaultRoleSessionName)).
		WithDurationSeconds(cmp.Or(ar.DurationSeconds, 3600)).
		WithPolicy(ar.Policy).
		WithExternalId(ar.ExternalID)
	if sts.host != "" {
		b = b.WithStsEndpoint(sts.host)
	}
	p, err := b.Build()
	if err != nil {
		return base, fmt.Errorf("assume_role: %w", err)
	}
	return credentialSource{name: "assume_role (" + ar.RoleARN + ") on " + base.name, provider: p, temporary: true}, nil
}

func baseSource(cfg Config, sts stsTarget, metadataProxy string) (credentialSource, error) {
	switch {
	case cfg.AccessKey != "" || cfg.SecretKey != "":
		if cfg.AccessKey == "" || cfg.SecretKey == "" {
			return credentialSource{}, errors.New("access key and secret key must be set together")
		}
		if cfg.SecurityToken != "" {
			p, err := providers.NewStaticSTSCredentialsProviderBuilder().WithAccessKeyId(cfg.AccessKey).
				WithAccessKeySecret(cfg.SecretKey).WithSecurityToken(cfg.SecurityToken).Build()
			return credentialSource{name: "access keys with a security token", provider: p, temporary: true}, err
		}
		p, err := providers.NewStaticAKCredentialsProviderBuilder().WithAccessKeyId(cfg.AccessKey).
			WithAccessKeySecret(cfg.SecretKey).Build()
		return credentialSource{name: "access keys", provider: p}, err

	case cfg.OIDC != nil:
		o := cfg.OIDC
		b := providers.NewOIDCCredentialsProviderBuilder().WithRoleArn(o.RoleARN).WithOIDCProviderARN(o.ProviderARN).
			WithOIDCTokenFilePath(o.TokenFile).WithRoleSessionName(cmp.Or(o.SessionName, DefaultRoleSessionName))
		if sts.host != "" {
			b = b.WithSTSEndpoint(sts.host)
		}
		p, err := b.Build()
		if err != nil {
			return credentialSource{}, fmt.Errorf("OIDC role: %w", err)
		}
		return credentialSource{name: "OIDC role " + o.RoleARN, provider: p, temporary: true}, nil

	case cfg.Profile != "" || cliConfigExists(cfg.ProfileFile):
		p, err := providers.NewCLIProfileCredentialsProviderBuilder().WithProfileFile(cfg.ProfileFile).
			WithProfileName(cfg.Profile).Build()
		if err != nil {
			return credentialSource{}, fmt.Errorf("CLI profile: %w", err)
		}
		name := "the current profile of the Alibaba Cloud CLI"
		if cfg.Profile != "" {
			name = "profile " + cfg.Profile + " of the Alibaba Cloud CLI"
		}
		// A profile may hold keys of any kind; treat them as temporary for
		// the advice on signature errors.
		return credentialSource{name: name, provider: p, temporary: true}, nil

	case cfg.ECSRoleName != "":
		b := providers.NewECSRAMRoleCredentialsProviderBuilder().WithRoleName(cfg.ECSRoleName)
		if metadataProxy != "" {
			b = b.WithHttpOptions(&providers.HttpOptions{Proxy: metadataProxy})
		}
		p, err := b.Build()
		if err != nil {
			return credentialSource{}, fmt.Errorf("ECS RAM role: %w", err)
		}
		return credentialSource{name: "ECS RAM role " + cfg.ECSRoleName, provider: p, temporary: true}, nil

	case cfg.CredentialsURI != "":
		p, err := providers.NewURLCredentialsProviderBuilder().WithUrl(cfg.CredentialsURI).Build()
		if err != nil {
			return credentialSource{}, fmt.Errorf("credentials URI: %w", err)
		}
		return credentialSource{name: "credentials URI", provider: p, temporary: true}, nil
	}
	return credentialSource{}, errors.New("no credentials: set access keys, an OIDC role, a CLI profile, an ECS RAM role name or a credentials URI")
}

// cliConfigExists reports whether the Alibaba Cloud CLI's configuration
// file is there: file, else ALIBABA_CLOUD_CONFIG_FILE, else
// ~/.aliyun/config.json (where credentials-go looks). Its current profile
// is then a source, as in the SDK's default chain, unless
// ALIBABA_CLOUD_CLI_PROFILE_DISABLED is true.
func cliConfigExists(file string) bool {
	if strings.EqualFold(os.Getenv("ALIBABA_CLOUD_CLI_PROFILE_DISABLED"), "true") {
		return false
	}
	if file == "" {
		file = os.Getenv("ALIBABA_CLOUD_CONFIG_FILE")
	}
	if file == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return false
		}
		file = filepath.Join(home, ".aliyun", "config.json")
	}
	st, err := os.Stat(file)
	return err == nil && st.Mode().IsRegular()
}
