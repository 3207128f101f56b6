# An EIP association is imported by <allocation-id>:<network-interface-id>.
terraform import eni_eip_association.example eip-bp1mzz0ybo8ytwpv4vd3x:eni-bp1234567890abcdef
