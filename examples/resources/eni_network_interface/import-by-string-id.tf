import {
  to = eni_network_interface.example
  id = "eni-bp1234567890abcdef"
}
