package mockcloud

// ecsInstanceActions lists the actions of this file.
func ecsInstanceActions() []action { return nil }
