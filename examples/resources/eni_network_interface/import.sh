# An ENI is imported by its ID.
terraform import eni_network_interface.example eni-bp1234567890abcdef
