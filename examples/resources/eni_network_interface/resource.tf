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
