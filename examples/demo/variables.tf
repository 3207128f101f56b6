variable "vswitch_id" {
  description = "vSwitch of the demo ENIs. Default: zone cn-hangzhou-h of the emulator's built-in topology."
  type        = string
  default     = "vsw-mockh"
}

variable "dual_stack_vswitch_id" {
  description = "vSwitch with an IPv6 CIDR block, of the dual-stack demo ENI. Default: the emulator's dual-stack vSwitch."
  type        = string
  default     = "vsw-mockv6"
}

variable "security_group_ids" {
  description = "Security groups of the demo ENIs, in the vSwitch's VPC. Default: the emulator's web group."
  type        = set(string)
  default     = ["sg-mockweb"]
}

variable "instances" {
  description = "The active and the standby instance, in the vSwitch's zone. Default: the emulator's two web servers."
  type        = map(string)
  default = {
    primary = "i-mockweb1"
    standby = "i-mockweb2"
  }
}

variable "active_instance" {
  description = "Which of var.instances holds the service ENI; the demo fails over by setting it to \"standby\"."
  type        = string
  default     = "primary"

  validation {
    condition     = contains(["primary", "standby"], var.active_instance)
    error_message = "The active_instance must be \"primary\" or \"standby\"."
  }
}

variable "eip_allocation_id" {
  description = "EIP bound to the public ENI's secondary address. Default: the emulator's first EIP."
  type        = string
  default     = "eip-mock1"
}
