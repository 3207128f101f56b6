package cloud

import (
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"
)

func TestSDKEndpointMapsFilledAtInit(t *testing.T) {
	if ecs.EndpointMap == nil || vpc.EndpointMap == nil {
		t.Fatal("the SDK's endpoint maps are still nil: concurrent client builds would race to fill them")
	}
}
