package domain

import "slices"

// regions are the Alibaba Cloud regions that offer ECS and VPC.
var regions = []string{
	"cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote", "cn-wulanchabu", "cn-hangzhou",
	"cn-shanghai", "cn-nanjing", "cn-fuzhou", "cn-shenzhen", "cn-heyuan", "cn-guangzhou", "cn-chengdu",
	"cn-wuhan-lr", "cn-hongkong", "ap-northeast-1", "ap-northeast-2", "ap-southeast-1", "ap-southeast-3",
	"ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-south-1", "us-east-1", "us-west-1",
	"eu-west-1", "eu-central-1", "me-east-1", "me-central-1", "na-south-1",
}

// KnownRegion reports whether region is an Alibaba Cloud region ID.
func KnownRegion(region string) bool { return slices.Contains(regions, region) }

// Regions returns the known region IDs.
func Regions() []string { return slices.Clone(regions) }
