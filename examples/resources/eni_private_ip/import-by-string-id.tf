import {
  to = eni_private_ip.example
  id = "eni-bp1234567890abcdef:172.16.0.30"
}
