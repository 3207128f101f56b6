terraform {
  required_providers {
    eni = {
      source = "openeni/eni"
    }
  }
}

# Every setting is optional and falls back to an environment variable, so
# with the environment set up the block can be empty: provider "eni" {}.
provider "eni" {
  # Region of every resource. Env: ALIBABA_CLOUD_REGION_ID or ALICLOUD_REGION.
  region = "cn-hangzhou"

  # An AccessKey pair, always set together. Prefer the environment
  # (ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET) to keys
  # written in configuration.
  access_key = var.access_key
  secret_key = var.secret_key

  # Temporary STS credentials add a security token to the pair.
  # Env: ALIBABA_CLOUD_SECURITY_TOKEN or ALICLOUD_SECURITY_TOKEN.
  # security_token = var.security_token

  # Without keys, take them from a profile of the Alibaba Cloud CLI
  # (~/.aliyun/config.json), in any mode the CLI writes.
  # Env: ALIBABA_CLOUD_PROFILE or ALICLOUD_PROFILE.
  # profile = "default"

  # On an ECS instance with a RAM role: its keys, from the metadata service.
  # Env: ALIBABA_CLOUD_ECS_METADATA or ALICLOUD_ECS_ROLE_NAME.
  # ecs_role_name = "terraform"

  # Assume a role with whatever credentials the settings above give.
  # assume_role {
  #   role_arn           = "acs:ram::123456789012:role/terraform"
  #   session_name       = "terraform"
  #   session_expiration = 3600
  # }

  # A region missing from the provider's list is used with a warning;
  # this silences it. Default: false.
  # skip_region_validation = true

  # Retries of one API call after throttling, a server error or an operation
  # conflict, with exponential backoff. 0 turns retries off. Default: 8.
  # Env: ALIBABA_CLOUD_MAX_RETRIES or ENI_MAX_RETRIES.
  max_retries = 8

  # Tags every eni_network_interface carries, such as ownership and cost
  # tags; a resource's own tags win on the same key, and its tags_all
  # shows the result.
  default_tags {
    tags = {
      owner = "platform-team"
      cost  = "cc-1234"
    }
  }

  # Tag keys something else manages (a tag policy, another tool): never
  # set, removed or read, so they never show as a difference.
  ignore_tags {
    keys         = ["last-scanned"]
    key_prefixes = ["policy:"]
  }

  # Endpoint overrides, for a private endpoint or the eni-mockcloud emulator.
  # Env: ENI_ECS_ENDPOINT and ENI_VPC_ENDPOINT.
  endpoints {
    ecs = "ecs-vpc.cn-hangzhou.aliyuncs.com"
    vpc = "vpc-vpc.cn-hangzhou.aliyuncs.com"
  }
}

variable "access_key" {
  type = string
}

variable "secret_key" {
  type      = string
  sensitive = true
}
