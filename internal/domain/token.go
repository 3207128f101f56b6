package domain

// ClientTokenMaxLength is the longest ClientToken the API accepts.
const ClientTokenMaxLength = 64

// ClientTokenRule states the rule in one sentence.
const ClientTokenRule = "a ClientToken is at most 64 ASCII characters"

// ClientToken checks the idempotency token of a mutating call. The provider
// does not take a token from the configuration; its client makes one per
// call, which this rule must accept (tested in internal/cloud).
func ClientToken(token string) error {
	for i := 0; i < len(token); i++ {
		if token[i] > 127 {
			return ruleError(ClientTokenRule, "holds a character that is not ASCII")
		}
	}
	if len(token) > ClientTokenMaxLength {
		return ruleError(ClientTokenRule, "is "+characters(len(token))+" long")
	}
	return nil
}
