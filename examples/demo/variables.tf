variable "vswitch_id" {
  description = "vSwitch the demo ENI is created in. Default: zone cn-hangzhou-h of the emulator's built-in topology."
  type        = string
  default     = "vsw-mockh"
}

variable "security_group_ids" {
  description = "Security groups of the demo ENI, in the vSwitch's VPC. Default: the emulator's web group."
  type        = set(string)
  default     = ["sg-mockweb"]
}
