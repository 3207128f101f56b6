# An attachment is imported by <network-interface-id>:<instance-id>.
terraform import eni_network_interface_attachment.example eni-bp1234567890abcdef:i-bp67acfmxazb4ph2a4pd
