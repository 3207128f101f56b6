package eni

import (
	"context"
	"fmt"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/services/ecs"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/openeni/terraform-provider-eni/internal/cloud"
	"github.com/openeni/terraform-provider-eni/internal/domain"
)

// Stopping an instance for an attach or detach, and starting it again.
// Whatever this provider stops it starts again, on every exit path: the
// restart has a context of its own, and the stop marker (a tag, see
// cloud.StopMarkKey) set before the stop lets a later run finish the job
// when this one was killed in between.

// stopForSwap marks a Running instance as stopped by us, stops it and
// waits until it is Stopped; why says what for ("attach eni-..."). restart,
// never nil, starts it again (see restartStoppedByUs); call it whether the
// stop or the operation that follows succeeded or not.
func stopForSwap(ctx context.Context, c *cloud.Client, instanceID, why string, timeout time.Duration) (restart func() error, err error) {
	restart = func() error { return restartStoppedByUs(ctx, c, instanceID, why, timeout) }
	tflog.Info(ctx, "stopping the instance: its type has no ENI hot swap", map[string]any{"instance_id": instanceID, "operation": why})
	if err := c.MarkStopped(ctx, instanceID, why); err != nil {
		return func() error { return nil }, err // nothing stopped
	}
	in := ecs.CreateStopInstanceRequest()
	in.InstanceId = instanceID
	if _, err := c.StopInstance(ctx, in); err != nil {
		return restart, fmt.Errorf("stopping instance %s to %s: %w", instanceID, why, err)
	}
	if _, err := c.WaitInstanceStatus(ctx, instanceID, domain.InstanceStatusStopped, timeout); err != nil {
		return restart, fmt.Errorf("waiting for instance %s to stop: %w", instanceID, err)
	}
	return restart, nil
}

// restartStoppedByUs starts an instance that this provider stopped (in
// this run or in one that was interrupted), waits until it is Running and
// removes the stop marker. It runs on a context of its own, bounded by
// timeout, so it also runs when ctx has ended (Ctrl-C, a timeout). An
// instance found Running only loses the marker; one that is gone needs
// nothing.
func restartStoppedByUs(ctx context.Context, c *cloud.Client, instanceID, why string, timeout time.Duration) error {
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	failed := func(err error) error {
		return fmt.Errorf("instance %s was stopped to %s and could not be started again: %w; start it yourself, "+
			"or run terraform apply again", instanceID, why, err)
	}
	inst, err := c.WaitInstanceSettled(rctx, instanceID, timeout)
	if cloud.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return failed(err)
	}
	if inst.Status == domain.InstanceStatusStopped {
		tflog.Info(ctx, "starting the instance again", map[string]any{"instance_id": instanceID})
		in := ecs.CreateStartInstanceRequest()
		in.InstanceId = instanceID
		if _, err := c.StartInstance(rctx, in, cloud.RetryOn(cloud.CodeIncorrectInstanceStatus)); err != nil {
			return failed(err)
		}
		if _, err := c.WaitInstanceStatus(rctx, instanceID, domain.InstanceStatusRunning, timeout); err != nil {
			return failed(err)
		}
	}
	return c.ClearStopMark(rctx, instanceID)
}

// restartIfMarked starts the instance again if it carries the stop marker
// (an interrupted run stopped it for why); the caller holds the
// instance's lock. An attach or detach that finds its work done already
// (the interrupted run's call took effect), and the deletion of an ENI
// that detaches it, call it, so that the run that follows an interruption
// always starts the instance again. An instance that is gone needs
// nothing.
func restartIfMarked(ctx context.Context, c *cloud.Client, instanceID, why string, timeout time.Duration) error {
	inst, err := c.FindInstanceStatus(ctx, instanceID)
	if cloud.IsNotFound(err) {
		return nil
	}
	if err != nil {
		return err
	}
	if _, marked := cloud.StopMark(inst); !marked {
		return nil
	}
	return restartStoppedByUs(ctx, c, instanceID, why, timeout)
}

// stopMarkWarning is what plan says about an instance that an
// interrupted run left Stopped.
func stopMarkWarning(instanceID, mark string) (summary, detail string) {
	return fmt.Sprintf("Instance %s was left stopped by an interrupted run", instanceID),
		fmt.Sprintf("Instance %s carries the tag %s = %q: an earlier run of this provider stopped it to attach or "+
			"detach an ENI and was stopped before it could start it again. The next apply starts it again and removes "+
			"the tag.", instanceID, cloud.StopMarkKey, mark)
}
