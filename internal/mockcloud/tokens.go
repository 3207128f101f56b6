package mockcloud

// tokenRecord remembers the first result of a mutating call made with a
// ClientToken, so a retry with the same token changes nothing more.
type tokenRecord struct {
	Fingerprint string `json:"fingerprint"`
	Status      int    `json:"status"`
	Body        []byte `json:"body"`
}
