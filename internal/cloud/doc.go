// Package cloud is the one Alibaba Cloud API client of the provider. Every
// resource reaches ECS and VPC through it, so retries, idempotency tokens,
// endpoint overrides, typed errors, finders and waiters behave the same
// everywhere:
//
//   - config.go, endpoint.go, transport.go: building the Client.
//   - retry.go: call, the wrapper every API method goes through.
//   - ecs.go, vpc.go: one thin typed method per API action.
//   - errors.go: APIError, NotFoundError and the error classifiers.
//   - finders.go: Find... helpers (paging, exactly-one, not-found).
//   - wait.go, waiters.go: WaitForState and the status waiters.
package cloud
