terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

data "eni_instance_type" "web" {
  instance_type_id = "ecs.g7.large"
}

variable "service_enis" {
  type    = number
  default = 2
}

# Fail the plan early, with a message of your own, when the instance type
# cannot hold the ENIs this configuration binds (the primary ENI counts).
resource "terraform_data" "eni_capacity" {
  lifecycle {
    precondition {
      condition     = var.service_enis + 1 <= data.eni_instance_type.web.eni_quantity
      error_message = "ecs.g7.large holds ${data.eni_instance_type.web.eni_quantity} ENIs including the primary one."
    }
  }
}

output "hot_swap" {
  value = data.eni_instance_type.web.hot_swap_supported
}
