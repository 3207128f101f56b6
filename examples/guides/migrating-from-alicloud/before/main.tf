# The configuration before the move, with the official provider.
terraform {
  required_providers {
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

resource "alicloud_ecs_network_interface" "web" {
  network_interface_name = "web-eni"
  vswitch_id             = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids     = ["sg-bp67acfmxazb4p1xk9yq"]
  private_ip_addresses   = ["192.168.0.20", "192.168.0.21"]
  tags = {
    team = "web"
  }
}

# The older name of the same resource.
resource "alicloud_network_interface" "batch" {
  name                               = "batch-eni"
  vswitch_id                         = "vsw-bp1s5fnvk4gn2tws03624"
  security_groups                    = ["sg-bp67acfmxazb4p1xk9yq"]
  secondary_private_ip_address_count = 2
}

resource "alicloud_ecs_network_interface_attachment" "web" {
  network_interface_id = alicloud_ecs_network_interface.web.id
  instance_id          = "i-bp1j2ae4n7yb0pmoy3zq"
}

resource "alicloud_network_interface_attachment" "batch" {
  network_interface_id = alicloud_network_interface.batch.id
  instance_id          = "i-bp1j2ae4n7yb0pmoy3zq"
}

resource "alicloud_eip_association" "web" {
  allocation_id      = "eip-bp1mzz0ybo8ytwpv4vd3x"
  instance_id        = alicloud_ecs_network_interface.web.id
  instance_type      = "NetworkInterface"
  private_ip_address = "192.168.0.20"
}
