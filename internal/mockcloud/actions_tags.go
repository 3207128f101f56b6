package mockcloud

// ecsTagActions lists the actions of this file.
func ecsTagActions() []action { return nil }
