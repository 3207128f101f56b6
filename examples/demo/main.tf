# The configuration `make demo` applies against the eni-mockcloud emulator
# (scripts/demo.sh). The provider block is empty: the script sets the region,
# the mock credentials and the emulator's URL in the environment
# (ALIBABA_CLOUD_*, ENI_ECS_ENDPOINT, ENI_VPC_ENDPOINT).
#
# The defaults of variables.tf name objects of the emulator's built-in
# topology; point them at your own vSwitch, security group, instances and EIP
# to run the same configuration against Alibaba Cloud.

terraform {
  required_version = ">= 1.5"

  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

provider "eni" {}

# A floating service ENI: it owns two secondary IPs and follows the active
# instance. It is created and bound in one resource (the attachment block),
# so terraform plan judges the binding before the ENI exists. Changing
# var.active_instance moves it, IPs included, in place.
resource "eni_network_interface" "service" {
  vswitch_id                 = var.vswitch_id
  security_group_ids         = var.security_group_ids
  name                       = "demo-service"
  description                = "Created by make demo"
  secondary_private_ip_count = 2
  delete_on_release          = false

  tags = {
    app        = "demo"
    managed_by = "terraform"
  }

  attachment {
    instance_id = var.instances[var.active_instance]
  }
}

# A public-facing ENI whose secondary addresses are managed one by one: the
# ENI sets neither secondary argument, eni_private_ip adds the address and an
# EIP is bound to exactly that address.
resource "eni_network_interface" "public" {
  vswitch_id         = var.vswitch_id
  security_group_ids = var.security_group_ids
  name               = "demo-public"
}

resource "eni_private_ip" "public_vip" {
  network_interface_id = eni_network_interface.public.id
}

resource "eni_eip_association" "public_vip" {
  allocation_id        = var.eip_allocation_id
  network_interface_id = eni_network_interface.public.id
  private_ip_address   = eni_private_ip.public_vip.ip_address
}

# A dual-stack ENI for pods in prefix mode, in a vSwitch with an IPv6 CIDR
# block: two IPv6 addresses and one /28 IPv4 prefix (16 addresses) that the
# cloud picks. Changing either count adds or removes addresses in place.
resource "eni_network_interface" "pods" {
  vswitch_id         = var.dual_stack_vswitch_id
  security_group_ids = var.security_group_ids
  name               = "demo-pods"
  ipv6_address_count = 2
  ipv4_prefix_count  = 1
}
