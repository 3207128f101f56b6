# A helper module of the tests: reads an ENI back through the data source,
# so a test can check what the cloud holds rather than what the module's
# state says. A module used by a test needs `terraform get` before
# `terraform test`.

terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

variable "id" {
  type = string
}

data "eni_network_interface" "this" {
  id = var.id
}

output "tags" {
  value = data.eni_network_interface.this.tags
}

output "addresses" {
  value = length(data.eni_network_interface.this.private_ips)
}
