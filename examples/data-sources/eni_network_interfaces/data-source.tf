terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

# Every secondary ENI of one vSwitch that is not bound to an instance and
# whose name starts with "web-".
data "eni_network_interfaces" "spare" {
  vswitch_id = "vsw-bp1s5fnvk4gn2tws03624"
  type       = "Secondary"
  status     = "Available"
  name_regex = "^web-"

  tags = {
    team = "web"
  }
}

output "spare_eni_ids" {
  value = data.eni_network_interfaces.spare.ids
}

# Empty, never null, when no ENI matches: the for expression then gives {}.
output "spare_eni_ips" {
  value = { for e in data.eni_network_interfaces.spare.network_interfaces : e.id => e.primary_ip_address }
}
