terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

# An ENI whose secondary private IPs are managed one by one: it sets
# neither secondary_private_ip_count nor secondary_private_ips.
resource "eni_network_interface" "example" {
  vswitch_id         = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids = ["sg-bp67acfmxazb4p1xk9yq"]
  name               = "web-secondary"
}

# A fixed address. terraform plan checks that it lies inside the vSwitch
# CIDR, is not reserved and is not held by another ENI.
resource "eni_private_ip" "fixed" {
  network_interface_id = eni_network_interface.example.id
  ip_address           = "172.16.0.30"
}

# An address the cloud picks; ip_address reports which one.
resource "eni_private_ip" "picked" {
  network_interface_id = eni_network_interface.example.id
}

output "picked_ip" {
  value = eni_private_ip.picked.ip_address
}
