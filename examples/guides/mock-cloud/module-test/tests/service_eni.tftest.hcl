# terraform test runs these against eni-mockcloud: the provider block
# names no endpoint, so the emulator's URL and its mock credentials come
# from the environment (ENI_ECS_ENDPOINT, ENI_VPC_ENDPOINT,
# ALIBABA_CLOUD_*), set by whoever starts the emulator.

provider "eni" {
  # The provider's default tags reach the module's ENI too.
  default_tags {
    tags = {
      suite = "module-test"
    }
  }
}

# The built-in topology of eni-mockcloud: a vSwitch and a security group
# of its VPC.
variables {
  service            = "billing"
  vswitch_id         = "vsw-mockh"
  security_group_ids = ["sg-mockweb"]
}

run "creates_the_service_eni" {
  assert {
    condition     = length(output.addresses) == 2
    error_message = "The service ENI should hold 2 secondary private IPs."
  }

  assert {
    condition     = eni_network_interface.service.status == "Available"
    error_message = "A new service ENI should be Available."
  }

  assert {
    condition = eni_network_interface.service.tags_all == tomap({
      service = "billing"
      suite   = "module-test"
    })
    error_message = "The ENI should carry its service tag and the provider's default tags."
  }
}

run "adds_addresses_in_place" {
  variables {
    addresses = 4
  }

  assert {
    condition     = length(output.addresses) == 4
    error_message = "Raising addresses should add secondary private IPs."
  }

  assert {
    condition     = output.id == run.creates_the_service_eni.id
    error_message = "Adding addresses should update the ENI in place, not replace it."
  }
}

run "refuses_too_many_addresses" {
  command = plan

  variables {
    addresses = 11
  }

  expect_failures = [var.addresses]
}

run "the_cloud_holds_what_the_module_made" {
  module {
    source = "./tests/lookup"
  }

  variables {
    id = run.adds_addresses_in_place.id
  }

  assert {
    condition     = output.addresses == 4
    error_message = "The cloud should report the 4 secondary private IPs."
  }

  assert {
    condition     = output.tags["service"] == "billing" && output.tags["suite"] == "module-test"
    error_message = "The cloud should report the service tag and the default tag."
  }
}
