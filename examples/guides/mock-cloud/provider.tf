terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

# The provider pointed at an emulator started with
# `eni-mockcloud -listen 127.0.0.1:8686` and the built-in topology.
provider "eni" {
  region     = "cn-hangzhou"
  access_key = "mock-key"
  secret_key = "mock-secret"

  # One emulator serves both APIs: it routes each call by its Version.
  endpoints {
    ecs = "http://127.0.0.1:8686"
    vpc = "http://127.0.0.1:8686"
  }
}
