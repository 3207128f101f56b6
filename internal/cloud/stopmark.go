package cloud

// The stop marker: a tag the provider puts on an instance before it stops
// it (to attach or detach an ENI on an instance type without hot swap)
// and takes off once the instance runs again. It outlives the provider
// process, so when a run is killed between the stop and the start, the
// next plan sees that the instance is Stopped because of us, says so, and
// the next apply starts it again.

import (
	"context"
	"fmt"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
)

// StopMarkKey is the tag key of the stop marker. Its value says when and
// why the instance was stopped, e.g. "2026-11-30T22:50:00Z attach eni-1".
const StopMarkKey = "terraform-provider-eni:stopped"

// StopMark returns the stop marker's value on an instance, if it has one.
func StopMark(inst *ecs.Instance) (string, bool) {
	for _, t := range inst.Tags.Tag {
		key, value := t.TagKey, t.TagValue
		if key == "" {
			key, value = t.Key, t.Value
		}
		if key == StopMarkKey {
			return value, true
		}
	}
	return "", false
}

// MarkStopped tags the instance as stopped by this provider, for why
// (such as "attach eni-..."); call it before StopInstance.
func (c *Client) MarkStopped(ctx context.Context, instanceID, why string) error {
	req := ecs.CreateTagResourcesRequest()
	req.ResourceType = "instance"
	req.ResourceId = &[]string{instanceID}
	value := time.Now().UTC().Format(time.RFC3339) + " " + why
	if len(value) > 128 {
		value = value[:128]
	}
	req.Tag = &[]ecs.TagResourcesTag{{Key: StopMarkKey, Value: value}}
	if _, err := c.TagResources(ctx, req); err != nil {
		return fmt.Errorf("marking instance %s as stopped by Terraform (tag %s): %w", instanceID, StopMarkKey, err)
	}
	return nil
}

// ClearStopMark removes the stop marker; call it once the instance runs
// again. An instance that is gone has nothing to clear.
func (c *Client) ClearStopMark(ctx context.Context, instanceID string) error {
	req := ecs.CreateUntagResourcesRequest()
	req.ResourceType = "instance"
	req.ResourceId = &[]string{instanceID}
	req.TagKey = &[]string{StopMarkKey}
	if _, err := c.UntagResources(ctx, req); err != nil && !IsNotFound(err) && !IsCode(err, "InvalidResourceId.NotFound") {
		return fmt.Errorf("removing the stop marker (tag %s) from instance %s: %w", StopMarkKey, instanceID, err)
	}
	return nil
}
