package cloud

import (
	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/sts"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

// The SDK fills its package-level endpoint maps lazily, without a lock,
// the first time a client is built; the provider builds a client per call
// (transport.go), from many goroutines at once. Filling them here, before
// any goroutine runs, leaves the SDK only reading them afterwards.
func init() {
	ecs.GetEndpointMap()
	vpc.GetEndpointMap()
	sts.GetEndpointMap()
}
