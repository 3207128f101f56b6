import {
  to = eni_eip_association.example
  id = "eip-bp1mzz0ybo8ytwpv4vd3x:eni-bp1234567890abcdef"
}
