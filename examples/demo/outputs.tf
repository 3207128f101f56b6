output "network_interface_id" {
  description = "ID of the demo ENI."
  value       = eni_network_interface.demo.id
}

output "primary_ip_address" {
  description = "Primary private IP the cloud picked."
  value       = eni_network_interface.demo.primary_ip_address
}

output "private_ips" {
  description = "The secondary private IPs the cloud picked."
  value       = eni_network_interface.demo.private_ips
}

output "mac_address" {
  description = "MAC address of the demo ENI."
  value       = eni_network_interface.demo.mac_address
}
