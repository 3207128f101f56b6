# A small module to test against eni-mockcloud: a service ENI with a fixed
# number of secondary private IPs, tagged with the service's name. Its
# tests are in tests/; see "Testing your own modules against eni-mockcloud"
# in the mock cloud guide.

terraform {
  required_version = ">= 1.7"

  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

variable "service" {
  type        = string
  description = "Name of the service; names and tags the ENI."
}

variable "vswitch_id" {
  type = string
}

variable "security_group_ids" {
  type = list(string)
}

variable "addresses" {
  type        = number
  default     = 2
  description = "Secondary private IPs of the service ENI."

  validation {
    condition     = var.addresses >= 1 && var.addresses <= 10
    error_message = "A service ENI has 1 to 10 secondary private IPs."
  }
}

resource "eni_network_interface" "service" {
  vswitch_id                 = var.vswitch_id
  security_group_ids         = var.security_group_ids
  name                       = "${var.service}-service"
  secondary_private_ip_count = var.addresses

  tags = {
    service = var.service
  }
}

output "id" {
  value = eni_network_interface.service.id
}

output "addresses" {
  value = sort(tolist(eni_network_interface.service.private_ips))
}
