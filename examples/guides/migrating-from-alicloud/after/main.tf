# The same objects, managed by this provider. The moved blocks take each
# one's state from the alicloud resource it replaces; the first plan only
# moves them.
terraform {
  required_version = ">= 1.8"
  required_providers {
    eni = {
      source = "openeni/eni"
    }
    # Still needed for the moves: Terraform reads the source schemas from
    # it. It needs no provider block, and can go once the moves are applied.
    alicloud = {
      source = "aliyun/alicloud"
    }
  }
}

moved {
  from = alicloud_ecs_network_interface.web
  to   = eni_network_interface.web
}

moved {
  from = alicloud_network_interface.batch
  to   = eni_network_interface.batch
}

moved {
  from = alicloud_ecs_network_interface_attachment.web
  to   = eni_network_interface_attachment.web
}

moved {
  from = alicloud_network_interface_attachment.batch
  to   = eni_network_interface_attachment.batch
}

moved {
  from = alicloud_eip_association.web
  to   = eni_eip_association.web
}

resource "eni_network_interface" "web" {
  name                  = "web-eni"
  vswitch_id            = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids    = ["sg-bp67acfmxazb4p1xk9yq"]
  secondary_private_ips = ["192.168.0.20", "192.168.0.21"]
  tags = {
    team = "web"
  }
}

resource "eni_network_interface" "batch" {
  name                       = "batch-eni"
  vswitch_id                 = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids         = ["sg-bp67acfmxazb4p1xk9yq"]
  secondary_private_ip_count = 2
}

resource "eni_network_interface_attachment" "web" {
  network_interface_id = eni_network_interface.web.id
  instance_id          = "i-bp1j2ae4n7yb0pmoy3zq"
}

resource "eni_network_interface_attachment" "batch" {
  network_interface_id = eni_network_interface.batch.id
  instance_id          = "i-bp1j2ae4n7yb0pmoy3zq"
}

resource "eni_eip_association" "web" {
  allocation_id        = "eip-bp1mzz0ybo8ytwpv4vd3x"
  network_interface_id = eni_network_interface.web.id
  private_ip_address   = "192.168.0.20"
}
