terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

# By ID.
data "eni_network_interface" "by_id" {
  id = "eni-bp1234567890abcdef"
}

# By filters, which must match exactly one ENI.
data "eni_network_interface" "by_ip" {
  vpc_id             = "vpc-bp1opxu1zkhn00gzv26cf"
  primary_ip_address = "172.16.0.20"
}

output "eni_mac" {
  value = data.eni_network_interface.by_ip.mac_address
}
