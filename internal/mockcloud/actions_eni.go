package mockcloud

// ecsENIActions lists the actions of this file.
func ecsENIActions() []action { return nil }
