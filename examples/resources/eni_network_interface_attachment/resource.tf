terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

resource "eni_network_interface" "service" {
  vswitch_id                 = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids         = ["sg-bp67acfmxazb4p1xk9yq"]
  name                       = "service-address"
  secondary_private_ip_count = 2
}

# Failover: point instance_id at the standby and apply. The ENI, with its
# private IPs and EIPs, is detached from the old instance and attached to
# the new one in the same apply. create_before_destroy makes the new
# attachment take the ENI over before the old one is removed.
variable "active_instance_id" {
  type    = string
  default = "i-bp67acfmxazb4ph2a4pd"
}

resource "eni_network_interface_attachment" "service" {
  network_interface_id = eni_network_interface.service.id
  instance_id          = var.active_instance_id

  lifecycle {
    create_before_destroy = true
  }
}

# A burstable (t6) instance has no ENI hot swap: it must be Stopped to
# attach or detach an ENI. With stop_instance_if_required, apply stops it,
# attaches the ENI and starts it again; the plan warns that it will.
resource "eni_network_interface" "batch" {
  vswitch_id         = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids = ["sg-bp67acfmxazb4p1xk9yq"]
}

resource "eni_network_interface_attachment" "batch" {
  network_interface_id      = eni_network_interface.batch.id
  instance_id               = "i-bp1burst0000000000a"
  stop_instance_if_required = true

  timeouts {
    create = "15m"
    delete = "15m"
  }
}
