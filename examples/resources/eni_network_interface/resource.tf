terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

# An ENI whose secondary private IPs the cloud picks: change the count and
# the addresses are added or removed in place.
resource "eni_network_interface" "example" {
  vswitch_id                 = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids         = ["sg-bp67acfmxazb4p1xk9yq"]
  name                       = "web-secondary"
  description                = "Secondary ENI of the web tier"
  secondary_private_ip_count = 2

  tags = {
    team = "web"
    env  = "prod"
  }

  timeouts {
    create = "5m"
    delete = "5m"
  }
}

# An ENI with fixed addresses. Every address must lie inside the vSwitch
# CIDR and not be one the cloud reserves; terraform plan checks both.
resource "eni_network_interface" "fixed" {
  vswitch_id            = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids    = ["sg-bp67acfmxazb4p1xk9yq", "sg-bp1fg655nh68xyz9i4kq"]
  primary_ip_address    = "172.16.0.20"
  secondary_private_ips = ["172.16.0.21", "172.16.0.22"]
  traffic_mode          = "Standard"
  delete_on_release     = false
}

# A dual-stack ENI for pods on ENI prefixes (Terway's prefix mode): two
# IPv6 addresses the cloud picks from the vSwitch's IPv6 CIDR block (the
# vSwitch must have one), and two /28 IPv4 prefixes of 16 addresses each.
# Change a count and addresses are added or removed in place. Each prefix
# counts as one private IP against the per-ENI limit.
resource "eni_network_interface" "dual_stack" {
  vswitch_id         = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids = ["sg-bp67acfmxazb4p1xk9yq"]
  name               = "pods-dual-stack"
  ipv6_address_count = 2
  ipv4_prefix_count  = 2
}

# The same with fixed values: IPv6 addresses inside the vSwitch's IPv6 CIDR
# block, written in canonical form, and /28 prefixes on a /28 boundary
# inside the vSwitch CIDR; terraform plan checks all of it.
resource "eni_network_interface" "dual_stack_fixed" {
  vswitch_id         = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids = ["sg-bp67acfmxazb4p1xk9yq"]
  ipv6_addresses     = ["2408:4005:3a0:ab00::10", "2408:4005:3a0:ab00::11"]
  ipv4_prefixes      = ["172.16.0.32/28", "172.16.0.48/28"]
}

# An ENI created and bound to an instance in one resource: plan checks the
# binding (zone and VPC, the instance type's limits, the stopped state that
# types without ENI hot swap need) before anything is created.
resource "eni_network_interface" "bound" {
  vswitch_id                 = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids         = ["sg-bp67acfmxazb4p1xk9yq"]
  secondary_private_ip_count = 1

  attachment {
    instance_id               = "i-bp1g6zv0ce8oghu7k5qz"
    stop_instance_if_required = true
  }
}
