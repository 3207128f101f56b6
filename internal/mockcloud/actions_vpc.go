package mockcloud

// vpcActions lists the actions of this file.
func vpcActions() []action { return nil }
