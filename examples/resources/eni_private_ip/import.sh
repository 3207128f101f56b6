# A private IP is imported by <network-interface-id>:<ip-address>.
terraform import eni_private_ip.example eni-bp1234567890abcdef:172.16.0.30
