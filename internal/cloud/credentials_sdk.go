package cloud

import (
	"fmt"
	"sync"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
)

// credentialFailureMemory is how long a failure to get credentials is
// given to every call without asking the source again. A plan of 140
// resources whose credentials cannot be had (no metadata service, STS
// refusing the role) then reports one error at once instead of waiting
// for the source 140 times; a refresh that fails once in a long apply is
// tried again after this pause.
const credentialFailureMemory = 10 * time.Second

// CredentialsError says the credential chain's source could not give
// keys. Source names it as the documentation does.
type CredentialsError struct {
	Source string
	Err    error
}

func (e *CredentialsError) Error() string {
	return fmt.Sprintf("getting credentials from %s: %v", e.Source, e.Err)
}

func (e *CredentialsError) Unwrap() error { return e.Err }

// sdkCredentials is the chain's source as the SDK's signer sees it: the
// SDK asks it for keys before signing each request. It serialises the
// source (credentials-go providers cache and refresh without a lock) and
// hands every new secret and token to onKeys before they are used, so
// that they are masked in logs and errors like static ones.
type sdkCredentials struct {
	mu     sync.Mutex
	src    credentialSource
	onKeys func(secret, token string)
	now    func() time.Time

	lastSecret, lastToken string
	failure               error
	failedAt              time.Time
}

var _ credentials.CredentialsProvider = (*sdkCredentials)(nil)

func newSDKCredentials(src credentialSource, onKeys func(secret, token string)) *sdkCredentials {
	return &sdkCredentials{src: src, onKeys: onKeys, now: time.Now}
}

func (p *sdkCredentials) GetCredentials() (*credentials.Credentials, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.failure != nil && p.now().Sub(p.failedAt) < credentialFailureMemory {
		return nil, p.failure
	}
	cc, err := p.src.provider.GetCredentials()
	if err == nil && (cc == nil || cc.AccessKeyId == "" || cc.AccessKeySecret == "") {
		err = fmt.Errorf("the source gave no access key")
	}
	if err != nil {
		p.failure, p.failedAt = &CredentialsError{Source: p.src.name, Err: err}, p.now()
		return nil, p.failure
	}
	p.failure = nil
	if cc.AccessKeySecret != p.lastSecret || cc.SecurityToken != p.lastToken {
		p.lastSecret, p.lastToken = cc.AccessKeySecret, cc.SecurityToken
		if p.onKeys != nil {
			p.onKeys(cc.AccessKeySecret, cc.SecurityToken)
		}
	}
	return &credentials.Credentials{
		AccessKeyId: cc.AccessKeyId, AccessKeySecret: cc.AccessKeySecret,
		SecurityToken: cc.SecurityToken, ProviderName: cc.ProviderName,
	}, nil
}

func (p *sdkCredentials) GetProviderName() string { return p.src.provider.GetProviderName() }
