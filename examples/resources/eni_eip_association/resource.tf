terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

resource "eni_network_interface" "example" {
  vswitch_id         = "vsw-bp1s5fnvk4gn2tws03624"
  security_group_ids = ["sg-bp67acfmxazb4p1xk9yq"]
}

# An EIP on the ENI's primary IP: private_ip_address defaults to it.
resource "eni_eip_association" "primary" {
  allocation_id        = "eip-bp1mzz0ybo8ytwpv4vd3x"
  network_interface_id = eni_network_interface.example.id
}

# A second EIP on a secondary IP. Referencing the eni_private_ip makes
# Terraform add the address before it associates the EIP.
resource "eni_private_ip" "web" {
  network_interface_id = eni_network_interface.example.id
}

resource "eni_eip_association" "web" {
  allocation_id        = "eip-bp1v2z4v3lmq8xcwd3lju"
  network_interface_id = eni_network_interface.example.id
  private_ip_address   = eni_private_ip.web.ip_address
}

output "public_ips" {
  value = [eni_eip_association.primary.ip_address, eni_eip_association.web.ip_address]
}
