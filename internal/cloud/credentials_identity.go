package cloud

import (
	"context"
	"fmt"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
)

// CallerIdentity asks STS whom the client's credentials act as
// (GetCallerIdentity): the account, and the ARN of the user or of the
// assumed role's session.
func (c *Client) CallerIdentity(ctx context.Context) (*sts.GetCallerIdentityResponse, error) {
	return call(ctx, c, nil, sts.CreateGetCallerIdentityRequest(), func(ctx context.Context, r *sts.GetCallerIdentityRequest) (*sts.GetCallerIdentityResponse, error) {
		cl, err := sts.NewClientWithOptions(c.region, c.sdkConfig(c.sts, &ctxTransport{ctx: ctx, base: c.transport, health: &c.health}), c.credential)
		if err != nil {
			return nil, fmt.Errorf("building STS client: %w", err)
		}
		cl.Domain = c.sts.domain
		return cl.GetCallerIdentity(r)
	})
}
