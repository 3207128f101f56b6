package mockcloud

// paramChecks are the hooks a check= option of a param tag names (see
// decode.go). Each runs on a given value, under the name it was given as;
// the rules themselves live beside their actions.
var paramChecks = map[string]paramCheck{
	// Names and descriptions keep their own readers (eniName,
	// eniDescription), which read the parameter again.
	"eniName":         func(c *call, _, _ string) error { _, err := eniName(c.p); return err },
	"eniDescription":  func(c *call, _, _ string) error { _, err := eniDescription(c.p); return err },
	"eniIDFormat":     checkENIIDFormat,
	"eniInstanceType": checkENIInstanceType,

	"instanceStatus":     checkInstanceStatus,
	"instanceChargeType": checkInstanceChargeType,

	"eipTargetKind":     checkEIPTargetKind,
	"eipKnownKind":      checkEIPKnownKind,
	"eipAssociatedKind": checkEIPAssociatedKind,
	"eipMode":           checkEIPMode,
	"eipChargeType":     checkEIPChargeType,
	"eipLockReason":     checkEIPLockReason,
	"sameRegion":        checkSameRegion,

	"vpcExists": checkVPCExists,
}
