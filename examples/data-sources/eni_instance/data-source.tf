terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

variable "instance_id" {
  type    = string
  default = "i-bp67acfmxazb4ph34bd1"
}

# A vSwitch of the instance's zone (zone_id) and VPC (vpc_id).
variable "vswitch_id" {
  type    = string
  default = "vsw-bp1s5fnvk4gn2tws03624"
}

variable "security_group_id" {
  type    = string
  default = "sg-bp1fg655nh68xyz9i7bz"
}

variable "secondary_private_ip_count" {
  type    = number
  default = 4
}

data "eni_instance" "app" {
  instance_id = var.instance_id
}

resource "eni_network_interface" "app" {
  vswitch_id                 = var.vswitch_id
  security_group_ids         = [var.security_group_id]
  secondary_private_ip_count = var.secondary_private_ip_count

  lifecycle {
    precondition {
      # The primary IP counts against the per-ENI limit too.
      condition     = 1 + var.secondary_private_ip_count <= data.eni_instance.app.eni_private_ip_address_quantity
      error_message = "An ENI of ${data.eni_instance.app.instance_type} holds at most ${data.eni_instance.app.eni_private_ip_address_quantity} private IPv4 addresses, the primary one included."
    }
  }
}

resource "eni_network_interface_attachment" "app" {
  network_interface_id = eni_network_interface.app.id
  instance_id          = data.eni_instance.app.id

  lifecycle {
    # Checked on every plan: once this ENI is bound it is among the
    # instance's ENIs and fits, whatever eni_left says then.
    precondition {
      condition     = contains(data.eni_instance.app.network_interfaces[*].id, eni_network_interface.app.id) || data.eni_instance.app.eni_left > 0
      error_message = "Instance ${data.eni_instance.app.id} (${data.eni_instance.app.instance_type}) holds ${data.eni_instance.app.eni_quantity} ENIs and has none left."
    }
    # No stop and start of the instance behind our back.
    precondition {
      condition     = data.eni_instance.app.hot_swap_supported || data.eni_instance.app.status == "Stopped"
      error_message = "Instance ${data.eni_instance.app.id} (${data.eni_instance.app.instance_type}) cannot take an ENI while ${data.eni_instance.app.status}: stop it first."
    }
  }
}

output "ipv4_left_per_eni" {
  value = { for e in data.eni_instance.app.network_interfaces : e.id => e.private_ips_left }
}
