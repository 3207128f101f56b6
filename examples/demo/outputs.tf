output "service_eni_id" {
  description = "ID of the floating service ENI."
  value       = eni_network_interface.service.id
}

output "service_eni_instance" {
  description = "Instance the service ENI is bound to."
  value       = eni_network_interface.service.attachment.instance_id
}

output "service_private_ips" {
  description = "Secondary IPs of the service ENI; they move with it on failover."
  value       = eni_network_interface.service.private_ips
}

output "public_vip" {
  description = "The public ENI's secondary address and the EIP bound to it."
  value       = "${eni_private_ip.public_vip.ip_address} -> ${eni_eip_association.public_vip.ip_address}"
}

output "pods_ipv6_addresses" {
  description = "IPv6 addresses of the dual-stack ENI."
  value       = eni_network_interface.pods.assigned_ipv6_addresses
}

output "pods_ipv4_prefixes" {
  description = "IPv4 prefixes of the dual-stack ENI, 16 addresses each."
  value       = eni_network_interface.pods.assigned_ipv4_prefixes
}
