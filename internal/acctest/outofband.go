package acctest

import (
	"context"
	"testing"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/vpc"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// Changes made through the API, outside Terraform, and lookups of seeded
// objects: the setup and drift of the acceptance tests.

// CreateENI creates an unbound ENI in vswitchID with one security group
// and waits until it is Available. with, when given, fills in more of the
// request first (secondary IPs, ...).
func (b *Backend) CreateENI(t *testing.T, vswitchID, securityGroupID string, with ...func(*ecs.CreateNetworkInterfaceRequest)) string {
	t.Helper()
	req := ecs.CreateCreateNetworkInterfaceRequest()
	req.VSwitchId, req.SecurityGroupId = vswitchID, securityGroupID
	for _, f := range with {
		f(req)
	}
	out, err := b.Client.CreateNetworkInterface(context.Background(), req)
	if err != nil {
		t.Fatalf("creating an ENI in %s: %v", vswitchID, err)
	}
	if _, err := b.Client.WaitNetworkInterfaceAvailable(context.Background(), out.NetworkInterfaceId, 0); err != nil {
		t.Fatal(err)
	}
	return out.NetworkInterfaceId
}

// AttachENI binds an ENI to an instance and waits until it is InUse there.
func (b *Backend) AttachENI(eniID, instanceID string) error {
	req := ecs.CreateAttachNetworkInterfaceRequest()
	req.NetworkInterfaceId, req.InstanceId = eniID, instanceID
	if _, err := b.Client.AttachNetworkInterface(context.Background(), req); err != nil {
		return err
	}
	_, err := b.Client.WaitNetworkInterfaceInUse(context.Background(), eniID, instanceID, 0)
	return err
}

// AssociateEIP associates an EIP with an ENI and waits until it is InUse.
// ip and mode may be empty: the ENI's primary IP, the API's default mode.
func (b *Backend) AssociateEIP(allocationID, eniID, ip, mode string) error {
	req := vpc.CreateAssociateEipAddressRequest()
	req.AllocationId, req.InstanceType = allocationID, cloud.EIPTargetNetworkInterface
	req.InstanceId, req.PrivateIpAddress, req.Mode = eniID, ip, mode
	if _, err := b.Client.AssociateEipAddress(context.Background(), req); err != nil {
		return err
	}
	_, err := b.Client.WaitEIPStatus(context.Background(), allocationID, domain.EIPStatusInUse, 0)
	return err
}

// UnassociateEIP removes an EIP from what it is bound to and waits until
// it is Available. With eniID empty the request names only the EIP.
func (b *Backend) UnassociateEIP(allocationID, eniID string) error {
	req := vpc.CreateUnassociateEipAddressRequest()
	req.AllocationId = allocationID
	if eniID != "" {
		req.InstanceId, req.InstanceType = eniID, cloud.EIPTargetNetworkInterface
	}
	if _, err := b.Client.UnassociateEipAddress(context.Background(), req); err != nil {
		return err
	}
	_, err := b.Client.WaitEIPStatus(context.Background(), allocationID, domain.EIPStatusAvailable, 0)
	return err
}

// PrimaryENI returns the ID and primary IP of an instance's primary ENI.
func (b *Backend) PrimaryENI(t *testing.T, instanceID string) (string, string) {
	t.Helper()
	req := ecs.CreateDescribeNetworkInterfacesRequest()
	req.InstanceId, req.Type = instanceID, domain.ENITypePrimary
	enis, err := b.Client.FindNetworkInterfaces(context.Background(), req)
	if err != nil || len(enis) != 1 {
		t.Fatalf("finding the primary ENI of %s: %d found, %v", instanceID, len(enis), err)
	}
	return enis[0].NetworkInterfaceId, enis[0].PrivateIpAddress
}

// DetachENI unbinds an ENI from an instance and waits until it is
// Available.
func (b *Backend) DetachENI(eniID, instanceID string) error {
	req := ecs.CreateDetachNetworkInterfaceRequest()
	req.NetworkInterfaceId, req.InstanceId = eniID, instanceID
	if _, err := b.Client.DetachNetworkInterface(context.Background(), req); err != nil {
		return err
	}
	_, err := b.Client.WaitNetworkInterfaceAvailable(context.Background(), eniID, 0)
	return err
}

// DeleteENI deletes an unbound ENI and waits until it is gone.
func (b *Backend) DeleteENI(eniID string) error {
	req := ecs.CreateDeleteNetworkInterfaceRequest()
	req.NetworkInterfaceId = eniID
	if _, err := b.Client.DeleteNetworkInterface(context.Background(), req); err != nil {
		return err
	}
	return b.Client.WaitNetworkInterfaceDeleted(context.Background(), eniID, 0)
}
