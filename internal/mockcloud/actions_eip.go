package mockcloud

// eipActions lists the actions of this file.
func eipActions() []action { return nil }
