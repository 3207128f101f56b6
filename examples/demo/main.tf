# The configuration `make demo` applies against the eni-mockcloud emulator
# (scripts/demo.sh). The provider block is empty: the script sets the region,
# the mock credentials and the emulator's URL in the environment
# (ALIBABA_CLOUD_*, ENI_ECS_ENDPOINT, ENI_VPC_ENDPOINT).
#
# The defaults of variables.tf name objects of the emulator's built-in
# topology; point them at your own vSwitch and security group to run the
# same configuration against Alibaba Cloud.

terraform {
  required_version = ">= 1.5"

  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

provider "eni" {}

resource "eni_network_interface" "demo" {
  vswitch_id                 = var.vswitch_id
  security_group_ids         = var.security_group_ids
  name                       = "demo-eni"
  description                = "Created by make demo"
  secondary_private_ip_count = 2

  tags = {
    app        = "demo"
    managed_by = "terraform"
  }
}
