package eni

// Moving state from the official Alibaba Cloud provider with a `moved`
// block (Terraform 1.8+): `moved { from = alicloud_ecs_network_interface.x
// to = eni_network_interface.x }` hands the source state to the target
// resource's state movers, which map it onto our schema without calling
// the cloud; the refresh that follows in the same plan fills in what the
// source does not record. Each target accepts its own source types and
// refuses, with a message saying why and what to do, a source it cannot
// take: another provider, an unknown schema version, or an object our
// resource does not model (an EIP on an instance rather than an ENI).

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/openeni/terraform-provider-eni/internal/alicloudschema"
)

// alicloudNamespaces are the registry namespaces the official provider is
// published under: aliyun, and hashicorp, where it was first published
// and which older states still name. Any hostname is accepted (the
// Terraform and OpenTofu registries serve the same provider).
var alicloudNamespaces = []string{"aliyun", "hashicorp"}

// fromAlicloudProvider reports whether address, HOSTNAME/NAMESPACE/TYPE,
// is the official alicloud provider.
func fromAlicloudProvider(address string) bool {
	parts := strings.Split(address, "/")
	if len(parts) != 3 {
		return false
	}
	return parts[2] == "alicloud" && slices.Contains(alicloudNamespaces, parts[1])
}

// alicloudMove is the state move of one eni_* resource from the alicloud
// resource types that hold the same object.
type alicloudMove struct {
	target  string   // our type name, for messages
	sources []string // source type names, one schema
	// move maps a source state that passed the checks; it sets
	// resp.TargetState or adds an error.
	move func(context.Context, resource.MoveStateRequest, *resource.MoveStateResponse)
}

// movers are the framework's state movers for m: one that takes the
// source types, decoding their state with the source schema, and a last
// one that refuses every other source with the list of those it takes
// (the framework's own answer names no alternative).
func (m alicloudMove) movers() []resource.StateMover {
	src := alicloudschema.Schemas()[m.sources[0]]
	return []resource.StateMover{
		{SourceSchema: &src, StateMover: m.take},
		{StateMover: m.refuseOthers},
	}
}

func (m alicloudMove) take(ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	if !slices.Contains(m.sources, req.SourceTypeName) {
		return // not ours: the next mover refuses it
	}
	summary := fmt.Sprintf("moving %s to %s", req.SourceTypeName, m.target)
	switch {
	case !fromAlicloudProvider(req.SourceProviderAddress):
		resp.Diagnostics.AddError(summary, fmt.Sprintf("The source resource belongs to provider %s; %s takes "+
			"%s only from the official Alibaba Cloud provider (registry.terraform.io/aliyun/alicloud). Import the "+
			"object instead: terraform import %s.NAME ID.", req.SourceProviderAddress, m.target,
			strings.Join(m.sources, " and "), m.target))
	case req.SourceSchemaVersion != alicloudschema.Version:
		resp.Diagnostics.AddError(summary, fmt.Sprintf("The source state has schema version %d, which this provider "+
			"does not know (the alicloud provider writes version %d). Import the object instead: terraform import "+
			"%s.NAME ID.", req.SourceSchemaVersion, alicloudschema.Version, m.target))
	case req.SourceState == nil:
		resp.Diagnostics.AddError(summary, "The source state does not match the alicloud provider's schema of "+
			req.SourceTypeName+" (run with TF_LOG=debug to see why), so it cannot be mapped. Import the object "+
			"instead: terraform import "+m.target+".NAME ID.")
	default:
		m.move(ctx, req, resp)
	}
}

func (m alicloudMove) refuseOthers(_ context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) {
	resp.Diagnostics.AddError(fmt.Sprintf("moving %s to %s", req.SourceTypeName, m.target),
		fmt.Sprintf("%s takes state only from %s of the official Alibaba Cloud provider, not from %s of %s. "+
			"Import the object instead: terraform import %s.NAME ID.", m.target, strings.Join(m.sources, " or "),
			req.SourceTypeName, req.SourceProviderAddress, m.target))
}

// sourceOf decodes the source state, which take has checked is there.
func sourceOf[T any](ctx context.Context, req resource.MoveStateRequest, resp *resource.MoveStateResponse) (T, bool) {
	var src T
	resp.Diagnostics.Append(req.SourceState.Get(ctx, &src)...)
	return src, !resp.Diagnostics.HasError()
}

// nullTimeouts is the timeouts block of a moved resource: absent, as the
// configuration of one usually leaves it (a configured block is a change
// the first plan shows, to state only).
func (t operationTimeouts) nullTimeouts() timeouts.Value {
	attrTypes := map[string]attr.Type{}
	for op, d := range map[string]time.Duration{"create": t.create, "update": t.update, "delete": t.delete} {
		if d > 0 {
			attrTypes[op] = basetypes.StringType{}
		}
	}
	return timeouts.Value{Object: basetypes.NewObjectNull(attrTypes)}
}
