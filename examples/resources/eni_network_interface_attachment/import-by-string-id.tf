import {
  to = eni_network_interface_attachment.example
  id = "eni-bp1234567890abcdef:i-bp67acfmxazb4ph2a4pd"
}
